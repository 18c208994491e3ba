import * as crypto from 'node:crypto';
import type { ResourceIdentity } from './identity';

/** The key of ward's fingerprint in SARIF `partialFingerprints`; the version changes when the inputs do. */
export const FINGERPRINT_KEY = 'ward/v1';

/** What a finding's fingerprint is computed from: nothing that moves between runs (no line, no message). */
export interface FingerprintInput {
  readonly rule: string;
  readonly code: string;
  readonly identity: Pick<ResourceIdentity, 'accountId' | 'region'>;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly path?: string;
}

/**
 * The `ward/v1` fingerprint of a finding: SHA-256 over rule, code, account, region, resource type, id and
 * path, NUL-separated, as 32 hex digits. Stable across runs and files (a line number or message change does
 * not move it), distinct per finding of a resource (the path tells two findings of one code apart).
 */
export function findingFingerprint(f: FingerprintInput): string {
  const text = [f.rule, f.code, f.identity.accountId, f.identity.region, f.resourceType, f.resourceId, f.path ?? ''];
  return sha256Hex(text.join('\0')).slice(0, 32);
}

/** One-shot `crypto.hash` (Node 20.12+, 21.7+) is twice as fast as a Hash object per finding; same digest. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex = oneShot
  ? (s: string) => oneShot('sha256', s, 'hex')
  : (s: string) => crypto.createHash('sha256').update(s).digest('hex');
