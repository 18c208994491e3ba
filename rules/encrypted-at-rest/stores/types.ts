import { type ConfigurationItem, optionalObject, optionalText } from '../../runtime';

/**
 * A key reference field: absent, null or blank is undefined; anything but a string is unreadable (it must not
 * read as "no key", which would pass as an AWS-managed key).
 * @throws UnreadableConfigurationError naming the path.
 */
export function keyText(v: unknown, path: string): string | undefined {
  return optionalText(v, path);
}

/**
 * An object field: absent or null is undefined; anything but an object is unreadable.
 * @throws UnreadableConfigurationError naming the path.
 */
export function objectField(v: unknown, path: string): Record<string, unknown> | undefined {
  return optionalObject(v, path);
}

/**
 * Who manages the key that encrypts a store, as far as the configuration item alone tells:
 * `aws-owned` (SSE-S3, SSE-SQS, DynamoDB's default: no KMS key in the account at all), `aws-managed`
 * (`alias/aws/*` or a service default key), `customer`, or `unknown` (a KMS key whose metadata is needed).
 */
export type KeyKind = 'aws-owned' | 'aws-managed' | 'customer' | 'unknown';

/** A store's encryption at rest, read from its configuration item (or from an API response on the periodic path). */
export interface StoreEncryption {
  /** `unknown` when the item does not say (a field is missing or has a value ward does not know). */
  readonly encrypted: boolean | 'unknown';
  /** The KMS key reference as the store records it: key ARN, key id, alias name or alias ARN. */
  readonly keyRef?: string;
  /** What the item alone tells about the key; a `keyRef` with kind `unknown` needs the key lookup. */
  readonly keyKind?: KeyKind;
  /** Where the decision was read, e.g. `configuration.storageEncrypted`. */
  readonly path: string;
  /** A human name of the store type for messages ("RDS DB instance"). */
  readonly label: string;
  /** For an unencrypted store, what it lacks ("default encryption configuration"), for the message. */
  readonly missing?: string;
  /** Extra words for the annotation (the algorithm, why encryption is unknown). */
  readonly note?: string;
}

/** Reads one store type's encryption from a normalised configuration item. */
export type StoreReader = (item: ConfigurationItem) => StoreEncryption;

/** A non-empty string, or undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim().length > 0 ? v : undefined;
}

/**
 * A boolean from Config's shapes: `true`/`false`, or the strings `"true"`/`"false"` (SQS and other
 * CloudFormation-style types type them as strings). Anything else is undefined.
 */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  return undefined;
}

/** True when a field holds a value (Config writes both an absent field and `null` for "not set"). */
export function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** The object at `key`, or undefined. */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The common case: a boolean flag and an optional key field. A missing flag is `unknown`, never "unencrypted":
 * the rule must not report an encrypted store as unencrypted because a field was not recorded.
 */
export function flagAndKey(
  item: ConfigurationItem,
  label: string,
  flagField: string,
  keyField: string,
  whenNoKey: KeyKind,
): StoreEncryption {
  const c = item.configuration ?? {};
  const path = `configuration.${flagField}`;
  const encrypted = bool(c[flagField]);
  if (encrypted === undefined) return { encrypted: 'unknown', path, label, note: `${flagField} is not recorded` };
  if (!encrypted) return { encrypted: false, path, label };
  const keyRef = keyText(c[keyField], `configuration.${keyField}`);
  return keyRef
    ? { encrypted: true, keyRef, keyKind: 'unknown', path: `configuration.${keyField}`, label }
    : { encrypted: true, keyKind: whenNoKey, path, label };
}
