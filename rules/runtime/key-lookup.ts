import type { ConfigurationItem } from './configuration-item';
import type { KeyInfo, KeyLookup } from './context';

/*
 * KMS key references come as key ARNs, bare key ids, alias names (alias/x) and alias ARNs. Deciding whether a
 * key is AWS-managed or customer-managed, or which account owns it, needs the key's metadata: these lookups
 * give it, from kms:DescribeKey (Lambda, live scan) or from a snapshot's KMS Key and Alias items (offline).
 */

const ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** What can be read from a key reference without any lookup. */
export interface ParsedKeyRef {
  readonly kind: 'key-arn' | 'alias-arn' | 'alias' | 'key-id';
  readonly accountId?: string;
  readonly region?: string;
  /** Key id (for key refs) or alias name `alias/...` (for alias refs). */
  readonly name: string;
}

/** Parses a KMS key reference. */
export function parseKeyRef(ref: string): ParsedKeyRef {
  const m = ARN.exec(ref);
  if (m) {
    const [, , region, accountId, type, rest] = m;
    return type === 'key'
      ? { kind: 'key-arn', accountId, region, name: rest }
      : { kind: 'alias-arn', accountId, region, name: `alias/${rest}` };
  }
  if (ref.startsWith('alias/')) return { kind: 'alias', name: ref };
  return { kind: 'key-id', name: ref };
}

/** True for `alias/aws/*` names: AWS-managed keys, known without a lookup. */
export function isAwsManagedAlias(ref: string): boolean {
  return parseKeyRef(ref).name.startsWith('alias/aws/');
}

/** The answer for an `alias/aws/*` reference, or undefined. */
function awsManagedAnswer(ref: string, where: { accountId: string }): KeyInfo | undefined {
  const p = parseKeyRef(ref);
  if (!p.name.startsWith('alias/aws/')) return undefined;
  return { manager: 'AWS', accountId: p.accountId ?? where.accountId };
}

/** Minimal view of the KMS client that {@link createKmsKeyLookup} needs (the SDK's KMSClient fits). */
export interface DescribeKeyClient {
  send(
    command: unknown,
  ): Promise<{ KeyMetadata?: { Arn?: string; KeyId?: string; AWSAccountId?: string; KeyManager?: string } }>;
}

/**
 * Key lookup backed by `kms:DescribeKey`, cached per reference. `alias/aws/*` answers without a call.
 * A failed call (no permission, a key in another account that does not share DescribeKey) yields undefined,
 * so the rule says it could not tell rather than guessing.
 */
export function createKmsKeyLookup(
  clientFor: (region: string) => DescribeKeyClient,
  makeCommand: (keyId: string) => unknown,
): KeyLookup {
  const cache = new Map<string, Promise<KeyInfo | undefined>>();
  return {
    describe(ref, where) {
      const known = awsManagedAnswer(ref, where);
      if (known) return Promise.resolve(known);
      const p = parseKeyRef(ref);
      const region = p.region ?? where.region;
      const key = `${region}|${p.kind === 'key-arn' || p.kind === 'alias-arn' ? ref : `${where.accountId}:${ref}`}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = clientFor(region)
          .send(makeCommand(ref))
          .then((out): KeyInfo | undefined => {
            const m = out.KeyMetadata;
            if (!m) return undefined;
            const manager = m.KeyManager === 'AWS' || m.KeyManager === 'CUSTOMER' ? m.KeyManager : undefined;
            return {
              arn: m.Arn,
              keyId: m.KeyId,
              accountId: m.AWSAccountId ?? (m.Arn ? parseKeyRef(m.Arn).accountId : undefined),
              manager,
            };
          })
          .catch(() => undefined);
        cache.set(key, hit);
      }
      return hit;
    },
  };
}

/** A key lookup fed with the KMS Key and Alias items of a snapshot. */
export interface SnapshotKeyLookup extends KeyLookup {
  /** Indexes an item when it is an AWS::KMS::Key or AWS::KMS::Alias; ignores others. Returns true if kept. */
  add(item: ConfigurationItem): boolean;
}

/** Creates a {@link SnapshotKeyLookup}: resolves aliases and ARNs to keys recorded in the same snapshot. */
export function createSnapshotKeyLookup(): SnapshotKeyLookup {
  const keys = new Map<string, KeyInfo>(); // key id and key ARN -> info
  // Account -> region -> alias name -> target key id. Nested rather than keyed by `${account}|${region}|${name}`:
  // such a key is a concatenated string that keeps its parts alive, per alias of an organization's snapshot.
  const aliases = new Map<string, Map<string, Map<string, string>>>();
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    add(item) {
      const c = item.configuration;
      if (!c) return false;
      if (item.resourceType === 'AWS::KMS::Key') {
        const keyId = str(c.keyId) ?? str(c.KeyId) ?? item.resourceId;
        const arn = str(c.arn) ?? str(c.Arn) ?? item.arn;
        const m = str(c.keyManager) ?? str(c.KeyManager);
        const info: KeyInfo = {
          arn,
          keyId,
          accountId: str(c.awsaccountId) ?? str(c.AWSAccountId) ?? item.accountId,
          manager: m === 'AWS' || m === 'CUSTOMER' ? m : undefined,
        };
        keys.set(keyId, info);
        if (arn) keys.set(arn, info);
        return true;
      }
      if (item.resourceType === 'AWS::KMS::Alias') {
        const name = str(c.AliasName) ?? str(c.aliasName);
        const target = str(c.TargetKeyId) ?? str(c.targetKeyId);
        if (name && target) {
          let regions = aliases.get(item.accountId);
          if (regions === undefined) aliases.set(item.accountId, (regions = new Map()));
          let names = regions.get(item.awsRegion);
          if (names === undefined) regions.set(item.awsRegion, (names = new Map()));
          names.set(name, target);
        }
        return true;
      }
      return false;
    },
    async describe(ref, where) {
      const known = awsManagedAnswer(ref, where);
      if (known) return known;
      const p = parseKeyRef(ref);
      if (p.kind === 'key-arn' || p.kind === 'key-id') return keys.get(ref) ?? keys.get(p.name);
      const target = aliases
        .get(p.accountId ?? where.accountId)
        ?.get(p.region ?? where.region)
        ?.get(p.name);
      return target === undefined ? undefined : (keys.get(target) ?? keys.get(parseKeyRef(target).name));
    },
  };
}
