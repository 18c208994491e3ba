import type { Plan } from '../runbooks/types';
import type { SeverityLevel } from '../rules/runtime/types';
import type { ResourceIdentity } from '../scan/findings/identity';
import type { AlertKind } from './alert';
import type { Decision } from './decide';
import type { ComplianceChangeEvent } from './event';
import type { FlapAlert } from './flapping';

/** How one response ended. */
export type Outcome =
  | 'ignored'
  | 'resolved'
  | 'notified'
  | 'planned'
  | 'remediated'
  | 'no-change'
  | 'remediation-failed'
  | 'changed-not-verified'
  | 'covered'
  | 'gone'
  | 'suppressed';

/** Outcomes where a step failed: `ward respond` exits 2 on them. */
export const FAILED_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['remediation-failed', 'changed-not-verified']);

interface StepBase {
  /** The EventBridge event id: the response's key. */
  readonly auditId: string;
  /** ISO time the step was written. */
  readonly at: string;
}

/** The event arrived (the first step; carries the resource for the index). */
export interface ReceivedStep extends StepBase {
  readonly step: 'received';
  readonly event: ComplianceChangeEvent;
  readonly configRuleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
}

/** Another response of the same rule and resource was under way: it covers this event. */
export interface CoveredStep extends StepBase {
  readonly step: 'covered';
  /** The audit id of the response that covers this one. */
  readonly by: string;
}

/** What the responder decided, with all it needs to alert later (a retry alerts from this record). */
export interface DecidedStep extends StepBase {
  readonly step: 'decided';
  readonly decision: Decision;
  readonly plan?: Plan;
  /** The state read for the re-check (dry-run and auto). */
  readonly state?: unknown;
  /** True when the resource no longer exists: nothing to do. */
  readonly gone?: boolean;
  readonly findings: readonly string[];
  readonly ruleTitle: string;
  readonly runbookUrl?: string;
  /** The alert owed: its kind and how flapping collapses it; absent when nothing is alerted. */
  readonly alert?: { readonly kind: AlertKind; readonly delivery: FlapAlert; readonly transitions: number };
  /** The resource's account, region, ARN and name (the identity model of `ward scan`). */
  readonly identity?: ResourceIdentity;
  /** The finding codes of the re-run rule (dry-run and auto); absent when the rule was not re-run. */
  readonly findingCodes?: readonly string[];
  /** The finding's severity, and whether it comes from the findings or is the rule's highest (codes unknown). */
  readonly severity?: { readonly level: SeverityLevel; readonly basis: 'findings' | 'rule' };
  /** The suppression entry that covers the finding: it was neither alerted nor remediated. */
  readonly suppression?: SuppressionRecord;
  /** The deployed suppressions could not be read: the change was handled as if unsuppressed. */
  readonly suppressionsError?: string;
}

/** A suppression as the audit record keeps it. */
export interface SuppressionRecord {
  readonly reason: string;
  readonly owner?: string;
  readonly expires?: string;
  /** The entry, as warnings name it (rule/code resource in account region). */
  readonly entry: string;
}

/** About to change the resource: the plan and the state before the change, written before the change is made. */
export interface PlannedStep extends StepBase {
  readonly step: 'planned';
  readonly plan: Plan;
  readonly before: unknown;
}

/** The runbook ran: whether it changed the resource, or the error it failed with. */
export interface AppliedStep extends StepBase {
  readonly step: 'applied';
  readonly ok: boolean;
  readonly changed: boolean;
  /** True when a retry found the change of an earlier attempt already in place. */
  readonly resumed?: boolean;
  readonly error?: string;
  /** After a failure: the state read then (what, if anything, the runbook did). */
  readonly stateAfterFailure?: unknown;
}

/** The resource was read back: whether the plan now has nothing left to change. */
export interface VerifiedStep extends StepBase {
  readonly step: 'verified';
  readonly ok: boolean;
  readonly after?: unknown;
  /** Changes the plan still lists on the state read back. */
  readonly remaining?: readonly string[];
  readonly error?: string;
}

/**
 * The change was forwarded to Security Hub (`responder.forwardToSecurityHub`): the finding imported, or why it
 * was not (`skipped`), or the error (`ok` false: FailedFindings or a refused call). Written once, after the
 * remediation steps and before the alert, which tells a failure.
 */
export interface ForwardedStep extends StepBase {
  readonly step: 'forwarded';
  readonly ok: boolean;
  /** The ASFF finding Id (the one `ward scan --to securityhub` writes for this rule and resource). */
  readonly findingId?: string;
  readonly productArn?: string;
  readonly status?: string;
  readonly recordState?: string;
  /** Why nothing was imported (not a ward rule, another account, no judgement). */
  readonly skipped?: string;
  readonly error?: string;
}

/** An alert could not be published (the invocation fails; its retry owes the alert). */
export interface AlertFailedStep extends StepBase {
  readonly step: 'alert-failed';
  readonly error: string;
}

/** The alert was published. */
export interface AlertedStep extends StepBase {
  readonly step: 'alerted';
  readonly kind: AlertKind;
  readonly subject: string;
  readonly messageId?: string;
}

/** The response is complete. */
export interface CompletedStep extends StepBase {
  readonly step: 'completed';
  readonly outcome: Outcome;
}

/** A rollback attempt: restored (written once) or failed (each attempt its own record). */
export interface RollbackStep extends StepBase {
  readonly step: 'rolled-back' | 'rollback-failed';
  /** Who rolled back (the operator's identity). */
  readonly by?: string;
  /** The state the rollback replaced (read just before it). */
  readonly replaced?: unknown;
  readonly error?: string;
}

/** One record of the audit table. */
export type AuditStep =
  | ReceivedStep
  | CoveredStep
  | DecidedStep
  | PlannedStep
  | AppliedStep
  | VerifiedStep
  | ForwardedStep
  | AlertFailedStep
  | AlertedStep
  | CompletedStep
  | RollbackStep;

/** The name of a step. */
export type StepName = AuditStep['step'];

/** The first step of that name in a history. */
export function stepOf<N extends StepName>(
  history: readonly AuditStep[],
  name: N,
): Extract<AuditStep, { step: N }> | undefined {
  return history.find((s) => s.step === name) as Extract<AuditStep, { step: N }> | undefined;
}

/**
 * The outcome the steps so far amount to (the `completed` step's when present). Applied-but-unverified is its
 * own outcome: the change was made and is recorded, and may be rolled back.
 */
export function outcomeOf(history: readonly AuditStep[]): Outcome | undefined {
  const completed = stepOf(history, 'completed');
  if (completed) return completed.outcome;
  if (stepOf(history, 'covered')) return 'covered';
  const decided = stepOf(history, 'decided');
  if (!decided) return undefined;
  if (decided.gone) return 'gone';
  const applied = stepOf(history, 'applied');
  if (applied) {
    if (!applied.ok) return 'remediation-failed';
    if (!applied.changed) return 'no-change';
    const verified = stepOf(history, 'verified');
    return verified?.ok ? 'remediated' : 'changed-not-verified';
  }
  const byAction: Record<string, Outcome> = {
    ignore: 'ignored',
    resolved: 'resolved',
    notify: 'notified',
    'dry-run': 'planned',
    'no-change': 'no-change',
    suppressed: 'suppressed',
  };
  return byAction[decided.decision.action];
}

/** A response as `ward audit` and `ward rollback` see it: its steps and what they add up to. */
export interface AuditResponse {
  readonly auditId: string;
  readonly received?: ReceivedStep;
  readonly steps: readonly AuditStep[];
  /** Undefined while the response is in progress (or was interrupted and awaits its retry). */
  readonly outcome?: Outcome;
  /** The before-state recorded ahead of the change. */
  readonly before?: unknown;
  readonly plan?: Plan;
  /** True when a change was made (and recorded): rollback may restore `before`. */
  readonly changed: boolean;
  readonly rolledBack?: RollbackStep;
}

/** Summarises a history. */
export function summarize(auditId: string, steps: readonly AuditStep[]): AuditResponse {
  const planned = stepOf(steps, 'planned');
  const applied = stepOf(steps, 'applied');
  return {
    auditId,
    received: stepOf(steps, 'received'),
    steps,
    outcome: outcomeOf(steps),
    before: planned?.before,
    plan: planned?.plan ?? stepOf(steps, 'decided')?.plan,
    changed: applied?.ok === true && applied.changed,
    rolledBack: stepOf(steps, 'rolled-back'),
  };
}

/** One line per step for `ward audit`: time, step, and what it says. */
export function describeStep(s: AuditStep): string {
  const detail = (() => {
    switch (s.step) {
      case 'received':
        return `${s.configRuleName} ${s.event.detail.newEvaluationResult.complianceType} ${s.resourceType} ${s.resourceId}`;
      case 'covered':
        return `covered by response ${s.by}`;
      case 'decided':
        return `${s.decision.action} (${s.decision.requestedMode} mode)${s.gone ? ': the resource is gone, nothing to do' : ''}${s.decision.reasons.length ? `: ${s.decision.reasons.join(' ')}` : ''}${s.suppressionsError ? ` [${s.suppressionsError}: handled as unsuppressed]` : ''}`;
      case 'planned':
        return `${s.plan.runbookId}: ${s.plan.summary} (before-state recorded)`;
      case 'applied':
        return s.ok
          ? s.changed
            ? `changed${s.resumed ? ' (found in place on retry)' : ''}`
            : 'nothing to change'
          : `FAILED: ${s.error}`;
      case 'verified':
        return s.ok
          ? 'read back: as planned'
          : `NOT VERIFIED: ${s.error ?? `still to change: ${(s.remaining ?? []).join('; ')}`}`;
      case 'forwarded':
        return s.skipped
          ? `not forwarded to Security Hub: ${s.skipped}`
          : s.ok
            ? `Security Hub finding ${s.findingId} (${s.status}, ${s.recordState})`
            : `Security Hub FORWARDING FAILED: ${s.error} (finding ${s.findingId})`;
      case 'alert-failed':
        return `alert not published: ${s.error}`;
      case 'alerted':
        return `${s.subject}${s.messageId ? ` (message ${s.messageId})` : ''}`;
      case 'completed':
        return s.outcome;
      case 'rolled-back':
        return `restored the before-state${s.by ? ` (by ${s.by})` : ''}`;
      case 'rollback-failed':
        return `rollback FAILED: ${s.error}${s.by ? ` (by ${s.by})` : ''}`;
    }
  })();
  return `  ${s.at}  ${s.step.padEnd(15)} ${detail}`;
}
