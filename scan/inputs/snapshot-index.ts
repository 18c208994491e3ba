import { closeSync, openSync, readSync } from 'node:fs';
import { type ConfigurationItem, normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import type { ResourceLookup } from '../../rules/runtime/context';
import { createSnapshotKeyLookup, type SnapshotKeyLookup } from '../../rules/runtime/key-lookup';
import { doubled } from './item-table';

/**
 * Resource types that rules look up in other items of the same snapshot: KMS keys and aliases (key lookups),
 * customer-managed IAM policies (documents of attached policies, found by ARN), IAM groups and roles (a user's
 * groups, the roles a principal may pass: no-privilege-escalation), and the account-level S3 Public Access Block
 * (applied to the account's buckets, as the Lambda reads it from Config).
 */
export const INDEXED_TYPES = [
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::IAM::Policy',
  'AWS::IAM::Group',
  'AWS::IAM::Role',
  'AWS::S3::AccountPublicAccessBlock',
] as const;

/** Indexed types kept as raw bytes (or offsets) and parsed when a rule asks for them. */
const KEPT_RAW: ReadonlySet<string> = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::Group',
  'AWS::IAM::Role',
  'AWS::S3::AccountPublicAccessBlock',
]);

/**
 * The configuration field that names an item of an IAM type (`findByName`). Only groups are indexed by name
 * (users name their groups, not their ARNs); the other types are found by walking the type's items.
 */
const NAME_FIELD: Readonly<Record<string, string>> = {
  'AWS::IAM::Group': 'groupName',
  'AWS::IAM::Role': 'roleName',
  'AWS::IAM::User': 'userName',
  'AWS::IAM::Policy': 'policyName',
};
const NAME_INDEXED: ReadonlySet<string> = new Set(['AWS::IAM::Group']);

/** The quoted type strings searched for in raw item bytes before parsing: most items contain none of them. */
const NEEDLES = INDEXED_TYPES.map((t) => Buffer.from(JSON.stringify(t)));

/** Parsed IAM items kept at once; the raw bytes of every indexed IAM item stay indexed. */
const CACHE_SIZE = 512;

/** Where an indexed item's bytes are: in memory, or at an offset of a plain (not compressed) file. */
export type Stored = Buffer | { readonly path: string; readonly start: number; readonly length: number };

/** What the index keeps of an item it reads back on demand ({@link SnapshotIndex.keptOf}). */
export interface KeptItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly arn?: string;
  /** The configuration's name field, for the types found by name (`groupName`). */
  readonly name?: string;
}

/**
 * The items of a snapshot that other items refer to. Fed by the first (indexing) pass; serves the key lookup
 * and a {@link ResourceLookup} to the rules in the second pass. IAM policies are kept as raw bytes and parsed
 * on demand (a small cache in front); items of plain files are not even kept, only their offsets, and read
 * back when a rule asks, so an organization-sized snapshot stays within bounded memory.
 */
export class SnapshotIndex {
  /** Key and alias resolution for `ctx.keys`. */
  readonly keys: SnapshotKeyLookup = createSnapshotKeyLookup();
  // The maps below that grow with the snapshot are keyed by the items' own strings (type -> id, type -> ARN):
  // a key built as `${type}|${id}` is a concatenated string that keeps both parts alive, about 200 bytes more per
  // item, which at a million items was a third of the scan's live heap (bench/README.md).
  /** Type -> id -> where the item's bytes are (in memory, or a slot of {@link offsets}), in the order first seen. */
  private readonly raw = new Map<string, Map<string, Buffer | number>>();
  private readonly offsets = new OffsetTable();
  private readonly fds = new Map<string, number>();
  /** Type -> ARN -> id. */
  private readonly byArn = new Map<string, Map<string, string>>();
  /** Parsed items, `${type}|${id}` -> item, {@link CACHE_SIZE} at most. */
  private readonly cache = new Map<string, ConfigurationItem>();
  /** Type -> the names of that type's items, for the types found by name ({@link NAME_INDEXED}). */
  private readonly names = new Map<string, NameIndex>();
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
   * What the index keeps of an item of a type it reads back on demand (IAM items, the account's Public Access
   * Block): its type, id, ARN and name. Undefined for the other types.
   */
  static keptOf(item: ConfigurationItem): KeptItem | undefined {
    if (!KEPT_RAW.has(item.resourceType)) return undefined;
    const arn = item.arn ?? (typeof item.configuration?.arn === 'string' ? item.configuration.arn : undefined);
    const name = NAME_INDEXED.has(item.resourceType) ? item.configuration?.[NAME_FIELD[item.resourceType]] : undefined;
    return {
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      ...(arn ? { arn } : {}),
      ...(typeof name === 'string' ? { name } : {}),
    };
  }

  /**
   * Indexes an item if it is of an indexed type. `bytes` are its raw bytes, kept for IAM policies.
   * Later items replace earlier ones of the same resource (a newer snapshot in the same scan).
   */
  add(item: ConfigurationItem, bytes: Buffer, at?: { path: string; start: number }): boolean {
    if (item.resourceType === 'AWS::KMS::Key' || item.resourceType === 'AWS::KMS::Alias') {
      if (this.keys.add(item)) this.indexed++;
      return true;
    }
    const kept = SnapshotIndex.keptOf(item);
    if (kept === undefined) return false;
    // Copy when kept: the bytes may be a view into a larger read buffer that would otherwise stay alive.
    this.addKept(kept, at ? { path: at.path, start: at.start, length: bytes.length } : Buffer.from(bytes));
    return true;
  }

  /**
   * Indexes an item read back on demand from what {@link keptOf} said of it, and its bytes or where they are:
   * a judge worker indexes the scan's items so, without reading or parsing them again. `stored` is kept as is.
   */
  addKept(kept: KeptItem, stored: Stored): void {
    const type = kept.resourceType;
    let items = this.raw.get(type);
    if (items === undefined) this.raw.set(type, (items = new Map()));
    items.set(kept.resourceId, Buffer.isBuffer(stored) ? stored : this.offsets.add(stored));
    if (kept.arn) {
      let arns = this.byArn.get(type);
      if (arns === undefined) this.byArn.set(type, (arns = new Map()));
      arns.set(kept.arn, kept.resourceId);
    }
    if (NAME_INDEXED.has(type)) {
      let names = this.names.get(type);
      if (names === undefined) this.names.set(type, (names = new NameIndex()));
      names.set(kept.resourceId, kept.name);
    }
    this.indexed++;
  }

  private load(resourceType: string, resourceId: string): ConfigurationItem | undefined {
    const key = `${resourceType}|${resourceId}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place: Map iteration order is insertion order, the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const stored = this.raw.get(resourceType)?.get(resourceId);
    if (stored === undefined) return undefined;
    const bytes = typeof stored === 'number' ? this.read(stored) : stored;
    const item = normalizeConfigurationItem(JSON.parse(bytes.toString('utf8')));
    this.cache.set(key, item);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return item;
  }

  private read(slot: number): Buffer {
    const at = this.offsets.get(slot);
    let fd = this.fds.get(at.path);
    if (fd === undefined) {
      fd = openSync(at.path, 'r');
      this.fds.set(at.path, fd);
    }
    const buffer = Buffer.allocUnsafe(at.length);
    let done = 0;
    while (done < at.length) {
      const n = readSync(fd, buffer, done, at.length - done, at.start + done);
      if (n === 0) throw new Error(`${at.path} changed during the scan`);
      done += n;
    }
    return buffer;
  }

  /** Closes the files opened to read items back. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** The lookup rules use through `ctx.resources`. */
  readonly resources: ResourceLookup = {
    get: async (resourceType, resourceId) => this.load(resourceType, resourceId),
    findByArn: async (resourceType, arn) => {
      const id = this.byArn.get(resourceType)?.get(arn);
      return id === undefined ? undefined : this.load(resourceType, id);
    },
    list: (resourceType) => this.list(resourceType),
    findByName: async (resourceType, name) => this.findByName(resourceType, name),
  };

  private async findByName(resourceType: string, name: string): Promise<ConfigurationItem | undefined> {
    if (NAME_INDEXED.has(resourceType)) {
      const id = this.names.get(resourceType)?.first(name);
      return id === undefined ? undefined : this.load(resourceType, id);
    }
    const field = NAME_FIELD[resourceType];
    if (field === undefined) return undefined;
    for await (const item of this.list(resourceType)) if (item.configuration?.[field] === name) return item;
    return undefined;
  }

  private async *list(resourceType: string): AsyncIterable<ConfigurationItem> {
    for (const id of this.raw.get(resourceType)?.keys() ?? []) {
      const item = this.load(resourceType, id);
      if (item) yield item;
    }
  }
}

/**
 * The items of one type by name: each name's ids in the order the items were first indexed (the order `list`
 * walks, so the first one answers as a walk would), a newer capture under another name moving its id.
 */
class NameIndex {
  /** Name -> ids of that name, in order. */
  private readonly byName = new Map<string, string[]>();
  /** Id -> its name, so that a newer capture under another name moves it. */
  private readonly nameOf = new Map<string, string>();
  /** Id -> its place among the type's items (a newer capture keeps the place of the first, as Map.set does). */
  private readonly order = new Map<string, number>();

  /** Records (or moves) item `id` under `name`; undefined: it has no name. */
  set(id: string, name: string | undefined): void {
    if (!this.order.has(id)) this.order.set(id, this.order.size);
    const before = this.nameOf.get(id);
    if (before === name) return;
    if (before !== undefined) {
      const ids = this.byName.get(before) ?? [];
      ids.splice(ids.indexOf(id), 1);
      if (ids.length === 0) this.byName.delete(before);
    }
    if (name === undefined) {
      this.nameOf.delete(id);
      return;
    }
    this.nameOf.set(id, name);
    const ids = this.byName.get(name);
    if (ids === undefined) this.byName.set(name, [id]);
    else {
      const at = this.order.get(id) as number;
      const after = ids.findIndex((k) => (this.order.get(k) as number) > at);
      ids.splice(after === -1 ? ids.length : after, 0, id);
    }
  }

  /** The id of the first item of that name. */
  first(name: string): string | undefined {
    return this.byName.get(name)?.[0];
  }
}

/**
 * Where the items of plain files are (path, start, length), in typed arrays: an object per item would cost
 * about 40 bytes of heap each, at a million items about 7 MB.
 */
class OffsetTable {
  private readonly paths: string[] = [];
  private readonly pathIds = new Map<string, number>();
  private starts = new Float64Array(256);
  private lengths = new Uint32Array(256);
  private files = new Uint32Array(256);
  private n = 0;

  /** Records where an item is; returns its slot. */
  add(at: { readonly path: string; readonly start: number; readonly length: number }): number {
    if (this.n === this.starts.length) {
      this.starts = doubled(this.starts, (k) => new Float64Array(k));
      this.lengths = doubled(this.lengths, (k) => new Uint32Array(k));
      this.files = doubled(this.files, (k) => new Uint32Array(k));
    }
    let file = this.pathIds.get(at.path);
    if (file === undefined) {
      file = this.paths.length;
      this.paths.push(at.path);
      this.pathIds.set(at.path, file);
    }
    this.starts[this.n] = at.start;
    this.lengths[this.n] = at.length;
    this.files[this.n] = file;
    return this.n++;
  }

  get(slot: number): { path: string; start: number; length: number } {
    return { path: this.paths[this.files[slot]], start: this.starts[slot], length: this.lengths[slot] };
  }
}
