/**
 * Judges template items with the rules, unchanged: every `Fn::If` branch and, for values unknown before
 * deploy, the worst case. A finding in any branch counts (and says which); a finding only the worst case has
 * is an unknown the rule cannot rule out, reported with what was unresolved, never assumed compliant.
 */
import type { ConfigurationItem } from '../../rules/runtime/configuration-item';
import type { ResourceLookup } from '../../rules/runtime/context';
import { evaluateItem } from '../../rules/runtime/engine';
import { errorEvaluation } from '../../rules/runtime/evaluation';
import { createSnapshotKeyLookup } from '../../rules/runtime/key-lookup';
import type { Logger } from '../../rules/runtime/logger';
import { createRuleContext } from '../../rules/runtime/rule-context';
import { Compliance, type AnyRule, type Evaluation, type Finding } from '../../rules/runtime/types';
import type { ItemLocation } from '../findings/location';
import type { EvaluationSource } from '../findings/scan-evaluation';
import { DEFAULT_TARGET, type TemplateItem } from './cloudformation';
import { ENTRY_POINT_TYPES } from './entry-point-items';
import { judgeEntryPointItem, judgesTemplateType } from './template-entry-points';

/** An evaluation of a template resource with where it is written (file, line, logical id, branch). */
interface LocatedEvaluation {
  readonly evaluation: Evaluation;
  readonly location: ItemLocation;
  readonly from: TemplateItem;
}

/** The lookups rules use offline, over the items of the templates being judged (keys, managed policies). */
export function templateLookups(items: readonly TemplateItem[]) {
  const keys = createSnapshotKeyLookup();
  const byKey = new Map<string, ConfigurationItem>();
  const byArn = new Map<string, ConfigurationItem>();
  for (const { item } of items) {
    keys.add(item);
    byKey.set(`${item.resourceType}|${item.resourceId}`, item);
    if (item.arn) byArn.set(`${item.resourceType}|${item.arn}`, item);
  }
  const resources: ResourceLookup = {
    get: async (type, id) => byKey.get(`${type}|${id}`),
    findByArn: async (type, arn) => byArn.get(`${type}|${arn}`),
    async *list(type) {
      for (const item of byKey.values()) if (item.resourceType === type) yield item;
    },
  };
  return { keys, resources };
}

/**
 * CI field -> CloudFormation property (the first the resource has), where a finding path names the field under
 * another name. A REST stage writes `AccessLogSetting`, an HTTP stage `AccessLogSettings`, and the stage of a
 * deployment both under `StageDescription`.
 */
const PROPERTY_OF: Readonly<Record<string, string | readonly string[]>> = {
  accessLogSettings: ['AccessLogSetting', 'AccessLogSettings', 'StageDescription'],
  methodSettings: ['MethodSettings', 'StageDescription'],
  ServerSideEncryptionConfiguration: 'BucketEncryption',
  assumeRolePolicyDocument: 'AssumeRolePolicyDocument',
  rolePolicyList: 'Policies',
  userPolicyList: 'Policies',
  groupPolicyList: 'Policies',
  attachedManagedPolicies: 'ManagedPolicyArns',
  ssedescription: 'SSESpecification',
  policyVersionList: 'PolicyDocument',
  encryptionAtRestOptions: 'EncryptionAtRestOptions',
  accessPolicies: 'AccessPolicies',
  KMSKeyId: 'KmsKeyId',
  Policy: 'KeyPolicy',
  AccessControlList: 'AccessControl',
  PublicAccessBlockConfiguration: 'PublicAccessBlockConfiguration',
};

/** The location of a finding: the line of the property its path names, when the template has it. */
export function findingLocation(t: TemplateItem, finding: Finding | undefined): ItemLocation {
  const path = finding?.path;
  if (!path) return t.location;
  for (const segment of path.split(/[.[\]]/)) {
    if (!segment) continue;
    const mapped = PROPERTY_OF[segment] ?? segment;
    for (const prop of typeof mapped === 'string' ? [mapped] : mapped) {
      const line = t.propertyLines.get(prop) ?? t.propertyLines.get(prop.charAt(0).toUpperCase() + prop.slice(1));
      if (line) return { ...t.location, line };
    }
  }
  // A policy another resource attached (a bucket policy, a permission): point at that resource.
  const related = t.relatedLines?.[0];
  if (related && /polic/i.test(path)) return { ...t.location, line: related };
  return t.location;
}

const sameFindings = (a: Evaluation, b: Evaluation) =>
  JSON.stringify(a.findings.map((f) => [f.code, f.message])) ===
  JSON.stringify(b.findings.map((f) => [f.code, f.message]));

/**
 * What the finding model is told about a template evaluation: its location, and an identity with only what
 * the input really says. Before deploy the rest is not known, and the stand-ins rules were given
 * ({@link DEFAULT_TARGET}, generated physical names) are never reported as the resource's: accountId and
 * region are `''` (unknown, as the JSON schema says) unless the input names them (a CDK stack's environment,
 * a Terraform provider), and the ARN and name are left out when the name is generated at deploy or holds a
 * stand-in. Outputs show `''` as unknown; the fingerprint stays stable across runs (logical id and path).
 */
export function templateSource(t: TemplateItem, location: ItemLocation): EvaluationSource {
  const accountId = t.known?.accountId ?? '';
  const region = t.known?.region ?? '';
  const standIns = [
    ...(accountId === '' ? [DEFAULT_TARGET.accountId] : []),
    ...(region === '' ? [DEFAULT_TARGET.region] : []),
  ];
  const real = (v: string | undefined) =>
    v !== undefined && t.named !== false && !standIns.some((s) => v.includes(s)) && !v.includes('{{unresolved:');
  const { arn, resourceName, ...rest } = t.item;
  return {
    item: {
      ...rest,
      ...(real(arn) ? { arn } : {}),
      ...(real(resourceName) ? { resourceName } : {}),
      accountId,
      awsRegion: region,
    } as ConfigurationItem,
    deriveArn: false,
    location,
    ...(t.scope !== undefined ? { scope: t.scope } : {}),
  };
}

/** Options of {@link judgeTemplateItems}. */
export interface TemplateJudgeOptions {
  readonly items: readonly TemplateItem[];
  readonly rules: readonly AnyRule[];
  readonly params: ReadonlyMap<AnyRule, unknown>;
  readonly logger: Logger;
  /** The clock of the run (rules with dated tables judge at it); default: now. */
  readonly now?: Date;
  /** Receives each evaluation with its source (identity and location), as `ward scan` records them. */
  onEvaluation(rule: AnyRule, evaluation: Evaluation, source: EvaluationSource): void;
}

/** Evaluates template items; one evaluation per rule and resource (more when branches differ). */
export async function judgeTemplateItems(options: TemplateJudgeOptions): Promise<void> {
  const lookups = templateLookups(options.items);
  const contexts = new Map<string, ReturnType<typeof createRuleContext>>();
  const ctxFor = (item: ConfigurationItem) => {
    const key = `${item.accountId}|${item.awsRegion}`;
    let ctx = contexts.get(key);
    if (!ctx) {
      ctx = createRuleContext({
        mode: 'snapshot',
        accountId: item.accountId,
        region: item.awsRegion,
        logger: options.logger,
        keys: lookups.keys,
        resources: lookups.resources,
        ...(options.now ? { invokedAt: options.now } : {}),
      });
      contexts.set(key, ctx);
    }
    return ctx;
  };
  const emit = (rule: AnyRule, j: LocatedEvaluation, location = j.location) =>
    options.onEvaluation(rule, j.evaluation, templateSource(j.from, location));
  // Variants of one resource (branches) are judged together.
  const groups = new Map<string, TemplateItem[]>();
  for (const t of options.items) {
    const key = `${t.location.file}|${t.location.logicalId}|${t.item.resourceType}|${t.item.resourceId}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const variants of groups.values()) {
    const type = variants[0].item.resourceType;
    for (const rule of options.rules) {
      if (!judgesTemplateType(rule, type)) continue;
      const params = options.params.get(rule);
      const judged: LocatedEvaluation[] = [];
      for (const t of variants) {
        for (const e of await judgeOne(rule, t, params, ctxFor(t.item))) judged.push(e);
      }
      const failing = judged.filter((j) => j.evaluation.compliance === Compliance.NON_COMPLIANT);
      if (failing.length === 0) {
        emit(rule, judged[0]);
        continue;
      }
      // The same findings in every branch are one finding, not one per branch; findings some branches share
      // are one finding naming those branches.
      const distinct = failing.filter(
        (j, i) => !failing.slice(0, i).some((o) => sameFindings(o.evaluation, j.evaluation)),
      );
      const everywhere = distinct.length === 1 && failing.length === judged.length;
      for (const j of distinct) {
        if (everywhere || !j.location.branch) {
          const { branch: _all, ...anyBranch } = j.location;
          emit(rule, j, anyBranch);
          continue;
        }
        const branch = failing
          .filter((o) => sameFindings(o.evaluation, j.evaluation))
          .map((o) => o.location.branch)
          .join(' | ');
        emit(rule, inBranch(j, branch), { ...j.location, branch });
      }
    }
  }
}

async function judgeOne(
  rule: AnyRule,
  t: TemplateItem,
  params: unknown,
  ctx: ReturnType<typeof createRuleContext>,
): Promise<LocatedEvaluation[]> {
  const out: LocatedEvaluation[] = [];
  // Entry points have no configuration item in Config: the rule's judges read them (worst case inside).
  if (!rule.meta.resourceTypes.includes(t.item.resourceType) && ENTRY_POINT_TYPES.includes(t.item.resourceType)) {
    let e: Evaluation;
    try {
      e = judgeEntryPointItem(t, (params ?? { publicRoutes: [] }) as never);
    } catch (err) {
      // Fail closed, as the engine does for a rule that throws: the endpoint is reported, never dropped.
      e = errorEvaluation({ resourceType: t.item.resourceType, resourceId: t.item.resourceId }, rule.meta.id, err);
    }
    return [located(e, t)];
  }
  const seen = await evaluateItem(rule, t.item, params, ctx);
  for (const e of seen) {
    if (e.compliance === Compliance.NON_COMPLIANT && t.unresolved.length > 0) {
      out.push(located(markUnknown(e, t), t));
      continue;
    }
    if (e.compliance !== Compliance.COMPLIANT || !t.worst) {
      out.push(located(e, t));
      continue;
    }
    const worst = (await evaluateItem(rule, t.worst, params, ctx)).find(
      (w) => w.resourceId === e.resourceId && w.compliance === Compliance.NON_COMPLIANT,
    );
    if (!worst || worst.compliance !== Compliance.NON_COMPLIANT) {
      out.push(located(e, t));
      continue;
    }
    const why = `Unknown before deploy (${t.unresolved.join('; ')}); if it resolves to "*": `;
    const findings = worst.findings.map((f) => ({ ...f, message: `${why}${f.message}` })) as [Finding, ...Finding[]];
    out.push(located({ ...worst, findings, annotation: `${why}${worst.annotation}`.slice(0, 256) }, t));
  }
  return out;
}

/** The item's value at the first two segments of a finding path (`configuration.Policy`). */
function fieldAt(item: ConfigurationItem, path: string): unknown {
  const [root, field] = path.split(/[.[]/);
  const base =
    root === 'configuration'
      ? item.configuration
      : root === 'supplementaryConfiguration'
        ? item.supplementaryConfiguration
        : undefined;
  return field === undefined ? undefined : base?.[field];
}

/** Says, in each finding about a field that holds an unresolved value, that the value is unknown before deploy. */
function markUnknown(e: Evaluation & { compliance: 'NON_COMPLIANT' }, t: TemplateItem): Evaluation {
  const findings = e.findings.map((f) => {
    const value = f.path ? fieldAt(t.item, f.path) : undefined;
    const unknown = JSON.stringify(value ?? null).includes('{{unresolved:') || f.message.includes('{{unresolved:');
    return unknown ? { ...f, message: `Unknown before deploy (${t.unresolved.join('; ')}): ${f.message}` } : f;
  }) as [Finding, ...Finding[]];
  return { ...e, findings };
}

function located(e: Evaluation, t: TemplateItem): LocatedEvaluation {
  return { evaluation: e, location: findingLocation(t, e.findings[0]), from: t };
}

/** Says which branch in the messages too: outputs that show only messages still tell the user. */
function inBranch(j: LocatedEvaluation, branch: string): LocatedEvaluation {
  const findings = j.evaluation.findings.map((f) => ({ ...f, message: `[${branch}] ${f.message}` }));
  return { ...j, evaluation: { ...j.evaluation, findings } as unknown as Evaluation };
}
