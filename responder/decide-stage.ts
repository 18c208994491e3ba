import { type ConfigurationItem, normalizeConfigurationItem } from '../rules/runtime/configuration-item';
import { settle } from '../rules/runtime/errors';
import type { Logger } from '../rules/runtime/logger';
import { type AnyRule, Compliance, type Evaluation } from '../rules/runtime/types';
import type { Plan, RunbookEntry, RunbookResource } from '../runbooks/types';
import type { ResourceIdentity } from '../scan/findings/identity';
import { evaluationSeverity, ruleMaxSeverity } from '../scan/findings/severity';
import { describeSuppression } from '../scan/findings/suppression-match';
import type { DecidedStep } from './audit-steps';
import { Action, type DecisionInput, decide } from './decide';
import { type ComplianceChangeEvent, wardRuleId } from './event';
import { type FlapAlert, flapUpdate } from './flapping';
import { isGone } from './gone';
import { responderIdentity } from './identity';
import { recheckRule } from './recheck';
import type { ResponderDeps } from './respond';
import type { ResponderSettings, ResponseModeType } from './settings';
import { codeEntriesNeedingCodes, type ResponderSuppression, responderSuppression } from './suppressions';

type Decided = Omit<DecidedStep, 'auditId' | 'at'>;

/** The first stage: flapping, kill switch, decision, and for dry-run and auto the re-read and re-check. */
export async function decideStage(
  event: ComplianceChangeEvent,
  resource: RunbookResource,
  rule: AnyRule | undefined,
  runbook: RunbookEntry | undefined,
  mode: ResponseModeType,
  deps: ResponderDeps,
  log: Logger,
): Promise<Decided> {
  const d = event.detail;
  const { settings, state } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const newC = d.newEvaluationResult.complianceType;
  const oldC = d.oldEvaluationResult?.complianceType;
  const alertable = newC === 'NON_COMPLIANT' || (newC === 'COMPLIANT' && oldC === 'NON_COMPLIANT');
  const ruleId = wardRuleId(d.configRuleName);
  let identity = responderIdentity(resource);
  // Suppressions cover findings of ward rules; a set that could not be read covers nothing (fail closed).
  const entries = newC === 'NON_COMPLIANT' && ruleId && !deps.suppressions?.error ? deps.suppressions?.entries : [];
  const suppressionsError = newC === 'NON_COMPLIANT' ? deps.suppressions?.error : undefined;
  const suppressionOf = (codes: readonly string[], id: ResourceIdentity) =>
    entries && entries.length > 0 && ruleId
      ? responderSuppression(entries, { ruleId, resourceId: d.resourceId, ...id, codes }, now)
      : undefined;
  const common = (): Pick<Decided, 'ruleTitle' | 'identity' | 'suppressionsError'> => ({
    ruleTitle: titleOf(rule, d.configRuleName, settings),
    identity,
    ...(suppressionsError ? { suppressionsError } : {}),
  });
  // An entry for every code of the rule covers the change before anything is read or counted.
  const ruleWide = suppressionOf([], identity);
  if (ruleWide) {
    log.info({ suppression: describeSuppression(ruleWide.entry) }, 'suppressed: not alerted, not remediated');
    return {
      step: 'decided',
      decision: suppressedDecision(mode, runbook, ruleWide),
      findings: d.newEvaluationResult.annotation ? [d.newEvaluationResult.annotation] : [],
      ...common(),
      severity: severityOf(rule, undefined, ruleId, settings),
      suppression: suppressionRecord(ruleWide),
    };
  }
  let flap: { alert: FlapAlert; flapping: boolean; count: number } = { alert: 'normal', flapping: false, count: 1 };
  // The kill switch and the flap state are independent reads: both are in flight at once.
  const killSwitchRead = settle(
    settings.killSwitch || !state ? Promise.resolve(settings.killSwitch) : state.killSwitchOn(),
  );
  if (state && alertable) {
    const key = `${d.configRuleName}#${d.resourceType}#${d.resourceId}`;
    const next = flapUpdate(await state.getFlap(key), now, settings.flapWindowMinutes, settings.flapThreshold);
    await state.putFlap(key, next.state, new Date(now.getTime() + settings.flapWindowMinutes * 60_000));
    flap = next;
  }
  const killSwitch = await killSwitchRead;
  if (!killSwitch.ok) throw killSwitch.error;
  const input: DecisionInput = {
    newCompliance: newC,
    oldCompliance: oldC,
    mode,
    runbook,
    killSwitch: killSwitch.value,
    rateCapReached: false,
    flapping: flap.flapping,
    foreignAccount: settings.accountId && settings.accountId !== resource.accountId ? resource.accountId : undefined,
  };
  let decision = decide(input);
  let plan: Plan | undefined;
  let state_: unknown;
  let findings: string[] | undefined;
  let rechecked: { evaluation: Evaluation | undefined; codes: string[] } | undefined;
  if (decision.needsRecheck && runbook?.automated) {
    const ctx = deps.contexts(resource);
    try {
      state_ = await runbook.readState(resource, ctx.runbook);
    } catch (err) {
      if (!isGone(err)) throw err;
      log.info('the resource no longer exists: nothing to do');
      return {
        step: 'decided',
        decision: {
          ...decision,
          action: Action.NO_CHANGE,
          needsRecheck: false,
          reasons: ['The resource no longer exists: nothing to do.'],
        },
        gone: true,
        findings: [],
        ...common(),
      };
    }
    plan = runbook.plan(resource, state_, ctx.runbook.settings);
    const evaluation = rule
      ? await recheckRule(rule, runbook, resource, state_, settings.ruleParameters[rule.meta.id], ctx.rule)
      : undefined;
    if (evaluation?.compliance === 'NON_COMPLIANT') findings = evaluation.findings.map((f) => f.message);
    const item = itemOf(runbook, resource, state_);
    if (item) identity = responderIdentity(resource, item);
    const codes = evaluation?.compliance === Compliance.NON_COMPLIANT ? evaluation.findings.map((f) => f.code) : [];
    const byCode = codes.length > 0 ? suppressionOf(codes, identity) : undefined;
    if (byCode) {
      log.info({ suppression: describeSuppression(byCode.entry) }, 'suppressed: not alerted, not remediated');
      return {
        step: 'decided',
        decision: suppressedDecision(mode, runbook, byCode),
        plan,
        state: state_,
        findings: findings ?? [],
        findingCodes: codes,
        ...common(),
        severity: severityOf(rule, evaluation, ruleId, settings),
        suppression: suppressionRecord(byCode),
      };
    }
    rechecked = { evaluation, codes };
    const recheck = {
      tags: runbook.tagsOf(state_),
      compliance: evaluation?.compliance ?? ('unknown' as const),
      findingCodes: evaluation?.findings.map((f) => f.code) ?? [],
      planChanges: plan.changes.length,
      planBlocked: plan.blocked,
    };
    decision = decide({ ...input, recheck });
    if (
      decision.action === Action.REMEDIATE &&
      state &&
      !(await state.reserveAutoChange(resource.accountId, now, settings.maxAutoChangesPerHour))
    )
      decision = decide({ ...input, rateCapReached: true, recheck });
  }
  const kind = decision.action === Action.RESOLVED ? 'resolved' : alertable ? 'violation' : undefined;
  const codesKnown =
    rechecked !== undefined &&
    (rechecked.codes.length > 0 || rechecked.evaluation?.compliance === Compliance.COMPLIANT);
  if (!codesKnown && entries && ruleId) {
    const pending = codeEntriesNeedingCodes(entries, { ruleId, resourceId: d.resourceId, ...identity, codes: [] }, now);
    if (pending.length > 0)
      decision = {
        ...decision,
        reasons: [
          ...decision.reasons,
          `Suppressions for finding codes ${[...new Set(pending.map((e) => e.code))].join(', ')} of this resource ` +
            'cannot be checked: the rule was not re-run, so its finding codes are unknown (alerted, fail closed).',
        ],
      };
  }
  const severity = newC === 'NON_COMPLIANT' ? severityOf(rule, rechecked?.evaluation, ruleId, settings) : undefined;
  return {
    step: 'decided',
    decision,
    plan,
    state: state_,
    findings: findings ?? (d.newEvaluationResult.annotation ? [d.newEvaluationResult.annotation] : []),
    ...(rechecked ? { findingCodes: rechecked.codes } : {}),
    ...common(),
    ...(severity ? { severity } : {}),
    runbookUrl: runbook
      ? settings.runbookBaseUrl
        ? `${settings.runbookBaseUrl}${runbook.id}.md`
        : `runbooks/${runbook.id}.md (in the ward repository)`
      : undefined,
    alert: kind
      ? { kind: flap.alert === 'flapping' ? 'flapping' : kind, delivery: flap.alert, transitions: flap.count }
      : undefined,
  };
}

function titleOf(rule: AnyRule | undefined, configRuleName: string, settings: ResponderSettings): string {
  const id = wardRuleId(configRuleName);
  return rule?.meta.title ?? (id ? settings.ruleTitles[id] : undefined) ?? configRuleName;
}

/** The decision for a suppressed finding: nothing alerted, nothing changed, the entry as the reason. */
function suppressedDecision(
  mode: ResponseModeType,
  runbook: RunbookEntry | undefined,
  s: ResponderSuppression,
): Decided['decision'] {
  return {
    action: Action.SUPPRESSED,
    requestedMode: mode,
    runbookId: runbook?.id,
    needsRecheck: false,
    reasons: [s.auditNote],
  };
}

function suppressionRecord(s: ResponderSuppression): NonNullable<Decided['suppression']> {
  return {
    reason: s.entry.reason,
    ...(s.entry.owner ? { owner: s.entry.owner } : {}),
    ...(s.entry.expires ? { expires: s.entry.expires } : {}),
    entry: describeSuppression(s.entry),
  };
}

/** The re-read state as a configuration item (its ARN and name), or undefined when the runbook cannot say. */
function itemOf(runbook: RunbookEntry, resource: RunbookResource, state: unknown): ConfigurationItem | undefined {
  if (!runbook.automated) return undefined;
  try {
    return normalizeConfigurationItem(runbook.toConfigurationItem(resource, state as never));
  } catch {
    return undefined;
  }
}

/**
 * The alert's severity: the highest of the re-run rule's findings; else, the finding codes being unknown, the
 * rule's highest code severity (what was not looked at may be the worst case), from the bundled rule or the
 * deployed rules' table; undefined for rules ward does not know (AWS managed rules).
 */
function severityOf(
  rule: AnyRule | undefined,
  evaluation: Evaluation | undefined,
  ruleId: string | undefined,
  settings: ResponderSettings,
): Decided['severity'] {
  const fromFindings = rule && evaluation ? evaluationSeverity(rule, evaluation) : undefined;
  if (fromFindings) return { level: fromFindings, basis: 'findings' };
  const level = rule ? ruleMaxSeverity(rule) : ruleId ? settings.ruleSeverities[ruleId] : undefined;
  return level ? { level, basis: 'rule' } : undefined;
}
