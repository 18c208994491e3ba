import { ConfigurationItemError } from './errors';

/** Config's configurationItemStatus values. */
export const ItemStatus = {
  OK: 'OK',
  RESOURCE_DISCOVERED: 'ResourceDiscovered',
  RESOURCE_NOT_RECORDED: 'ResourceNotRecorded',
  RESOURCE_DELETED: 'ResourceDeleted',
  RESOURCE_DELETED_NOT_RECORDED: 'ResourceDeletedNotRecorded',
} as const;

/** One of {@link ItemStatus}. */
export type ItemStatusType = (typeof ItemStatus)[keyof typeof ItemStatus];

/** A relationship of a configuration item to another resource. */
export interface Relationship {
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly resourceName?: string;
  /** `name` in the event form, `relationshipName` in the API form. */
  readonly name: string;
}

/**
 * A configuration item in one typed shape, whichever form it came in (event form from an invoking event,
 * API form from GetResourceConfigHistory/BatchGetResourceConfig, or a snapshot file).
 */
export interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly arn?: string;
  readonly accountId: string;
  readonly awsRegion: string;
  readonly availabilityZone?: string;
  /** ISO-8601 capture time ('' when the source had none). */
  readonly captureTime: string;
  readonly status: ItemStatusType;
  /**
   * Parsed configuration; null when the item holds none (`null`, the string `"null"`, absent) or one that is not
   * a JSON object. Deleted items have none; for an item whose status says the resource exists,
   * {@link configurationProblem} says what is wrong and the engine reports it `unreadable-configuration`.
   */
  readonly configuration: Record<string, unknown> | null;
  /**
   * Set when the item says the resource exists but its configuration or supplementary configuration cannot be
   * read: a one-line reason (without the values, which may hold policy documents).
   */
  readonly configurationProblem?: { readonly path: string; readonly problem: string };
  /** Every value JSON-decoded where it was a JSON string. */
  readonly supplementaryConfiguration: Record<string, unknown>;
  /** Tags merged from every shape Config uses. */
  readonly tags: Readonly<Record<string, string>>;
  readonly relationships: readonly Relationship[];
  readonly resourceCreationTime?: string;
}

const STATUSES = new Set<string>(Object.values(ItemStatus));

/**
 * True when the item's status says the resource no longer exists. Only the status decides: an item of a live
 * resource without a configuration is unreadable, not deleted (it must never read as "deleted" and pass).
 */
export function isDeleted(item: ConfigurationItem): boolean {
  return item.status === ItemStatus.RESOURCE_DELETED || item.status === ItemStatus.RESOURCE_DELETED_NOT_RECORDED;
}

/** True when Config saw the resource but does not record its type. */
export function isNotRecorded(item: ConfigurationItem): boolean {
  return item.status === ItemStatus.RESOURCE_NOT_RECORDED || item.status === ItemStatus.RESOURCE_DELETED_NOT_RECORDED;
}

/**
 * JSON-decodes a value when it is a string holding a JSON object, array or null; otherwise returns it as is.
 * Config double-encodes some values (S3 AccessControlList, every supplementary value in the API form).
 */
export function maybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  // The first non-blank character decides, without copying the string (this runs on every value).
  let at = 0;
  while (at < value.length && isBlank(value.charCodeAt(at))) at++;
  const c = value.charCodeAt(at);
  if (c === 0x6e /* n */) return value.length - at === 4 && value.endsWith('null') ? null : value;
  if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** True for a character String.prototype.trimStart removes: JSON's whitespace, and Unicode's other spaces. */
function isBlank(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && /\s/.test(String.fromCharCode(c)));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyRecord(v: Record<string, unknown>): boolean {
  for (const _ in v) return false;
  return true;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Already in the form toISOString prints: kept as is (the common case, a Date per item is not free). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function time(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' && Number.isFinite(v)) {
    // The API sends epoch seconds (as the SDK's Date); some items carry milliseconds.
    return new Date(v > 1e12 ? v : v * 1000).toISOString();
  }
  if (typeof v === 'string' && v.length > 0) {
    if (v.length === 24 && ISO_UTC.test(v)) return v;
    if (/^\d+(\.\d+)?$/.test(v)) return time(Number(v));
    const d = new Date(v.includes('T') || v.endsWith('Z') ? v : v.replace(' ', 'T'));
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  }
  return '';
}

/**
 * A tag map without a prototype: a tag key such as `__proto__` or `constructor` is an ordinary key, and a lookup
 * of a key the resource does not have never finds an inherited member.
 */
export function emptyTags(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/**
 * Reads tags from any of the shapes Config uses: a map, a JSON string, `[{key,value}]`, `[{tagKey,tagValue}]`,
 * `[{Key,Value}]`, and `{k: {Key, Value}}`. Unknown shapes yield no tags.
 */
export function readTags(raw: unknown, into: Record<string, string> = emptyTags()): Record<string, string> {
  const v = maybeJson(raw);
  if (Array.isArray(v)) {
    for (const t of v) {
      if (!isRecord(t)) continue;
      const key = str(t.key ?? t.Key ?? t.tagKey ?? t.TagKey);
      const value = t.value ?? t.Value ?? t.tagValue ?? t.TagValue;
      if (key !== undefined) into[key] = str(value) ?? '';
    }
  } else if (isRecord(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (isRecord(val) && ('Key' in val || 'key' in val)) readTags([val], into);
      else if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') into[k] = String(val);
      else if (val === null) into[k] = '';
    }
  }
  return into;
}

function collectTags(
  rawRoot: unknown,
  configuration: Record<string, unknown> | null,
  supplementary: Record<string, unknown>,
): Record<string, string> {
  const tags = emptyTags();
  if (configuration) {
    for (const key of ['tags', 'Tags', 'tagList', 'TagList', 'FileSystemTags']) {
      if (Object.hasOwn(configuration, key)) readTags(configuration[key], tags);
    }
  }
  if (Object.hasOwn(supplementary, 'Tags')) readTags(supplementary.Tags, tags);
  const bucketTagging = supplementary.BucketTaggingConfiguration;
  if (isRecord(bucketTagging) && Array.isArray(bucketTagging.tagSets)) {
    for (const set of bucketTagging.tagSets) if (isRecord(set)) readTags(set.tags, tags);
  }
  // Root tags win: they are what Config reports as the resource's tags.
  readTags(rawRoot, tags);
  return tags;
}

function relationships(raw: unknown): Relationship[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((r) => ({
    resourceType: str(r.resourceType),
    resourceId: str(r.resourceId),
    resourceName: str(r.resourceName),
    name: str(r.name) ?? str(r.relationshipName) ?? '',
  }));
}

/**
 * Normalises a configuration item in the event form or the API form (or a snapshot's) into
 * {@link ConfigurationItem}.
 * @throws ConfigurationItemError when the item is not an object or lacks a resource type or id (a configuration
 *   that cannot be read is kept in `configurationProblem` instead).
 */
export function normalizeConfigurationItem(raw: unknown): ConfigurationItem {
  if (!isRecord(raw)) throw new ConfigurationItemError('configuration item is not a JSON object');
  const resourceType = str(raw.resourceType);
  const resourceId = str(raw.resourceId);
  if (!resourceType) throw new ConfigurationItemError('configuration item has no resourceType');
  if (!resourceId) throw new ConfigurationItemError(`${resourceType} configuration item has no resourceId`);

  const statusRaw = str(raw.configurationItemStatus) ?? ItemStatus.OK;
  const status = (STATUSES.has(statusRaw) ? statusRaw : ItemStatus.OK) as ItemStatusType;
  const exists = status === ItemStatus.OK || status === ItemStatus.RESOURCE_DISCOVERED;

  // A configuration that is not an object is kept as a problem, not thrown: the resource it names is then
  // reported NON_COMPLIANT (unreadable-configuration) rather than dropped and left with its last verdict.
  let configuration: Record<string, unknown> | null = null;
  let configurationProblem: { path: string; problem: string } | undefined;
  const rawConfiguration = raw.configuration;
  if (rawConfiguration === null || rawConfiguration === undefined || rawConfiguration === 'null') {
    if (exists) {
      const what = rawConfiguration === undefined ? 'missing' : 'null';
      configurationProblem = {
        path: 'configuration',
        problem: `configuration is ${what} although the status is ${status}`,
      };
    }
  } else if (typeof rawConfiguration === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawConfiguration);
    } catch {
      parsed = undefined;
      configurationProblem = { path: 'configuration', problem: 'configuration is not valid JSON' };
    }
    if (isRecord(parsed)) configuration = parsed;
    else if (configurationProblem === undefined && (parsed !== null || exists)) {
      configurationProblem = {
        path: 'configuration',
        problem:
          parsed === null
            ? `configuration is null although the status is ${status}`
            : 'configuration is not a JSON object',
      };
    }
  } else if (isRecord(rawConfiguration)) {
    configuration = rawConfiguration;
  } else {
    configurationProblem = { path: 'configuration', problem: 'configuration is not a JSON object' };
  }

  if (configuration !== null && configurationProblem === undefined && isEmptyRecord(configuration)) {
    // Config records every field of a live resource it knows; an empty configuration says nothing to judge.
    configurationProblem = { path: 'configuration', problem: 'configuration is empty' };
  }

  const supplementaryConfiguration: Record<string, unknown> = {};
  const rawSupplementary = maybeJson(raw.supplementaryConfiguration);
  if (isRecord(rawSupplementary)) {
    for (const [k, v] of Object.entries(rawSupplementary)) supplementaryConfiguration[k] = maybeJson(v);
  } else if (rawSupplementary !== undefined && rawSupplementary !== null && configurationProblem === undefined) {
    configurationProblem = {
      path: 'supplementaryConfiguration',
      problem: `supplementaryConfiguration is ${Array.isArray(rawSupplementary) ? 'an array' : `a ${typeof rawSupplementary}`}, not an object`,
    };
  }

  return {
    resourceType,
    resourceId,
    resourceName: str(raw.resourceName),
    arn: str(raw.ARN) ?? str(raw.arn),
    accountId: str(raw.awsAccountId) ?? str(raw.accountId) ?? '',
    awsRegion: str(raw.awsRegion) ?? '',
    availabilityZone: str(raw.availabilityZone),
    captureTime: time(raw.configurationItemCaptureTime),
    status,
    configuration,
    ...(configurationProblem && exists ? { configurationProblem } : {}),
    supplementaryConfiguration,
    tags: collectTags(raw.tags, configuration, supplementaryConfiguration),
    relationships: relationships(raw.relationships),
    resourceCreationTime: raw.resourceCreationTime === undefined ? undefined : time(raw.resourceCreationTime),
  };
}

const PATHS = new Map<string, readonly string[]>();

/** The steps of a path, split once: rules read the same few paths on every item. */
function pathParts(path: string): readonly string[] {
  let parts = PATHS.get(path);
  if (parts === undefined) {
    parts = path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
    // Paths are literals in rule code; the bound only guards against a caller building them from data.
    if (PATHS.size < 1024) PATHS.set(path, parts);
  }
  return parts;
}

/** Reads a path like `a.b[0].c` from a value; undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of pathParts(path)) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}
