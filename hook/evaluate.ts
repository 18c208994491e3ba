/**
 * Judges the one resource a hook invocation is about with the same rules and the same CloudFormation adapter
 * as `ward scan` (properties arrive resolved, so nothing is resolved again). A policy resource is judged on a
 * stand-in for its target, as Config will see the target once the policy is attached: the target's other
 * settings are not in the request, so they are taken as the least protective (no Block Public Access).
 */
import { createLogger } from '../rules/runtime/logger';
import { parseRuleParameters } from '../rules/runtime/parameters';
import { Compliance, type AnyRule, type Evaluation } from '../rules/runtime/types';
import { templateItems } from '../scan/inputs/cloudformation';
import { WEBSOCKET_API_TYPE } from '../scan/inputs/entry-point-items';
import { runsOnTemplates } from '../scan/inputs/template-entry-points';
import { judgeTemplateItems } from '../scan/inputs/template-judge';

/** The rule results for one resource. */
export interface ResourceResult {
  readonly rule: AnyRule;
  readonly evaluations: Evaluation[];
}

/** Where a policy resource's target is named, and the stand-in target built for it. */
const STAND_INS: Readonly<
  Record<string, { prop: string; type: string; properties(name: string): Record<string, unknown> }>
> = {
  'AWS::S3::BucketPolicy': {
    prop: 'Bucket',
    type: 'AWS::S3::Bucket',
    properties: (name) => ({
      BucketName: name,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    }),
  },
  'AWS::SQS::QueuePolicy': {
    prop: 'Queues',
    type: 'AWS::SQS::Queue',
    properties: () => ({ SqsManagedSseEnabled: true }),
  },
  'AWS::SNS::TopicPolicy': {
    prop: 'Topics',
    type: 'AWS::SNS::Topic',
    properties: () => ({ KmsMasterKeyId: 'alias/aws/sns' }),
  },
  'AWS::Lambda::Permission': {
    prop: 'FunctionName',
    type: 'AWS::Lambda::Function',
    properties: (name) => ({ FunctionName: name }),
  },
};

/** `"true"`/`"false"` as booleans: hooks pass every scalar as a string, templates write booleans. */
function coerce(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (Array.isArray(value)) return value.map(coerce);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerce(v)]));
  }
  return value;
}

/** The resources to build: the target, and a stand-in for what a policy resource attaches to. */
function resourcesFor(type: string, logicalId: string, properties: Record<string, unknown>) {
  const resources: Record<string, { Type: string; Properties: Record<string, unknown> }> = {
    [logicalId]: { Type: type, Properties: properties },
  };
  const standIn = STAND_INS[type];
  const onlyPolicies = standIn !== undefined;
  if (standIn) {
    const raw = properties[standIn.prop];
    const names = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    names.forEach((name, i) => {
      const short = name.split(/[:/]/).pop() ?? name;
      resources[`${logicalId}Target${i}`] = { Type: standIn.type, Properties: standIn.properties(short) };
      // The policy names the target by its physical name, ARN or URL: let it refer to the stand-in.
      properties[standIn.prop] = Array.isArray(raw)
        ? raw.map((v) => (v === name ? { Ref: `${logicalId}Target${i}` } : v))
        : { Ref: `${logicalId}Target${i}` };
    });
  }
  return { resources, onlyPolicies };
}

/**
 * Judges one resource of a hook request. Only change-triggered rules covering the built items run; for a
 * policy resource only the findings about the policy count (the stand-in's other settings are not real).
 */
export async function evaluateResource(options: {
  readonly rules: readonly AnyRule[];
  readonly rawParams: Readonly<Record<string, unknown>>;
  readonly type: string;
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
  readonly accountId: string;
  readonly region: string;
}): Promise<ResourceResult[]> {
  const properties = coerce(options.properties) as Record<string, unknown>;
  const { resources, onlyPolicies } = resourcesFor(options.type, options.logicalId, properties);
  const { items: built } = templateItems(
    { file: options.logicalId, template: { Resources: resources } },
    { target: { accountId: options.accountId, region: options.region }, resolve: options.type in STAND_INS },
  );
  // A WebSocket API's routes are resources of their own, never in the API's request: its missing `$connect` is
  // not known here (the scan and WardChecks, which see the whole template, judge it).
  const items = built.filter((t) => t.item.resourceType !== WEBSOCKET_API_TYPE);
  const params = new Map<AnyRule, unknown>();
  const runnable = options.rules.filter(runsOnTemplates);
  for (const rule of runnable)
    params.set(rule, parseRuleParameters(rule.meta.parameters, options.rawParams[rule.meta.id], rule.meta.id));
  const results = new Map<AnyRule, Evaluation[]>();
  await judgeTemplateItems({
    items: onlyPolicies ? items.filter((t) => t.location.logicalId !== options.logicalId) : items,
    rules: runnable,
    params,
    logger: createLogger({ component: 'hook' }),
    onEvaluation: (rule, e) => {
      let evaluation = e;
      if (onlyPolicies && e.compliance === Compliance.NON_COMPLIANT) {
        const findings = e.findings.filter((f) => /polic/i.test(f.path ?? ''));
        evaluation =
          findings.length > 0
            ? ({ ...e, findings } as unknown as Evaluation)
            : ({ ...e, compliance: Compliance.COMPLIANT, findings: [] } as unknown as Evaluation);
      }
      results.set(rule, [...(results.get(rule) ?? []), evaluation]);
    },
  });
  return [...results].map(([rule, evaluations]) => ({ rule, evaluations }));
}
