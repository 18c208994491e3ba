import { type ConfigurationItem, normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import type { ResourceLookup } from '../../rules/runtime/context';
import { createSnapshotKeyLookup, type SnapshotKeyLookup } from '../../rules/runtime/key-lookup';

/**
 * Resource types that rules look up in other items of the same snapshot: KMS keys and aliases (key lookups)
 * and customer-managed IAM policies (documents of attached policies, found by ARN).
 */
export const INDEXED_TYPES = ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::IAM::Policy'] as const;

/** The quoted type strings searched for in raw item bytes before parsing: most items contain none of them. */
const NEEDLES = INDEXED_TYPES.map((t) => Buffer.from(JSON.stringify(t)));

/** Parsed IAM policy items kept at once; the raw bytes of every policy stay indexed. */
const CACHE_SIZE = 512;

/**
 * The items of a snapshot that other items refer to. Fed by the first (indexing) pass; serves the key lookup
 * and a {@link ResourceLookup} to the rules in the second pass. IAM policies are kept as raw bytes and parsed
 * on demand (a small cache in front), so an organization-sized snapshot stays within bounded memory.
 */
export class SnapshotIndex {
  /** Key and alias resolution for `ctx.keys`. */
  readonly keys: SnapshotKeyLookup = createSnapshotKeyLookup();
  private readonly raw = new Map<string, Buffer>();
  private readonly byArn = new Map<string, string>();
  private readonly cache = new Map<string, ConfigurationItem>();
  private indexed = 0;

  /** True when the raw bytes may hold an indexed type (cheap pre-filter before JSON.parse). */
  static mayHold(bytes: Buffer): boolean {
    for (const n of NEEDLES) if (bytes.indexOf(n) !== -1) return true;
    return false;
  }

  /** Items indexed so far. */
  get size(): number {
    return this.indexed;
  }

  /**
   * Indexes an item if it is of an indexed type. `bytes` are its raw bytes, kept for IAM policies.
   * Later items replace earlier ones of the same resource (a newer snapshot in the same scan).
   */
  add(item: ConfigurationItem, bytes: Buffer): boolean {
    if (item.resourceType === 'AWS::KMS::Key' || item.resourceType === 'AWS::KMS::Alias') {
      if (this.keys.add(item)) this.indexed++;
      return true;
    }
    if (item.resourceType !== 'AWS::IAM::Policy') return false;
    const key = `${item.resourceType}|${item.resourceId}`;
    // Copy: the bytes may be a view into a larger read buffer that would otherwise stay alive.
    this.raw.set(key, Buffer.from(bytes));
    const arn = item.arn ?? (typeof item.configuration?.arn === 'string' ? item.configuration.arn : undefined);
    if (arn) this.byArn.set(`${item.resourceType}|${arn}`, key);
    this.indexed++;
    return true;
  }

  private load(key: string): ConfigurationItem | undefined {
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place: Map iteration order is insertion order, the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const bytes = this.raw.get(key);
    if (!bytes) return undefined;
    const item = normalizeConfigurationItem(JSON.parse(bytes.toString('utf8')));
    this.cache.set(key, item);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return item;
  }

  /** The lookup rules use through `ctx.resources`. */
  readonly resources: ResourceLookup = {
    get: async (resourceType, resourceId) => this.load(`${resourceType}|${resourceId}`),
    findByArn: async (resourceType, arn) => {
      const key = this.byArn.get(`${resourceType}|${arn}`);
      return key === undefined ? undefined : this.load(key);
    },
    list: (resourceType) => this.list(resourceType),
  };

  private async *list(resourceType: string): AsyncIterable<ConfigurationItem> {
    const prefix = `${resourceType}|`;
    for (const key of this.raw.keys()) {
      if (!key.startsWith(prefix)) continue;
      const item = this.load(key);
      if (item) yield item;
    }
  }
}
