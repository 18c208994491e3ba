import {
  type ComplianceType,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandOutput,
} from '@aws-sdk/client-config-service';
import { EVALUATION_ERROR_CODE, notApplicable, type ResourceRef } from './evaluation';
import type { AnyRule, Evaluation } from './types';

/*
 * A periodic rule reports the resources it finds now; Config keeps the last evaluation of every resource it was
 * ever told about. Without a clean-up a deleted log group would stay NON_COMPLIANT forever, so the resources
 * judged last time and missing now are re-posted as NOT_APPLICABLE (RDK's clean_up_old_evaluations).
 */

/** The Config client operation the clean-up uses (the SDK's ConfigServiceClient fits). */
export interface ComplianceDetailsClient {
  send(command: GetComplianceDetailsByConfigRuleCommand): Promise<GetComplianceDetailsByConfigRuleCommandOutput>;
}

/** The reason reported for a resource that the periodic run no longer finds. */
export const VANISHED_REASON = 'The resource no longer exists: the last periodic run did not find it.';

/** The account-level pseudo resource `collectEvaluations` reports a failed collection on. */
const ACCOUNT_TYPE = 'AWS::::Account';

/**
 * True when `collect` itself failed (the account-level evaluation-error): the run then proves nothing about
 * which resources exist, and nothing must be cleared.
 */
export function collectionFailed(evaluations: readonly Evaluation[]): boolean {
  return evaluations.some(
    (e) => e.resourceType === ACCOUNT_TYPE && e.findings.some((f) => f.code === EVALUATION_ERROR_CODE),
  );
}

/**
 * The resource types the periodic path owns. A rule that is also change-triggered owns its `resourceTypes`
 * through change notifications, so only its other periodic types (and the account-level error) are cleared.
 */
export function periodicTypeFilter(rule: AnyRule): (resourceType: string) => boolean {
  const { trigger, resourceTypes, periodicResourceTypes } = rule.meta;
  if (!trigger.onChange) return () => true;
  const owned = new Set((periodicResourceTypes ?? []).filter((t) => !resourceTypes.includes(t)));
  owned.add(ACCOUNT_TYPE);
  return (t) => owned.has(t);
}

/**
 * The resources of the rule's periodic types that Config holds a COMPLIANT or NON_COMPLIANT evaluation for.
 * Reads every page of GetComplianceDetailsByConfigRule. Independent of the current run, so the handler reads
 * it while `collect` runs.
 */
export async function previouslyJudged(
  client: ComplianceDetailsClient,
  configRuleName: string,
  rule: AnyRule,
): Promise<ResourceRef[]> {
  const owned = periodicTypeFilter(rule);
  const judged: ResourceRef[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: configRuleName,
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] as ComplianceType[],
        Limit: 100,
        NextToken: nextToken,
      }),
    );
    for (const r of page.EvaluationResults ?? []) {
      const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (!q?.ResourceType || !q.ResourceId || !owned(q.ResourceType)) continue;
      judged.push({ resourceType: q.ResourceType, resourceId: q.ResourceId });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return judged;
}

/** NOT_APPLICABLE evaluations for the previously judged resources that are not in `current` (each once). */
export function vanished(previous: readonly ResourceRef[], current: readonly Evaluation[]): Evaluation[] {
  const seen = new Set(current.map((e) => `${e.resourceType}|${e.resourceId}`));
  const gone: Evaluation[] = [];
  for (const r of previous) {
    const key = `${r.resourceType}|${r.resourceId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    gone.push(notApplicable(r, VANISHED_REASON));
  }
  return gone;
}
