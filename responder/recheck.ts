import type { DescribeKeyCommandInput } from '@aws-sdk/client-kms';
import { normalizeConfigurationItem } from '../rules/runtime/configuration-item';
import type { RuleContext } from '../rules/runtime/context';
import { collectEvaluations, evaluateItem } from '../rules/runtime/engine';
import { errorEvaluation } from '../rules/runtime/evaluation';
import { createKmsKeyLookup } from '../rules/runtime/key-lookup';
import type { Logger } from '../rules/runtime/logger';
import { parseRuleParameters } from '../rules/runtime/parameters';
import { createRuleContext } from '../rules/runtime/rule-context';
import type { AnyRule, Evaluation } from '../rules/runtime/types';
import type { AnyAutomatedRunbook, RunbookContext, RunbookResource, RunbookSettings } from '../runbooks/types';
import { responderRules } from './rules';
import * as sdk from '../rules/runtime/sdk';

/** Looks a ward rule up by id (the responder's rules by default; tests inject their own). */
export type RuleFinder = (id: string) => AnyRule | undefined;

/** Finds one of {@link responderRules} by id. */
export const findRule: RuleFinder = (id) => responderRules.find((r) => r.meta.id === id);

/**
 * Re-runs a rule on the resource's live state (the runbook's reading, as a configuration item) rather than on
 * what Config recorded when it sent the event. Periodic-only rules run their `collect` and keep this
 * resource's evaluation. Undefined when the rule cannot judge the resource this way. Never throws: a failure
 * is an `evaluation-error` (NON_COMPLIANT), so nothing is changed on a guess.
 */
export async function recheckRule(
  rule: AnyRule,
  runbook: AnyAutomatedRunbook,
  resource: RunbookResource,
  state: unknown,
  rawParams: unknown,
  ctx: RuleContext,
): Promise<Evaluation | undefined> {
  const ref = { resourceType: resource.resourceType, resourceId: resource.resourceId };
  try {
    const params = parseRuleParameters(rule.meta.parameters, rawParams ?? {}, rule.meta.id);
    if (rule.meta.resourceTypes.includes(resource.resourceType)) {
      const item = normalizeConfigurationItem(runbook.toConfigurationItem(resource, state));
      const out = await evaluateItem(rule, item, params, ctx);
      return out.find((e) => e.resourceId === resource.resourceId) ?? out[0];
    }
    if (rule.collect && rule.meta.periodicResourceTypes?.includes(resource.resourceType)) {
      const out = await collectEvaluations(rule, params, ctx);
      return out.find((e) => e.resourceType === resource.resourceType && e.resourceId === resource.resourceId);
    }
    return undefined;
  } catch (err) {
    return errorEvaluation(ref, rule.meta.id, err);
  }
}

/** A rule context and a runbook context for one resource, sharing one SDK client cache. */
export function createContexts(
  resource: RunbookResource,
  settings: RunbookSettings,
  logger: Logger,
): { rule: RuleContext; runbook: RunbookContext } {
  let ruleCtx: RuleContext | undefined = undefined;
  // KMS is imported on first use: a notify-only response never loads it (cold start).
  const keys = createKmsKeyLookup(
    (region) => ({
      async send(input) {
        const { DescribeKeyCommand, KMSClient } = await sdk.kms();
        return (ruleCtx as RuleContext)
          .client(KMSClient, region)
          .send(new DescribeKeyCommand(input as DescribeKeyCommandInput));
      },
    }),
    (keyId): DescribeKeyCommandInput => ({ KeyId: keyId }),
  );
  ruleCtx = createRuleContext({ mode: 'lambda', accountId: resource.accountId, region: resource.region, logger, keys });
  const rc = ruleCtx;
  return {
    rule: rc,
    runbook: { client: (ctor, region) => rc.client(ctor, region), logger, settings },
  };
}
