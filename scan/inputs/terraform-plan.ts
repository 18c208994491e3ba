/**
 * The Terraform plan input (`terraform show -json plan.out`): the `aws_*` resources the plan will create or
 * update, from `planned_values` (modules included), with the values known only after apply taken from
 * `resource_changes[].change.after_unknown` and resolved as in templates (a marker, or `*` in the worst case).
 * Resources that attach to others (`aws_s3_bucket_policy`, `aws_iam_role_policy_attachment`, ...) are linked
 * to their target by value, or by the references in `configuration` when the value is not known yet.
 */
import { normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import type { TemplateItem } from './cloudformation';
import { DEFAULT_TARGET, knownTarget } from './cloudformation';
import type { DeployTarget } from './cloudformation-intrinsics';
import { unresolvedMarker } from './cloudformation-intrinsics';
import { TemplateParseError } from './cloudformation-parse';
import { buildTerraformItems, TERRAFORM_TYPES } from './terraform-items';
import { isRecord, type PlanResource } from './terraform-values';

/** True when parsed JSON is a Terraform plan. */
export function isTerraformPlan(doc: unknown): boolean {
  return (
    isRecord(doc) && typeof doc.format_version === 'string' && ('planned_values' in doc || 'resource_changes' in doc)
  );
}

interface RawResource {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly values?: Record<string, unknown>;
}

function collect(module: unknown, out: RawResource[]): void {
  if (!isRecord(module)) return;
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (isRecord(r) && typeof r.address === 'string' && typeof r.type === 'string')
      out.push(r as unknown as RawResource);
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) collect(child, out);
}

/** Config address (module path + type.name, no index) -> its `expressions`. */
function configurationExpressions(module: unknown, prefix: string, out: Map<string, Record<string, unknown>>): void {
  if (!isRecord(module)) return;
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (isRecord(r) && typeof r.address === 'string' && isRecord(r.expressions)) {
      out.set(`${prefix}${r.address}`, r.expressions);
    }
  }
  const calls = isRecord(module.module_calls) ? module.module_calls : {};
  for (const [name, call] of Object.entries(calls)) {
    if (isRecord(call)) configurationExpressions(call.module, `${prefix}module.${name}.`, out);
  }
}

const IDENTITY_ATTRIBUTES = new Set(['id', 'arn', 'unique_id', 'key_id', 'url', 'tags_all', 'create_date', 'owner_id']);

/** Replaces values known only after apply by markers (or `*`), recording what was unknown. */
function withUnknowns(
  values: unknown,
  unknown: unknown,
  path: string,
  worst: boolean,
  seen: string[],
  depth = 0,
): unknown {
  if (unknown === true) {
    seen.push(`${path} (known after apply)`);
    return worst ? '*' : unresolvedMarker(`${path} (known after apply)`);
  }
  if (Array.isArray(unknown)) {
    const list = Array.isArray(values) ? [...values] : [];
    unknown.forEach((u, i) => {
      if (u !== false) list[i] = withUnknowns(list[i], u, `${path}[${i}]`, worst, seen, depth + 1);
    });
    return list;
  }
  if (isRecord(unknown)) {
    const out: Record<string, unknown> = isRecord(values) ? { ...values } : {};
    const top = depth === 0;
    for (const [k, u] of Object.entries(unknown)) {
      // AWS assigns ids and ARNs on create: the resource's own, unknown on every new resource, judge nothing.
      if (top && IDENTITY_ATTRIBUTES.has(k)) continue;
      if (u !== false) out[k] = withUnknowns(out[k], u, `${path}.${k}`, worst, seen, depth + 1);
    }
    return out;
  }
  return values;
}

/** The unknown-attribute tree kept to the top-level attributes the configuration writes. */
function onlyWritten(unknown: unknown, written: Record<string, unknown>): unknown {
  if (!isRecord(unknown)) return unknown;
  return Object.fromEntries(Object.entries(unknown).filter(([k]) => k in written));
}

/** ARNs AWS will assign, as they will read: a name in the plan is enough for these types. */
function derivedArn(r: PlanResource, target: DeployTarget): string | undefined {
  const name = r.values.name ?? r.values.bucket ?? r.values.function_name;
  if (typeof name !== 'string' || name === '' || name.includes('{{unresolved:')) return undefined;
  const { partition: p, accountId: a, region } = target;
  const path = typeof r.values.path === 'string' ? r.values.path : '/';
  switch (r.type) {
    case 'aws_iam_policy':
      return `arn:${p}:iam::${a}:policy${path}${name}`;
    case 'aws_iam_role':
      return `arn:${p}:iam::${a}:role${path}${name}`;
    case 'aws_iam_user':
      return `arn:${p}:iam::${a}:user${path}${name}`;
    case 'aws_iam_group':
      return `arn:${p}:iam::${a}:group${path}${name}`;
    case 'aws_s3_bucket':
      return `arn:${p}:s3:::${name}`;
    case 'aws_sqs_queue':
      return `arn:${p}:sqs:${region}:${a}:${name}`;
    case 'aws_sns_topic':
      return `arn:${p}:sns:${region}:${a}:${name}`;
    case 'aws_lambda_function':
      return `arn:${p}:lambda:${region}:${a}:function:${name}`;
  }
  return undefined;
}

const unknownText = (v: unknown) => typeof v === 'string' && (v.includes('{{unresolved:') || v === '*');

/**
 * Fills, for each resource, an ARN AWS has not assigned yet but whose form is known, and each argument whose
 * value is unknown only because it refers to such an attribute of another planned resource
 * (`policy_arn = aws_iam_policy.admin.arn`): the link is what matters, not the value AWS picks.
 */
function linkReferences(resources: PlanResource[], target: DeployTarget): Set<string> {
  const filled = new Set<string>();
  const byConfigAddress = new Map<string, PlanResource>();
  for (const r of resources) {
    const arn = derivedArn(r, target);
    if (arn && (r.values.arn === undefined || unknownText(r.values.arn))) r.values.arn = arn;
    byConfigAddress.set(r.address.replace(/\[[^\]]*\]/g, ''), r);
  }
  for (const r of resources) {
    for (const [arg, expr] of Object.entries(r.expressions)) {
      if (r.values[arg] !== undefined && !unknownText(r.values[arg])) continue;
      const refs = isRecord(expr) && Array.isArray(expr.references) ? expr.references : [];
      for (const ref of refs) {
        const m = typeof ref === 'string' ? /^(.*)\.(arn|name|id)$/.exec(ref) : null;
        const other = m ? byConfigAddress.get(`${r.modulePrefix}${m[1]}`) : undefined;
        if (!m || !other) continue;
        const v = m[2] === 'id' ? (other.values.id ?? other.values.name ?? other.values.bucket) : other.values[m[2]];
        if (typeof v === 'string' && !unknownText(v)) {
          r.values[arg] = v;
          filled.add(`${r.address}.${arg}`);
          break;
        }
      }
    }
  }
  return filled;
}

/** The line and column of each address's first appearance (plans are often one line: the column matters). */
function addressPositions(text: string): Map<string, { line: number; column: number }> {
  const out = new Map<string, { line: number; column: number }>();
  const re = /"address"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = scanned; i < m.index; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    scanned = m.index;
    const address = JSON.parse(`"${m[1]}"`) as string;
    if (!out.has(address)) out.set(address, { line, column: m.index - lineStart + 1 });
  }
  return out;
}

/** Region and account the plan's AWS provider names, when written as constants. */
function planTarget(plan: Record<string, unknown>): Partial<DeployTarget> {
  const providers =
    isRecord(plan.configuration) && isRecord(plan.configuration.provider_config)
      ? plan.configuration.provider_config
      : {};
  const aws = isRecord(providers.aws) ? providers.aws : undefined;
  const expr = aws && isRecord(aws.expressions) ? aws.expressions : {};
  const constant = (k: string) => (isRecord(expr[k]) ? expr[k].constant_value : undefined);
  const region = constant('region');
  const accounts = constant('allowed_account_ids');
  return {
    ...(typeof region === 'string' ? { region } : {}),
    ...(Array.isArray(accounts) && accounts.length === 1 && typeof accounts[0] === 'string'
      ? { accountId: accounts[0] }
      : {}),
  };
}

/** What a plan yielded. */
export interface PlanItems {
  readonly items: TemplateItem[];
  readonly notes: string[];
}

/**
 * Builds the items of a plan.
 * @throws TemplateParseError when the document is not a plan.
 */
export function terraformPlanItems(text: string, file: string, options: { captureTime?: string } = {}): PlanItems {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    throw new TemplateParseError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isRecord(plan) || !isTerraformPlan(plan)) {
    throw new TemplateParseError(`${file}: not a Terraform plan (no format_version and planned_values)`);
  }
  const named = planTarget(plan);
  const target: DeployTarget = { ...DEFAULT_TARGET, stackName: 'terraform', ...named };
  const raw: RawResource[] = [];
  collect(isRecord(plan.planned_values) ? plan.planned_values.root_module : undefined, raw);
  const unknownOf = new Map<string, unknown>();
  for (const rc of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (isRecord(rc) && typeof rc.address === 'string' && isRecord(rc.change))
      unknownOf.set(rc.address, rc.change.after_unknown);
  }
  const expressions = new Map<string, Record<string, unknown>>();
  configurationExpressions(isRecord(plan.configuration) ? plan.configuration.root_module : undefined, '', expressions);
  const positions = addressPositions(text);
  const notes: string[] = [];
  const managed = raw.filter((r) => (r.mode ?? 'managed') === 'managed' && r.type.startsWith('aws_'));

  const build = (worst: boolean) => {
    const unresolved = new Map<string, string[]>();
    const resources: PlanResource[] = managed.map((r) => {
      const seen: string[] = [];
      const configAddress = r.address.replace(/\[[^\]]*\]/g, '');
      const written = expressions.get(configAddress);
      // An unknown attribute the configuration does not set is one the provider computes (a default topic
      // policy, a queue's empty policy): it says nothing about what the user asked for, so it is left out.
      const unknown = written ? onlyWritten(unknownOf.get(r.address), written) : unknownOf.get(r.address);
      const values = withUnknowns(r.values ?? {}, unknown, r.address, worst, seen) as Record<string, unknown>;
      unresolved.set(r.address, seen);
      const name = configAddress.split('.').pop() ?? '';
      const modulePrefix = configAddress.slice(0, configAddress.length - `${r.type}.`.length - name.length);
      return { address: r.address, type: r.type, values, modulePrefix, expressions: written ?? {} };
    });
    const filled = linkReferences(resources, target);
    for (const [address, seen] of unresolved) {
      unresolved.set(
        address,
        seen.filter((what) => !filled.has(what.slice(0, what.indexOf(' ')))),
      );
    }
    return {
      built: buildTerraformItems(resources, target, options.captureTime ?? new Date().toISOString()),
      unresolved,
    };
  };
  const plain = build(false);
  const hasUnknown = [...plain.unresolved.values()].some((u) => u.length > 0);
  const worst = hasUnknown ? build(true) : undefined;
  const items: TemplateItem[] = plain.built.map((b, n) => {
    const unresolved = b.from.flatMap((a) => plain.unresolved.get(a) ?? []);
    const at = positions.get(b.address) ?? { line: 1, column: 1 };
    return {
      item: normalizeConfigurationItem(b.ci),
      worst: unresolved.length > 0 && worst ? normalizeConfigurationItem(worst.built[n].ci) : undefined,
      unresolved,
      location: { file, line: at.line, column: at.column, logicalId: b.address },
      propertyLines: new Map(),
      known: knownTarget(named),
    };
  });
  const judged = new Set(plain.built.flatMap((b) => b.from));
  for (const r of managed) {
    // Methods and routes written in an OpenAPI body are not resources of the plan: not judged, and said.
    if (
      (r.type === 'aws_api_gateway_rest_api' || r.type === 'aws_apigatewayv2_api') &&
      isRecord(r.values) &&
      r.values.body
    ) {
      const what = r.type === 'aws_api_gateway_rest_api' ? 'methods' : 'routes';
      notes.push(`${file}: ${r.address} defines its ${what} in an OpenAPI body; its ${what} were not judged`);
    }
    if (TERRAFORM_TYPES.includes(r.type) && !judged.has(r.address)) {
      notes.push(`${file}: ${r.address} attaches to a resource that is not in the plan; not judged`);
    }
  }
  return { items, notes };
}
