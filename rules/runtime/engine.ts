import type { z } from 'zod';
import { type ConfigurationItem, isDeleted, isNotRecorded } from './configuration-item';
import type { RuleContext } from './context';
import { describeError } from './errors';
import { EVALUATION_ERROR_CODE, errorEvaluation, notApplicable } from './evaluation';
import { type AnyRule, Compliance, type Evaluation, type ParametersSchema, type Rule } from './types';
import { UNREADABLE_CONFIGURATION_CODE, UnreadableConfigurationError, unreadableEvaluation } from './unreadable';

/** Exemption parameters as rules declare them (see `commonParameters`). */
export interface ExemptionParams {
  readonly exemptResourceIds?: readonly string[];
  readonly exemptTag?: string;
}

/** The reason a resource is exempt, or undefined. Matches the resource id, name or ARN, and the tag. */
export function exemptionReason(
  params: unknown,
  resource: { resourceId: string; resourceName?: string; arn?: string; tags?: Readonly<Record<string, string>> },
): string | undefined {
  const p = (params ?? {}) as ExemptionParams;
  const ids = p.exemptResourceIds ?? [];
  const hit = [resource.resourceId, resource.resourceName, resource.arn].find(
    (v) => v !== undefined && ids.includes(v),
  );
  if (hit !== undefined) return `Exempt: ${hit} is listed in exemptResourceIds.`;
  if (p.exemptTag) {
    const eq = p.exemptTag.indexOf('=');
    const key = eq < 0 ? p.exemptTag : p.exemptTag.slice(0, eq);
    const value = eq < 0 ? undefined : p.exemptTag.slice(eq + 1);
    // Only the resource's own tag keys count: `exemptTag: "constructor"` must not match Object.prototype's.
    // Tag keys compare exactly, as AWS tag keys are case-sensitive.
    const tags = resource.tags;
    const actual = tags !== undefined && Object.hasOwn(tags, key) ? tags[key] : undefined;
    if (actual !== undefined && (value === undefined || actual === value)) {
      return `Exempt: tagged ${value === undefined ? key : `${key}=${value}`}.`;
    }
  }
  return undefined;
}

/**
 * Why the rule does not apply to this item before looking at it (deleted, not recorded, out of scope,
 * exempt), or undefined when it applies.
 */
export function preEvaluation(
  rule: AnyRule,
  item: ConfigurationItem,
  params: unknown,
  eventLeftScope = false,
): Evaluation | undefined {
  const ref = { resourceType: item.resourceType, resourceId: item.resourceId };
  if (eventLeftScope) return notApplicable(ref, 'The resource left the rule scope.');
  if (isDeleted(item)) return notApplicable(ref, 'The resource was deleted.');
  if (isNotRecorded(item)) return notApplicable(ref, 'Config does not record this resource type.');
  if (!rule.meta.resourceTypes.includes(item.resourceType)) {
    return notApplicable(ref, `${item.resourceType} is outside the scope of ${rule.meta.id}.`);
  }
  const exempt = exemptionReason(params, item);
  if (exempt) return notApplicable(ref, exempt);
  // The status says the resource exists, but there is nothing to judge: never COMPLIANT, never "deleted".
  if (item.configurationProblem) {
    return unreadableEvaluation(ref, item.configurationProblem.path, item.configurationProblem.problem);
  }
  if (item.configuration === null) {
    return unreadableEvaluation(ref, 'configuration', 'the configuration item has no configuration');
  }
  return undefined;
}

/** The evaluation of a rule that threw: `unreadable-configuration` for a field it could not read, else an error. */
function failedEvaluation(ref: { resourceType: string; resourceId: string }, ruleId: string, err: unknown): Evaluation {
  if (err instanceof UnreadableConfigurationError) return unreadableEvaluation(ref, err.path, err.message);
  return errorEvaluation(ref, ruleId, err);
}

/** Codes the runtime adds to any rule's results. */
const RUNTIME_CODES: ReadonlySet<string> = new Set([EVALUATION_ERROR_CODE, UNREADABLE_CONFIGURATION_CODE]);

const COMPLIANCE_VALUES: ReadonlySet<string> = new Set(Object.values(Compliance));

/** Checks a rule's output: it must name the resource and follow the evaluation union. */
function checkOutput(rule: AnyRule, out: unknown): Evaluation[] {
  if (!Array.isArray(out) || out.length === 0) throw new Error('evaluate returned no evaluation');
  for (const e of out as Evaluation[]) {
    if (!e?.resourceType || !e.resourceId) throw new Error('evaluate returned an evaluation without a resource');
    if (e.compliance === Compliance.NON_COMPLIANT && e.findings.length === 0) {
      throw new Error('a NON_COMPLIANT evaluation needs at least one finding');
    }
    if (!COMPLIANCE_VALUES.has(e.compliance)) throw new Error(`unknown compliance ${String(e.compliance)}`);
    for (const f of e.findings) {
      if (!RUNTIME_CODES.has(f.code) && !Object.hasOwn(rule.meta.findingCodes, f.code)) {
        throw new Error(`finding code ${f.code} is not declared in meta.findingCodes`);
      }
    }
  }
  return out as Evaluation[];
}

/**
 * Evaluates one configuration item with a rule's `evaluate` (no `gather`), failing closed: an exception
 * becomes a NON_COMPLIANT `evaluation-error` for this resource only.
 */
export function evaluateWithFacts<P extends ParametersSchema, F>(
  rule: Rule<P, F>,
  item: ConfigurationItem,
  params: z.output<P>,
  facts: F,
): Evaluation[] {
  const pre = preEvaluation(rule as AnyRule, item, params);
  if (pre) return [pre];
  const ref = { resourceType: item.resourceType, resourceId: item.resourceId };
  try {
    return checkOutput(rule as AnyRule, rule.evaluate({ item, params, facts, accountId: item.accountId }));
  } catch (err) {
    return [failedEvaluation(ref, rule.meta.id, err)];
  }
}

/**
 * The full path for one item: applicability, `gather`, `evaluate`. Never throws: a failure is logged with
 * rule id and resource id and reported as an `evaluation-error` for that resource.
 */
export async function evaluateItem(
  rule: AnyRule,
  item: ConfigurationItem,
  params: unknown,
  ctx: RuleContext,
  options: { eventLeftScope?: boolean } = {},
): Promise<Evaluation[]> {
  const pre = preEvaluation(rule, item, params, options.eventLeftScope);
  if (pre) return [pre];
  const ref = { resourceType: item.resourceType, resourceId: item.resourceId };
  try {
    const facts = rule.gather ? await rule.gather(item, ctx, params) : undefined;
    return checkOutput(rule, rule.evaluate({ item, params, facts, accountId: item.accountId || ctx.accountId }));
  } catch (err) {
    const unreadable = err instanceof UnreadableConfigurationError;
    ctx.logger[unreadable ? 'warn' : 'error'](
      { rule: rule.meta.id, resourceType: item.resourceType, resourceId: item.resourceId, err: describeError(err) },
      unreadable ? 'unreadable configuration item' : 'rule failed on resource',
    );
    return [failedEvaluation(ref, rule.meta.id, err)];
  }
}

/**
 * Runs a periodic rule's `collect`. Never throws: a failure becomes one `evaluation-error` on the account
 * (`AWS::::Account`), so the failure is visible in Config rather than silently reporting nothing.
 */
export async function collectEvaluations(rule: AnyRule, params: unknown, ctx: RuleContext): Promise<Evaluation[]> {
  if (!rule.collect) return [];
  try {
    return await rule.collect(ctx, params);
  } catch (err) {
    ctx.logger.error({ rule: rule.meta.id, err: describeError(err) }, 'periodic collection failed');
    return [errorEvaluation({ resourceType: 'AWS::::Account', resourceId: ctx.accountId }, rule.meta.id, err)];
  }
}
