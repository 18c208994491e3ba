/**
 * What every template-to-configuration-item builder shares: the template's resources, the resolver of the
 * current pass, naming, and the event-form item envelope. Used by the CloudFormation adapter and, through the
 * same builders, by the hook (resolved properties) and the CDK checks.
 */
import type { DeployTarget } from './cloudformation-intrinsics';
import type { createNaming, TemplateResource } from './cloudformation-naming';

/** The tools a builder gets for one resolution pass over one template. */
export interface BuildKit {
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly target: DeployTarget;
  readonly naming: ReturnType<typeof createNaming>;
  /** Resolves intrinsic functions in a value (a no-op on already-resolved properties). */
  resolve(value: unknown): unknown;
  /** When the capture happened: the scan's start. */
  readonly captureTime: string;
  /** Resources of `type` by the resource their `prop` refers to (built once per template). */
  attachments(type: string, prop: string): ReadonlyMap<string, [string, TemplateResource][]>;
  /** Every resource's reference, ARN and name -> its logical id (built once per template). */
  nameIndex(): ReadonlyMap<string, string>;
}

/** A configuration item built from a resource, with the logical ids whose properties went into it. */
export interface BuiltItem {
  readonly logicalId: string;
  /** The item, event form, not yet normalised. */
  readonly ci: Record<string, unknown>;
  /** Other resources it took properties from (attached policies, permissions): their conditions count too. */
  readonly from: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A resolved value as a record (empty when it is not one). */
export function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

/** A resolved value as a list (a single value becomes a one-entry list; absent, an empty one). */
export function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** CloudFormation `Tags` (`[{Key, Value}]`, or a map for some types) as Config's tag map. */
export function tagsOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const t of raw) if (isRecord(t) && typeof t.Key === 'string') out[t.Key] = String(t.Value ?? '');
  } else if (isRecord(raw)) {
    for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  }
  return out;
}

/** A policy document as Config stores IAM documents: URL-encoded JSON. */
export function urlEncodedPolicy(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc ?? null));
}

/** A policy document as the JSON string most services' items hold; a string stays as written. */
export function jsonPolicy(doc: unknown): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc ?? null);
}

const REFERENCE = /\{"Ref":"([^"]+)"\}|\{"Fn::GetAtt":\["([^"]+)"|\$\{([A-Za-z0-9]+)[.}]/g;

/**
 * The template resources a raw (unresolved) property refers to: by `Ref`, `Fn::GetAtt` or `${Id}` in a
 * `Fn::Sub`, or by a resolved value equal to a resource's reference, ARN or name (written out by hand).
 */
export function referencedIds(kit: BuildKit, raw: unknown): string[] {
  const ids = new Set<string>();
  for (const m of JSON.stringify(raw ?? null).matchAll(REFERENCE)) {
    const id = m[1] ?? m[2] ?? m[3];
    if (id in kit.resources) ids.add(id);
  }
  if (ids.size === 0) {
    const byName = kit.nameIndex();
    for (const v of list(kit.resolve(raw)))
      if (typeof v === 'string' && byName.has(v)) ids.add(byName.get(v) as string);
  }
  return [...ids];
}

/** True when a raw property refers to the resource `id` (see {@link referencedIds}). */
export function refersTo(kit: BuildKit, raw: unknown, id: string): boolean {
  return referencedIds(kit, raw).includes(id);
}

/** The resources of a type whose property `prop` refers to `id`, in template order. */
export function attached(kit: BuildKit, type: string, prop: string, id: string): [string, TemplateResource][] {
  return kit.attachments(type, prop).get(id) ?? [];
}

/**
 * Indexes, once per template, which resources of a type attach to which others through a property: building
 * every item would otherwise scan the whole template per resource.
 */
export function attachmentIndex(
  kit: Omit<BuildKit, 'attachments'>,
  type: string,
  prop: string,
): Map<string, [string, TemplateResource][]> {
  const index = new Map<string, [string, TemplateResource][]>();
  for (const [id, r] of Object.entries(kit.resources)) {
    if (r.Type !== type || r.Properties === undefined) continue;
    for (const target of referencedIds(kit as BuildKit, r.Properties[prop])) {
      const entries = index.get(target) ?? [];
      entries.push([id, r]);
      index.set(target, entries);
    }
  }
  return index;
}

/** The event-form envelope of a configuration item. */
export function envelope(
  kit: BuildKit,
  fields: {
    readonly logicalId: string;
    readonly resourceType: string;
    readonly resourceName?: string;
    readonly arn?: string;
    readonly global?: boolean;
    readonly configuration: Record<string, unknown>;
    readonly supplementaryConfiguration?: Record<string, unknown>;
    readonly tags?: Record<string, string>;
  },
): Record<string, unknown> {
  return {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: kit.captureTime,
    configurationItemStatus: 'ResourceDiscovered',
    awsAccountId: kit.target.accountId,
    awsRegion: fields.global ? 'global' : kit.target.region,
    resourceType: fields.resourceType,
    // A template resource has no id yet: its logical id names it (the hook and CI report it the same way).
    resourceId: fields.logicalId,
    resourceName: fields.resourceName ?? kit.naming.name(fields.logicalId),
    ARN: fields.arn ?? kit.naming.arn(fields.logicalId),
    tags: fields.tags ?? {},
    relationships: [],
    configuration: fields.configuration,
    supplementaryConfiguration: fields.supplementaryConfiguration ?? {},
  };
}
