import { randomUUID } from 'node:crypto';
import type { RuleContext } from '../rules/runtime/context';
import type { Logger } from '../rules/runtime/logger';
import type { AnyRule } from '../rules/runtime/types';
import { automatedRunbooks, findRunbook as registryFindRunbook, managedRemediation } from '../runbooks';
import type { Plan, RunbookContext, RunbookEntry, RunbookResource } from '../runbooks/types';
import { type FormattedAlert } from './alert';
import type { AuditStore } from './audit-store';
import { type AuditStep, type Outcome, outcomeOf, stepOf } from './audit-steps';
import { Action, type Decision } from './decide';
import { decideStage } from './decide-stage';
import { forward, forwardPlan, type Forwarder } from './forward';
import { AlertDeliveryError, describeSafely, ResourceBusyError } from './errors';
import { type ComplianceChangeEvent, wardRuleId } from './event';
import type { FlapAlert } from './flapping';
import { Journal, type StepInput } from './journal';
import { findRule as registryFindRule, type RuleFinder } from './recheck';
import { remediate } from './remediate';
import { alertFor } from './response-alert';
import { modeFor, type ResponderSettings, type ResponseModeType } from './settings';
import type { StateStore } from './state-store';
import type { LoadedSuppressions } from './suppressions';

/** What the responder needs; the Lambda builds it from the environment, tests and the CLI inject their own. */
export interface ResponderDeps {
  readonly settings: ResponderSettings;
  /** The audit table; absent in `ward respond --mode dry-run` (nothing recorded, no deduplication). */
  readonly store?: AuditStore;
  /** Counters, flapping state, locks and the kill switch; absent where the audit table is. */
  readonly state?: StateStore;
  /** Publishes an alert and returns the SNS message id; absent when alerts are only returned. */
  readonly publish?: (alert: FormattedAlert) => Promise<string | undefined>;
  readonly contexts: (resource: RunbookResource) => { rule: RuleContext; runbook: RunbookContext };
  readonly logger: Logger;
  readonly findRule?: RuleFinder;
  readonly findRunbook?: (id: string) => RunbookEntry | undefined;
  readonly now?: () => Date;
  /** Overrides every rule's mode (the CLI's `--mode dry-run`). */
  readonly forceMode?: ResponseModeType;
  /** The deployed suppressions (or why they could not be read); absent: none. */
  readonly suppressions?: LoadedSuppressions;
  /** Imports a finding into Security Hub; set when `forwardToSecurityHub` is on (absent: nothing forwarded). */
  readonly forwardFinding?: Forwarder;
}

/** What happened to one event. */
export interface ResponseResult {
  readonly auditId: string;
  /** True when the event was already handled (or is being handled by a concurrent delivery): nothing was done. */
  readonly duplicate: boolean;
  readonly decision?: Decision;
  readonly plan?: Plan;
  readonly outcome?: Outcome;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly error?: string;
  readonly alert?: FormattedAlert;
  readonly alertDelivery?: FlapAlert;
  /** The response that covers this event (outcome `covered`). */
  readonly coveredBy?: string;
  /** What forwarding to Security Hub did (when it is on). */
  readonly forwarded?: AuditStep & { step: 'forwarded' };
  /** The audit steps of the response, in order. */
  readonly steps?: readonly AuditStep[];
}

/**
 * The runbook for a ward rule and resource type: the rule's `meta.remediations`, else the one automated
 * runbook (if exactly one) that fixes this resource type and some of the rule's finding codes.
 */
export function runbookIdFor(rule: AnyRule, resourceType: string): string | undefined {
  const declared = rule.meta.remediations?.[resourceType];
  if (declared) return declared;
  const codes = Object.keys(rule.meta.findingCodes);
  const candidates = automatedRunbooks.filter(
    (r) => r.resourceTypes.includes(resourceType) && r.findingCodes.some((c) => codes.includes(c)),
  );
  return candidates.length === 1 ? candidates[0].id : undefined;
}

/**
 * Handles one compliance-change event as a sequence of audit steps, each written once: received, decided,
 * planned (with the before-state, before any change), applied, verified, alerted, completed. Delivered again
 * (SNS delivers at least once, Lambda retries a failed invocation), it reads the steps already written and
 * continues from there: a completed response is a duplicate; an interrupted one verifies what it applied and
 * sends the alert it owes. A step that cannot be recorded, or an alert that cannot be published, fails the
 * invocation (after the change is recorded), so Lambda retries it.
 */
export async function respondToEvent(event: ComplianceChangeEvent, deps: ResponderDeps): Promise<ResponseResult> {
  const clock = deps.now ?? (() => new Date());
  const d = event.detail;
  const resource: RunbookResource = {
    resourceType: d.resourceType,
    resourceId: d.resourceId,
    accountId: d.awsAccountId,
    region: d.awsRegion,
  };
  const log = deps.logger.child({ auditId: event.id, rule: d.configRuleName, resourceId: d.resourceId });
  const journal = new Journal(deps.store, event.id, clock);
  const received = receivedStep(event);
  if (!(await journal.write(received))) {
    journal.steps.push(...(await (deps.store as AuditStore).history(event.id)));
    if (stepOf(journal.steps, 'completed')) {
      log.info('duplicate delivery: already handled');
      return { auditId: event.id, duplicate: true, outcome: outcomeOf(journal.steps), steps: journal.steps };
    }
    log.info({ steps: journal.steps.map((s) => s.step) }, 'resuming an interrupted response');
    const covered = stepOf(journal.steps, 'covered');
    if (covered) {
      await journal.write({ step: 'completed', outcome: 'covered' });
      return { auditId: event.id, duplicate: false, outcome: 'covered', coveredBy: covered.by, steps: journal.steps };
    }
  }
  return continueResponse(event, resource, journal, deps, log);
}

/** The first step of every response: the event and the resource it names. */
function receivedStep(event: ComplianceChangeEvent): StepInput<'received'> {
  const d = event.detail;
  return {
    step: 'received',
    event,
    configRuleName: d.configRuleName,
    resourceType: d.resourceType,
    resourceId: d.resourceId,
    accountId: d.awsAccountId,
    region: d.awsRegion,
  };
}

/**
 * Records an event as covered by another response of the same rule and resource (within one batch, or one
 * holding the resource's lock): received, covered, completed.
 */
export async function recordCovered(
  event: ComplianceChangeEvent,
  by: string,
  deps: ResponderDeps,
): Promise<ResponseResult> {
  const clock = deps.now ?? (() => new Date());
  const journal = new Journal(deps.store, event.id, clock);
  const received = receivedStep(event);
  if (!(await journal.write(received))) {
    const history = await (deps.store as AuditStore).history(event.id);
    return { auditId: event.id, duplicate: true, outcome: outcomeOf(history), steps: history };
  }
  return cover(journal, by);
}

async function cover(journal: Journal, by: string): Promise<ResponseResult> {
  await journal.write({ step: 'covered', by });
  await journal.write({ step: 'completed', outcome: 'covered' });
  return { auditId: journal.auditId, duplicate: false, outcome: 'covered', coveredBy: by, steps: journal.steps };
}

async function continueResponse(
  event: ComplianceChangeEvent,
  resource: RunbookResource,
  journal: Journal,
  deps: ResponderDeps,
  log: Logger,
): Promise<ResponseResult> {
  const d = event.detail;
  const ruleId = wardRuleId(d.configRuleName);
  const rule = ruleId ? (deps.findRule ?? registryFindRule)(ruleId) : undefined;
  const runbookId = rule ? runbookIdFor(rule, d.resourceType) : managedRemediation(d.configRuleName, d.resourceType);
  const runbook = runbookId ? (deps.findRunbook ?? registryFindRunbook)(runbookId) : undefined;
  const mode = deps.forceMode ?? modeFor(deps.settings, d.configRuleName);
  const busy = () => ({ auditId: event.id, duplicate: true, outcome: outcomeOf(journal.steps), steps: journal.steps });

  // One change per resource at a time: a response that may read and change the resource holds its lock.
  const needsLock =
    mode !== 'notify' && runbook?.automated === true && d.newEvaluationResult.complianceType === 'NON_COMPLIANT';
  const token = randomUUID();
  if (needsLock && deps.state && !stepOf(journal.steps, 'completed')) {
    const lock = await deps.state.acquireLock(
      resource,
      { auditId: event.id, configRuleName: d.configRuleName, token },
      (deps.now ?? (() => new Date()))(),
    );
    if (!lock.acquired) {
      const holder = lock.holder;
      if (
        holder &&
        holder.auditId !== event.id &&
        holder.configRuleName === d.configRuleName &&
        !stepOf(journal.steps, 'decided')
      ) {
        log.info({ coveredBy: holder.auditId }, 'covered by the response holding the resource lock');
        return cover(journal, holder.auditId);
      }
      // Another rule's change, or a concurrent delivery of this very event: fail so Lambda retries later (the
      // retry then finds the response completed, or the lock free).
      throw new ResourceBusyError(
        `${d.resourceType} ${d.resourceId} is locked by response ${holder?.auditId ?? '(unknown)'} of ${holder?.configRuleName ?? '(unknown)'}: retry later`,
      );
    }
  }
  try {
    let decided = stepOf(journal.steps, 'decided');
    const decidedNow = !decided;
    if (!decided) {
      const fresh = await decideStage(event, resource, rule, runbook, mode, deps, log);
      decided = await journal.write(fresh);
      if (!decided) return busy();
    }
    if (decided.decision.action === Action.REMEDIATE && runbook?.automated)
      if (!(await remediate(resource, runbook, decided, decidedNow, journal, deps, log))) return busy();

    if (deps.forwardFinding && deps.settings.forwardToSecurityHub && !stepOf(journal.steps, 'forwarded')) {
      const plan = forwardPlan(event, decided, rule, deps.settings, (deps.now ?? (() => new Date()))());
      const step = await forward(plan, deps.forwardFinding);
      // A failure is recorded and told in the alert; the response (and its alert) goes on regardless.
      if (!step.ok) log.error({ findingId: step.findingId, err: step.error }, 'Security Hub forwarding failed');
      else if (!step.skipped) log.info({ findingId: step.findingId, status: step.status }, 'forwarded to Security Hub');
      await journal.write(step);
    }
    const outcome = outcomeOf(journal.steps) as Outcome;
    const alert =
      decided.alert && decided.alert.delivery !== 'suppressed'
        ? alertFor(event, decided, journal.steps, outcome, deps.settings)
        : undefined;
    if (alert && deps.publish && !stepOf(journal.steps, 'alerted')) {
      let messageId: string | undefined;
      try {
        messageId = await deps.publish(alert);
      } catch (err) {
        const error = describeSafely(err);
        log.error({ err: error }, 'alert not published; the invocation fails so its retry sends it');
        await journal.write({ step: 'alert-failed', error }).catch(() => undefined);
        throw new AlertDeliveryError(`alert for ${event.id} not published (${error}); the response is recorded`, {
          cause: err,
        });
      }
      await journal.write({
        step: 'alerted',
        kind: decided.alert?.kind ?? 'violation',
        subject: alert.subject,
        messageId,
      });
    }
    if (!stepOf(journal.steps, 'completed')) await journal.write({ step: 'completed', outcome });
    log.info({ action: decided.decision.action, outcome }, 'event handled');
    const verified = stepOf(journal.steps, 'verified');
    const applied = stepOf(journal.steps, 'applied');
    return {
      auditId: event.id,
      duplicate: false,
      decision: decided.decision,
      plan: stepOf(journal.steps, 'planned')?.plan ?? decided.plan,
      outcome,
      before: stepOf(journal.steps, 'planned')?.before ?? decided.state,
      after: verified?.after ?? applied?.stateAfterFailure,
      error:
        applied?.error ??
        verified?.error ??
        (verified && !verified.ok ? `still to change: ${verified.remaining?.join('; ')}` : undefined),
      alert,
      alertDelivery: decided.alert?.delivery,
      forwarded: stepOf(journal.steps, 'forwarded'),
      steps: journal.steps,
    };
  } finally {
    if (needsLock && deps.state) await deps.state.releaseLock(resource, token).catch(() => undefined);
  }
}
