import { settle } from '../rules/runtime/errors';
import type { Logger } from '../rules/runtime/logger';
import type { AnyRule } from '../rules/runtime/types';
import type { Plan, RunbookEntry, RunbookResource } from '../runbooks/types';
import type { DecidedStep } from './audit-steps';
import { Action, type DecisionInput, decide } from './decide';
import { type ComplianceChangeEvent, wardRuleId } from './event';
import { type FlapAlert, flapUpdate } from './flapping';
import { isGone } from './gone';
import { recheckRule } from './recheck';
import type { ResponderDeps } from './respond';
import type { ResponderSettings, ResponseModeType } from './settings';

/** The first stage: flapping, kill switch, decision, and for dry-run and auto the re-read and re-check. */
export async function decideStage(
  event: ComplianceChangeEvent,
  resource: RunbookResource,
  rule: AnyRule | undefined,
  runbook: RunbookEntry | undefined,
  mode: ResponseModeType,
  deps: ResponderDeps,
  log: Logger,
): Promise<Omit<DecidedStep, 'auditId' | 'at'>> {
  const d = event.detail;
  const { settings, state } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const newC = d.newEvaluationResult.complianceType;
  const oldC = d.oldEvaluationResult?.complianceType;
  const alertable = newC === 'NON_COMPLIANT' || (newC === 'COMPLIANT' && oldC === 'NON_COMPLIANT');
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
        ruleTitle: titleOf(rule, d.configRuleName, settings),
      };
    }
    plan = runbook.plan(resource, state_, ctx.runbook.settings);
    const evaluation = rule
      ? await recheckRule(rule, runbook, resource, state_, settings.ruleParameters[rule.meta.id], ctx.rule)
      : undefined;
    if (evaluation?.compliance === 'NON_COMPLIANT') findings = evaluation.findings.map((f) => f.message);
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
  return {
    step: 'decided',
    decision,
    plan,
    state: state_,
    findings: findings ?? (d.newEvaluationResult.annotation ? [d.newEvaluationResult.annotation] : []),
    ruleTitle: titleOf(rule, d.configRuleName, settings),
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
