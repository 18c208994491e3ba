import { describeError, settle } from '../rules/runtime/errors';
import type { RuleContext } from '../rules/runtime/context';
import type { Logger } from '../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../rules/runtime/types';
import { automatedRunbooks, findRunbook as registryFindRunbook, managedRemediation } from '../runbooks';
import type { Plan, RunbookContext, RunbookEntry, RunbookResource } from '../runbooks/types';
import { type AlertKind, type FormattedAlert, formatAlert } from './alert';
import type { AuditRecord, AuditStore, Outcome } from './audit-store';
import { Action, type Decision, type DecisionInput, decide } from './decide';
import { type ComplianceChangeEvent, wardRuleId } from './event';
import { type FlapAlert, flapUpdate } from './flapping';
import { findRule as registryFindRule, type RuleFinder, recheckRule } from './recheck';
import { modeFor, type ResponderSettings, type ResponseModeType } from './settings';

/** What the responder needs; the Lambda builds it from the environment, tests and the CLI inject their own. */
export interface ResponderDeps {
  readonly settings: ResponderSettings;
  /** The audit table; absent in `ward respond --mode dry-run` (nothing recorded, no deduplication). */
  readonly store?: AuditStore;
  /** Publishes an alert and returns the SNS message id; absent when alerts are only returned. */
  readonly publish?: (alert: FormattedAlert) => Promise<string | undefined>;
  readonly contexts: (resource: RunbookResource) => { rule: RuleContext; runbook: RunbookContext };
  readonly logger: Logger;
  readonly findRule?: RuleFinder;
  readonly findRunbook?: (id: string) => RunbookEntry | undefined;
  readonly now?: () => Date;
  /** Overrides every rule's mode (the CLI's `--mode dry-run`). */
  readonly forceMode?: ResponseModeType;
}

/** What happened to one event. */
export interface ResponseResult {
  readonly auditId: string;
  /** True when the event was already handled: nothing was done. */
  readonly duplicate: boolean;
  readonly decision?: Decision;
  readonly plan?: Plan;
  readonly outcome?: Outcome;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly error?: string;
  readonly alert?: FormattedAlert;
  readonly alertDelivery?: FlapAlert;
}

const OUTCOME: Record<string, Outcome> = {
  [Action.IGNORE]: 'ignored',
  [Action.RESOLVED]: 'resolved',
  [Action.NOTIFY]: 'notified',
  [Action.DRY_RUN]: 'planned',
  [Action.NO_CHANGE]: 'no-change',
  [Action.REMEDIATE]: 'remediated',
};

function outcomeText(outcome: Outcome, plan: Plan | undefined, error?: string): string {
  switch (outcome) {
    case 'remediated':
      return `Applied runbook ${plan?.runbookId}: ${plan?.summary}`;
    case 'remediation-failed':
      return `Runbook ${plan?.runbookId} FAILED (${error}); the resource was left as it was. Fix it by hand.`;
    case 'planned':
      return `Dry run, nothing changed. Would apply runbook ${plan?.runbookId}: ${plan?.summary}`;
    case 'no-change':
      return `Nothing changed: ${plan?.summary ?? 'the resource is already compliant.'}`;
    default:
      return 'Nothing was changed automatically.';
  }
}

/**
 * Handles one compliance-change event: deduplicate, decide, re-check and remediate when the mode allows,
 * audit, alert. A runbook failure is an outcome (recorded and alerted), not an exception; anything else that
 * fails marks the audit record failed (so a retry may claim it again) and is rethrown.
 */
export async function respondToEvent(event: ComplianceChangeEvent, deps: ResponderDeps): Promise<ResponseResult> {
  const now = (deps.now ?? (() => new Date()))();
  const d = event.detail;
  const resource: RunbookResource = {
    resourceType: d.resourceType,
    resourceId: d.resourceId,
    accountId: d.awsAccountId,
    region: d.awsRegion,
  };
  let record: AuditRecord = {
    auditId: event.id,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    status: 'in-progress',
    configRuleName: d.configRuleName,
    resourceType: d.resourceType,
    resourceId: d.resourceId,
    accountId: d.awsAccountId,
    region: d.awsRegion,
    event,
  };
  const log = deps.logger.child({
    auditId: event.id,
    rule: d.configRuleName,
    resourceType: d.resourceType,
    resourceId: d.resourceId,
  });
  if (deps.store && !(await deps.store.claim(record))) {
    log.info('duplicate delivery: already handled');
    return { auditId: event.id, duplicate: true };
  }
  try {
    const result = await handle(event, resource, deps, now, log);
    record = {
      ...record,
      updatedAt: (deps.now ?? (() => new Date()))().toISOString(),
      status: 'done',
      decision: result.decision,
      plan: result.plan,
      before: result.before,
      after: result.after,
      outcome: result.outcome,
      error: result.error,
      alert: result.alertDelivery ? { kind: result.alertDelivery, messageId: result.messageId } : undefined,
    };
    await deps.store?.save(record);
    log.info({ action: result.decision?.action, outcome: result.outcome }, 'event handled');
    return { auditId: event.id, duplicate: false, ...result };
  } catch (err) {
    log.error({ err: describeError(err) }, 'event failed');
    await deps.store
      ?.save({ ...record, status: 'failed', outcome: 'failed', error: describeError(err) })
      .catch(() => undefined);
    throw err;
  }
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

async function handle(
  event: ComplianceChangeEvent,
  resource: RunbookResource,
  deps: ResponderDeps,
  now: Date,
  log: Logger,
): Promise<Omit<ResponseResult, 'auditId' | 'duplicate'> & { messageId?: string }> {
  const d = event.detail;
  const { settings, store } = deps;
  const ruleId = wardRuleId(d.configRuleName);
  const rule = ruleId ? (deps.findRule ?? registryFindRule)(ruleId) : undefined;
  const runbookId = rule ? runbookIdFor(rule, d.resourceType) : managedRemediation(d.configRuleName, d.resourceType);
  const runbook = runbookId ? (deps.findRunbook ?? registryFindRunbook)(runbookId) : undefined;

  const newC = d.newEvaluationResult.complianceType;
  const oldC = d.oldEvaluationResult?.complianceType;
  const alertable = newC === 'NON_COMPLIANT' || (newC === 'COMPLIANT' && oldC === 'NON_COMPLIANT');
  let flap: { alert: FlapAlert; flapping: boolean; count: number } = { alert: 'normal', flapping: false, count: 1 };
  // The kill switch and the flap state are independent reads: both are in flight at once (a failed kill-switch
  // read is rethrown below).
  const killSwitchRead = settle(
    settings.killSwitch || !store ? Promise.resolve(settings.killSwitch) : store.killSwitchOn(),
  );
  if (store && alertable) {
    const key = `${d.configRuleName}#${d.resourceType}#${d.resourceId}`;
    const next = flapUpdate(await store.getFlap(key), now, settings.flapWindowMinutes, settings.flapThreshold);
    await store.putFlap(key, next.state, new Date(now.getTime() + settings.flapWindowMinutes * 60_000));
    flap = next;
  }
  const killSwitch = await killSwitchRead;
  if (!killSwitch.ok) throw killSwitch.error;
  const input: DecisionInput = {
    newCompliance: newC,
    oldCompliance: oldC,
    mode: deps.forceMode ?? modeFor(settings, d.configRuleName),
    runbook,
    killSwitch: killSwitch.value,
    rateCapReached: false,
    flapping: flap.flapping,
    foreignAccount: settings.accountId && settings.accountId !== resource.accountId ? resource.accountId : undefined,
  };
  let decision = decide(input);
  let plan: Plan | undefined;
  let before: unknown;
  let after: unknown;
  let evaluation: Evaluation | undefined;
  let error: string | undefined;
  let outcome: Outcome = OUTCOME[decision.action];

  if (decision.needsRecheck && runbook?.automated) {
    const ctx = deps.contexts(resource);
    const state = await runbook.readState(resource, ctx.runbook);
    before = state;
    plan = runbook.plan(resource, state, ctx.runbook.settings);
    if (rule)
      evaluation = await recheckRule(rule, runbook, resource, state, settings.ruleParameters[rule.meta.id], ctx.rule);
    const recheck = {
      tags: runbook.tagsOf(state),
      compliance: evaluation?.compliance ?? ('unknown' as const),
      findingCodes: evaluation?.findings.map((f) => f.code) ?? [],
      planChanges: plan.changes.length,
      planBlocked: plan.blocked,
    };
    decision = decide({ ...input, recheck });
    if (
      decision.action === Action.REMEDIATE &&
      store &&
      !(await store.reserveAutoChange(resource.accountId, now, settings.maxAutoChangesPerHour))
    )
      decision = decide({ ...input, rateCapReached: true, recheck });
    outcome = OUTCOME[decision.action];
    if (decision.action === Action.REMEDIATE) {
      try {
        const applied = await runbook.apply(resource, ctx.runbook);
        before = applied.before;
        after = applied.after;
        outcome = applied.changed ? 'remediated' : 'no-change';
      } catch (err) {
        error = describeError(err);
        outcome = 'remediation-failed';
        log.error({ runbook: runbook.id, err: error }, 'runbook failed');
        after = await runbook.readState(resource, ctx.runbook).catch(() => undefined);
      }
    }
  }

  const findings =
    evaluation?.compliance === 'NON_COMPLIANT'
      ? evaluation.findings.map((f) => f.message)
      : d.newEvaluationResult.annotation
        ? [d.newEvaluationResult.annotation]
        : [];
  let kind: AlertKind | undefined =
    decision.action === Action.RESOLVED ? 'resolved' : alertable ? 'violation' : undefined;
  if (kind && flap.alert === 'flapping') kind = 'flapping';
  let alert: FormattedAlert | undefined;
  let messageId: string | undefined;
  if (kind && flap.alert !== 'suppressed') {
    alert = formatAlert({
      kind,
      event,
      ruleTitle: rule?.meta.title ?? (ruleId ? settings.ruleTitles[ruleId] : undefined) ?? d.configRuleName,
      findings,
      decision,
      plan,
      outcome: outcomeText(outcome, plan, error),
      runbookUrl: runbook
        ? settings.runbookBaseUrl
          ? `${settings.runbookBaseUrl}${runbook.id}.md`
          : `runbooks/${runbook.id}.md (in the ward repository)`
        : undefined,
      auditId: event.id,
      transitions: flap.count,
      windowMinutes: settings.flapWindowMinutes,
    });
    messageId = deps.publish ? await deps.publish(alert) : undefined;
  }
  return {
    decision,
    plan,
    outcome,
    before,
    after,
    error,
    alert,
    alertDelivery: kind ? flap.alert : undefined,
    messageId,
  };
}
