/**
 * The CloudFormation Lambda hook: before a resource of a covered type is created or updated, judges its
 * properties with ward's rules and answers SUCCESS, or FAILED with errorCode NonCompliant naming the findings
 * (the hook's failure mode, FAIL or WARN, decides whether the operation stops). Anything that keeps the hook
 * from judging (a malformed request, a rule that throws, the time budget running out) answers FAILED with
 * InternalFailure: never SUCCESS by default.
 */
import { rules as registry } from '../rules';
import { describeError } from '../rules/runtime/errors';
import { EVALUATION_ERROR_CODE } from '../rules/runtime/evaluation';
import { Compliance, type AnyRule, type SeverityLevel } from '../rules/runtime/types';
import { findingSeverity, highest, ruleMaxSeverity } from '../scan/findings/severity';
import {
  cut,
  type HookAnnotation,
  hookRequestSchema,
  type HookResponse,
  MAX_ANNOTATION_TEXT,
  MAX_MESSAGE,
} from './event';
import { evaluateResource, type ResourceResult } from './evaluate';

/** CloudFormation waits 30 seconds; the hook answers before that, failing closed. */
export const TIME_BUDGET_MS = 25_000;

const SEVERITY: Readonly<Record<SeverityLevel, HookAnnotation['severityLevel']>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  informational: 'INFORMATIONAL',
};

/** Where each rule is documented, for the annotations' remediation link. */
const DOCS_BASE = process.env.WARD_DOCS_URL ?? 'https://github.com/ward-compliance/ward/blob/main/rules';

/** Rule parameters as deployed (ward.config.json), given to the function as JSON in WARD_RULE_PARAMETERS. */
function deployedParameters(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw = env.WARD_RULE_PARAMETERS;
  if (!raw) return {};
  const parsed = JSON.parse(raw) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('WARD_RULE_PARAMETERS is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The region of a stack ARN (`arn:aws:cloudformation:eu-west-1:...`), else the function's own. */
function regionOf(stackId: string | undefined, env: NodeJS.ProcessEnv): string {
  return stackId?.split(':')[3] || env.AWS_REGION || 'us-east-1';
}

function annotation(result: ResourceResult): HookAnnotation {
  const { rule, evaluations } = result;
  const failing = evaluations.filter((e) => e.compliance === Compliance.NON_COMPLIANT);
  const applicable = evaluations.some((e) => e.compliance !== Compliance.NOT_APPLICABLE);
  const status = failing.length > 0 ? 'FAILED' : applicable ? 'PASSED' : 'SKIPPED';
  const text =
    failing.length > 0
      ? failing.flatMap((e) => e.findings.map((f) => `${f.code}: ${f.message}`)).join(' ')
      : (evaluations[0]?.annotation ?? `${rule.meta.title}.`);
  return {
    annotationName: `ward-${rule.meta.id}`,
    status,
    statusMessage: cut(text, MAX_ANNOTATION_TEXT),
    ...(status === 'FAILED'
      ? {
          remediationMessage: cut(`${rule.meta.title}. ${rule.meta.rationale}`, MAX_ANNOTATION_TEXT),
          remediationLink: `${DOCS_BASE}/${rule.meta.id}/README.md`,
        }
      : {}),
    // The most severe failing finding's, by its code (a passing rule: its most severe code's, as a label).
    severityLevel:
      SEVERITY[
        highest(failing.flatMap((e) => e.findings.map((f) => findingSeverity(rule, f)))) ?? ruleMaxSeverity(rule)
      ],
  };
}

/** The one-paragraph message: each finding as `rule/code: message`, cut to CloudFormation's limit. */
function summary(logicalId: string, results: readonly ResourceResult[]): string {
  const lines = results.flatMap(({ rule, evaluations }) =>
    evaluations
      .filter((e) => e.compliance === Compliance.NON_COMPLIANT)
      .flatMap((e) => e.findings.map((f) => `${rule.meta.id}/${f.code}: ${f.message}`)),
  );
  return cut(`ward: ${logicalId} is not compliant: ${lines.join(' | ')}`, MAX_MESSAGE);
}

function internalFailure(token: string, reason: string): HookResponse {
  return {
    hookStatus: 'FAILED',
    errorCode: 'InternalFailure',
    message: cut(`ward could not judge the resource, so it is not let through: ${reason}`, MAX_MESSAGE),
    clientRequestToken: token,
  };
}

/** Judges one hook request. Exported with its dependencies for tests. */
export async function handleHookRequest(
  event: unknown,
  deps: { rules?: readonly AnyRule[]; env?: NodeJS.ProcessEnv; budgetMs?: number } = {},
): Promise<HookResponse> {
  const env = deps.env ?? process.env;
  const token =
    typeof event === 'object' &&
    event !== null &&
    typeof (event as { clientRequestToken?: unknown }).clientRequestToken === 'string'
      ? (event as { clientRequestToken: string }).clientRequestToken
      : '';
  const parsed = hookRequestSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return internalFailure(token, `malformed hook request (${issue.path.join('.') || 'event'}: ${issue.message})`);
  }
  const request = parsed.data;
  const { targetType, targetLogicalId, targetModel } = request.requestData;
  // Deleting a resource cannot make it non-compliant.
  if (request.actionInvocationPoint.startsWith('DELETE')) {
    return {
      hookStatus: 'SUCCESS',
      message: `ward: ${targetLogicalId} is being deleted; nothing to judge.`,
      clientRequestToken: request.clientRequestToken,
    };
  }
  const properties = targetModel?.resourceProperties ?? {};
  let timer: NodeJS.Timeout | undefined;
  try {
    const results = await Promise.race([
      evaluateResource({
        rules: deps.rules ?? registry,
        rawParams: deployedParameters(env),
        type: targetType,
        logicalId: targetLogicalId,
        properties: { ...properties },
        accountId: request.awsAccountId ?? '',
        region: regionOf(request.stackId, env),
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the evaluation did not finish within the time budget')),
          deps.budgetMs ?? TIME_BUDGET_MS,
        );
      }),
    ]);
    const annotations = results.map(annotation);
    const errors = results.flatMap((r) =>
      r.evaluations.flatMap((e) => e.findings.filter((f) => f.code === EVALUATION_ERROR_CODE)),
    );
    if (errors.length > 0) return { ...internalFailure(request.clientRequestToken, errors[0].message), annotations };
    if (annotations.some((a) => a.status === 'FAILED')) {
      return {
        hookStatus: 'FAILED',
        errorCode: 'NonCompliant',
        message: summary(targetLogicalId, results),
        clientRequestToken: request.clientRequestToken,
        annotations,
      };
    }
    const judged = annotations.filter((a) => a.status === 'PASSED').length;
    return {
      hookStatus: 'SUCCESS',
      message:
        judged > 0
          ? `ward: ${targetLogicalId} (${targetType}) passes ${judged} rule${judged === 1 ? '' : 's'}.`
          : `ward: no rule covers ${targetType}.`,
      clientRequestToken: request.clientRequestToken,
      annotations,
    };
  } catch (err) {
    return internalFailure(request.clientRequestToken, describeError(err));
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The Lambda entry point. */
export const handler = (event: unknown): Promise<HookResponse> => handleHookRequest(event);
