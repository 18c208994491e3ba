import { createHash } from 'node:crypto';
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
  /**
   * What tells apart resources an input names only within a scope (a template's logical id is unique in its
   * stack, not across stacks): the stack name. Absent for Config items, whose ids are physical.
   */
  readonly scope?: string;
}

/**
 * The `ward/v1` fingerprint of a finding: SHA-256 over rule, code, account, region, resource type, id and
 * path (and a template resource's stack), NUL-separated, as 32 hex digits. Stable across runs and files (a
 * line number or message change does not move it), distinct per finding of a resource (the path tells two
 * findings of one code apart).
 */
export function findingFingerprint(f: FingerprintInput): string {
  return createHash('sha256')
    .update(
      [
        f.rule,
        f.code,
        f.identity.accountId,
        f.identity.region,
        f.resourceType,
        f.resourceId,
        f.path ?? '',
        // Only template inputs have a scope: every other fingerprint is what it was.
        ...(f.scope !== undefined ? [f.scope] : []),
      ].join('\0'),
    )
    .digest('hex')
    .slice(0, 32);
}
