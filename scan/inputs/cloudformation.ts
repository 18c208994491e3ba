/**
 * The CloudFormation input: a template's resources as the configuration items Config would record, each with
 * its location (file, line, logical id, CDK construct path, `Fn::If` branch). Every `Fn::If` a resource meets
 * is taken both ways (up to {@link MAX_BRANCH_CONDITIONS} conditions; more are taken all-true and all-false);
 * a resource with values unknown before deploy also gets a worst-case twin, where each unknown is `*`.
 */
import { basename } from 'node:path';
import { type ConfigurationItem, normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import { type DeployTarget, resolveValue, type ResolveScope } from './cloudformation-intrinsics';
import { attachmentIndex, type BuildKit } from './cloudformation-kit';
import { createNaming, namedInTemplate, type TemplateResource } from './cloudformation-naming';
import { buildItems } from './cloudformation-items';
import { apiDefinitionNote } from './cloudformation-apigateway';
import type { ParsedTemplate } from './cloudformation-parse';
import type { ItemLocation } from '../findings/location';

export type { ItemLocation } from '../findings/location';

/** One configuration item of a template, ready to judge. */
export interface TemplateItem {
  readonly item: ConfigurationItem;
  /** The same item with each unknown value as `*`: judged too, a finding only it has is an unknown. */
  readonly worst?: ConfigurationItem;
  /** What could not be resolved, as `Ref Param (no default)`. */
  readonly unresolved: readonly string[];
  readonly location: ItemLocation;
  /** Line of each top-level property of the resource. */
  readonly propertyLines: ReadonlyMap<string, number>;
  /** Lines of the resources that attached a policy or permission to it, in template order. */
  readonly relatedLines?: readonly number[];
  /**
   * The account and region the input itself names (a CDK stack's environment, a Terraform provider), for the
   * finding's identity; absent when unknown (the items then carry {@link DEFAULT_TARGET}'s stand-ins, which
   * rules may compare but findings never report as the resource's account or region).
   */
  readonly known?: KnownTarget;
  /** False when the physical name (and so the ARN) is generated at deploy: the item's are stand-ins. */
  readonly named?: boolean;
  /**
   * The stack the logical id is unique in, for the fingerprint: the stack name where the input gives one (CDK),
   * else the template's file name (moving the file keeps fingerprints, renaming it does not); Terraform: none.
   */
  readonly scope?: string;
}

/** The parts of the deploy target an input names. */
export interface KnownTarget {
  readonly accountId?: string;
  readonly region?: string;
}

/** The known parts of a target given from outside (DEFAULT_TARGET's stand-ins are not known). */
export function knownTarget(target: Partial<DeployTarget> | undefined): KnownTarget {
  return {
    ...(target?.accountId !== undefined ? { accountId: target.accountId } : {}),
    ...(target?.region !== undefined ? { region: target.region } : {}),
  };
}

/** Conditions taken both ways per resource; beyond this, all-true and all-false only. */
export const MAX_BRANCH_CONDITIONS = 4;

/** The deploy target assumed when nothing says: the owner account of every `AWS::AccountId`. */
export const DEFAULT_TARGET: DeployTarget = {
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  stackName: 'stack',
};

/** Options of {@link templateItems}. */
export interface TemplateItemOptions {
  readonly target?: Partial<DeployTarget>;
  /** Resolve intrinsic functions (false for the hook, which receives resolved properties). */
  readonly resolve?: boolean;
  readonly captureTime?: string;
  /** Parameter values given from outside (a parent stack's `Parameters`); they replace defaults. */
  readonly parameterValues?: Readonly<Record<string, unknown>>;
}

/** An `AWS::CloudFormation::Stack` of the template: where its template is and what it is given. */
export interface NestedStackRef {
  readonly logicalId: string;
  readonly line: number;
  /** `aws:asset:path` (CDK) or a local `TemplateURL`. */
  readonly templatePath?: string;
  /** The raw `TemplateURL` as JSON text (CDK's asset hash is in it). */
  readonly templateUrl?: string;
  /** Its `Parameters`, resolved; values not known are left out (the nested default, or unknown, applies). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** The items of a template, and what the adapter could not do (shown to the user, never silently dropped). */
export interface TemplateItems {
  readonly items: TemplateItem[];
  readonly notes: string[];
  readonly stacks: NestedStackRef[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function branches(conditions: string[]): Map<string, boolean>[] {
  if (conditions.length > MAX_BRANCH_CONDITIONS) {
    return [true, false].map((v) => new Map(conditions.map((c) => [c, v])));
  }
  const out: Map<string, boolean>[] = [];
  for (let mask = 0; mask < 1 << conditions.length; mask++) {
    out.push(new Map(conditions.map((c, i) => [c, (mask & (1 << i)) === 0])));
  }
  return out;
}

/** Builds the items of one template. */
export function templateItems(
  parsed: Pick<ParsedTemplate, 'file' | 'template'> & Partial<ParsedTemplate>,
  options: TemplateItemOptions = {},
): TemplateItems {
  const t = parsed.template;
  const resources = (isRecord(t.Resources) ? t.Resources : {}) as Record<string, TemplateResource>;
  const target: DeployTarget = { ...DEFAULT_TARGET, ...options.target };
  const known = knownTarget(options.target);
  const scope = options.target?.stackName ?? basename(parsed.file);
  const parameters: Record<string, unknown> = { ...(isRecord(t.Parameters) ? t.Parameters : {}) };
  for (const [name, value] of Object.entries(options.parameterValues ?? {})) {
    if (name in parameters) parameters[name] = { ...(parameters[name] as object), Default: value };
  }
  const mappings = isRecord(t.Mappings) ? t.Mappings : {};
  const captureTime = options.captureTime ?? new Date().toISOString();
  const notes: string[] = [];
  const transform = JSON.stringify(t.Transform ?? '');
  if (transform.includes('AWS::Serverless')) {
    notes.push(
      `${parsed.file}: the AWS::Serverless transform is not expanded; AWS::Serverless::* resources were not judged ` +
        '(scan the processed template: `sam build` or `aws cloudformation get-template --template-stage Processed`)',
    );
  }

  const caches = new Map<string, ReturnType<typeof attachmentIndex>>();
  let names: Map<string, string> | undefined;
  const makeKit = (branch: ReadonlyMap<string, boolean>, worst: boolean) => {
    const scope: ResolveScope = {
      target,
      parameters,
      mappings,
      branch,
      seen: new Set(),
      unresolved: [],
      worst,
      naming: { ref: () => undefined, att: () => undefined },
    };
    const resolve = options.resolve === false ? (v: unknown) => v : (v: unknown) => resolveValue(v, scope);
    const naming = createNaming(resources, target, resolve);
    scope.naming = naming;
    const kit: BuildKit = {
      resources,
      target,
      naming,
      resolve,
      captureTime,
      attachments: (type, prop) => {
        const key = `${type}|${prop}`;
        let index = caches.get(key);
        if (!index) caches.set(key, (index = attachmentIndex(kit, type, prop)));
        return index;
      },
      nameIndex: () => {
        if (!names) {
          names = new Map();
          for (const id of Object.keys(resources)) {
            for (const v of [naming.ref(id), naming.arn(id)]) if (v && !names.has(v)) names.set(v, id);
          }
        }
        return names;
      },
    };
    return { kit, scope };
  };

  const items: TemplateItem[] = [];
  const stacks: NestedStackRef[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') {
      notes.push(`${parsed.file}: resource ${id} has no Type; not judged`);
      continue;
    }
    if (resource.Type === 'AWS::CloudFormation::Stack') {
      stacks.push(nestedStack(id, resource, makeKit(new Map(), false).kit, parsed.resourceLines?.get(id) ?? 1));
      continue;
    }
    const apiNote = apiDefinitionNote(parsed.file, id, resource.Type, resource.Properties);
    if (apiNote) notes.push(apiNote);
    const first = makeKit(new Map(), false);
    const built = buildItems(first.kit, id);
    if (built.length === 0) continue;
    const conditions = [...first.scope.seen].sort();
    const cdkPath = isRecord(resource.Metadata) ? resource.Metadata['aws:cdk:path'] : undefined;
    for (const branch of conditions.length === 0 ? [new Map<string, boolean>()] : branches(conditions)) {
      const pass = conditions.length === 0 ? first : makeKit(branch, false);
      const variant = conditions.length === 0 ? built : buildItems(pass.kit, id);
      const unresolved = [...new Set(pass.scope.unresolved)];
      const worst = unresolved.length > 0 ? buildItems(makeKit(branch, true).kit, id) : undefined;
      const label = [...branch].map(([c, v]) => `${c}=${v}`).join(', ');
      variant.forEach((b, n) => {
        items.push({
          item: normalizeConfigurationItem(b.ci),
          worst: worst?.[n] ? normalizeConfigurationItem(worst[n].ci) : undefined,
          unresolved,
          location: {
            file: parsed.file,
            line: parsed.resourceLines?.get(id) ?? 1,
            logicalId: id,
            ...(typeof cdkPath === 'string' ? { cdkPath } : {}),
            ...(label ? { branch: label } : {}),
          },
          propertyLines: parsed.propertyLines?.get(id) ?? new Map(),
          known,
          named: namedInTemplate(resource),
          scope,
          relatedLines: b.from.map((f) => parsed.resourceLines?.get(f) ?? 0).filter((l) => l > 0),
        });
      });
    }
  }
  return { items, notes, stacks };
}

function nestedStack(id: string, resource: TemplateResource, kit: BuildKit, line: number): NestedStackRef {
  const asset = isRecord(resource.Metadata) ? resource.Metadata['aws:asset:path'] : undefined;
  const url = kit.resolve(resource.Properties?.TemplateURL);
  const local =
    typeof url === 'string' && !/^(https?|s3):/.test(url) && !url.includes('{{unresolved:') ? url : undefined;
  const given = isRecord(resource.Properties?.Parameters) ? resource.Properties.Parameters : {};
  const parameters: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(given)) {
    const v = kit.resolve(raw);
    if (!JSON.stringify(v ?? null).includes('{{unresolved:')) parameters[name] = v;
  }
  return {
    logicalId: id,
    line,
    templatePath: typeof asset === 'string' ? asset : local,
    templateUrl: JSON.stringify(resource.Properties?.TemplateURL ?? null),
    parameters,
  };
}
