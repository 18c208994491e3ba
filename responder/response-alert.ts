import { type FormattedAlert, formatAlert } from './alert';
import { type AuditStep, type DecidedStep, type Outcome, stepOf } from './audit-steps';
import type { ComplianceChangeEvent } from './event';
import type { ResponderSettings } from './settings';

/** The subject tag of outcomes that are not what the decision alone says. */
const TAGS: Partial<Record<Outcome, string>> = {
  'changed-not-verified': 'CHANGED, NOT VERIFIED',
  'remediation-failed': 'REMEDIATION FAILED',
  'no-change': 'NON_COMPLIANT',
};

/** What happened, in one sentence, from the steps written so far. */
export function outcomeText(outcome: Outcome, steps: readonly AuditStep[], decided: DecidedStep): string {
  const planned = stepOf(steps, 'planned');
  const plan = planned?.plan ?? decided.plan;
  const applied = stepOf(steps, 'applied');
  const verified = stepOf(steps, 'verified');
  switch (outcome) {
    case 'remediated':
      return `Applied runbook ${plan?.runbookId}: ${plan?.summary}`;
    case 'changed-not-verified':
      return (
        `CHANGED, NOT VERIFIED: runbook ${plan?.runbookId} applied (${plan?.summary}), but reading the resource back ` +
        `${verified?.error ? `failed (${verified.error})` : `shows changes still to make (${(verified?.remaining ?? []).join('; ')})`}. ` +
        `The before-state is recorded: check the resource, and undo with ward rollback ${decided.auditId} if needed.`
      );
    case 'remediation-failed':
      return (
        `Runbook ${plan?.runbookId} FAILED (${applied?.error}). The state read after the failure is in the audit ` +
        `record (ward audit --id ${decided.auditId}); check the resource and fix it by hand.`
      );
    case 'planned':
      return `Dry run, nothing changed. Would apply runbook ${plan?.runbookId}: ${plan?.summary}`;
    case 'no-change':
      return `Nothing changed: ${plan?.summary ?? 'the resource is already compliant.'}`;
    default:
      return 'Nothing was changed automatically.';
  }
}

/** The alert a decided response owes, formatted from its steps (a retry formats the same alert). */
export function alertFor(
  event: ComplianceChangeEvent,
  decided: DecidedStep,
  steps: readonly AuditStep[],
  outcome: Outcome,
  settings: ResponderSettings,
): FormattedAlert | undefined {
  if (!decided.alert) return undefined;
  const tag = decided.alert.kind === 'violation' ? TAGS[outcome] : undefined;
  return formatAlert({
    kind: decided.alert.kind,
    event,
    ruleTitle: decided.ruleTitle,
    findings: decided.findings,
    decision: decided.decision,
    plan: stepOf(steps, 'planned')?.plan ?? decided.plan,
    outcome: outcomeText(outcome, steps, decided),
    runbookUrl: decided.runbookUrl,
    auditId: event.id,
    transitions: decided.alert.transitions,
    windowMinutes: settings.flapWindowMinutes,
    ...(tag ? { tag } : {}),
    ...(decided.identity ? { identity: decided.identity } : {}),
    ...(decided.severity ? { severity: decided.severity } : {}),
    ...(decided.suppressionsError ? { suppressionsError: decided.suppressionsError } : {}),
    ...forwardingError(steps),
  });
}

/** The forwarding failure the alert must tell (the finding is not in Security Hub). */
function forwardingError(steps: readonly AuditStep[]): { forwardingError?: string } {
  const f = stepOf(steps, 'forwarded');
  return f && !f.ok ? { forwardingError: `${f.error ?? 'failed'} (finding ${f.findingId ?? 'unknown'})` } : {};
}
