/**
 * KMS specifics of key policies: which `kms:` actions a statement allows, split into use (cryptographic
 * operations and grants for AWS services) and administration (policy, deletion, state, aliases, unconstrained
 * grants), and the condition keys that restrict the caller in a key policy. Complements the shared principal
 * and condition model in `principals.ts` and `conditions.ts`.
 */
import { type AnalyzeOptions, ConditionKeyKind, positiveConditions } from './conditions';
import type { PolicyStatement } from './document';
import { actionMatches } from './actions';

/** Actions that use a key: cryptographic operations and reading the key. */
export const KMS_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
  'kms:DeriveSharedSecret',
  'kms:GetPublicKey',
  'kms:DescribeKey',
  'kms:ListGrants',
  // The console's cross-account key policy gives these with CreateGrant for AWS resources ("attachment of
  // persistent resources"): AWS treats grant housekeeping as part of using a key.
  'kms:RevokeGrant',
  'kms:RetireGrant',
] as const;

/** Actions that administer a key (CreateGrant is judged on its own: see {@link classifyKmsActions}). */
export const KMS_ADMIN_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:ReplicateKey',
  'kms:UpdatePrimaryRegion',
] as const;

const CREATE_GRANT = 'kms:CreateGrant';

/** The `kms:` actions a statement allows, by class. */
export interface KmsActionClasses {
  /** Use actions allowed (including CreateGrant when constrained to AWS resources or operations). */
  readonly use: readonly string[];
  /** Administrative actions allowed (including CreateGrant without constraints). */
  readonly admin: readonly string[];
}

function allowed(s: PolicyStatement, action: string): boolean {
  if (s.notActions) return !s.notActions.some((p) => actionMatches(p, action));
  return (s.actions ?? []).some((p) => actionMatches(p, action));
}

/**
 * True when the statement constrains the grants it allows: `kms:GrantIsForAWSResource` true (only AWS services
 * integrated with KMS may create them) or fixed `kms:GrantOperations`.
 */
export function constrainsGrants(s: PolicyStatement): boolean {
  const forAws = positiveConditions(s.conditions, 'kms:GrantIsForAWSResource');
  const boolForAws = Object.entries(s.conditions)
    .filter(([op]) => op === 'Bool')
    .some(([, keys]) =>
      Object.entries(keys).some(
        ([k, v]) => k.toLowerCase() === 'kms:grantisforawsresource' && v.every((x) => x.toLowerCase() === 'true'),
      ),
    );
  const operations = Object.entries(s.conditions)
    .filter(([op]) => op === 'ForAllValues:StringEquals' || op === 'ForAllValues:StringLike')
    .some(([, keys]) => Object.keys(keys).some((k) => k.toLowerCase() === 'kms:grantoperations'));
  return boolForAws || forAws.some((c) => c.values.every((v) => v.toLowerCase() === 'true')) || operations;
}

/**
 * Splits the `kms:` actions an Allow statement covers into use and administration. `kms:CreateGrant` is use when
 * the statement constrains grants ({@link constrainsGrants}) and administration otherwise, since an unconstrained
 * grant can hand any operation to anyone.
 */
export function classifyKmsActions(s: PolicyStatement): KmsActionClasses {
  const use: string[] = KMS_USE_ACTIONS.filter((a) => allowed(s, a));
  const admin: string[] = KMS_ADMIN_ACTIONS.filter((a) => allowed(s, a));
  if (allowed(s, CREATE_GRANT)) (constrainsGrants(s) ? use : admin).push(CREATE_GRANT);
  return { use, admin };
}

/** Options for `analyzeConditions` on key policies: `kms:CallerAccount` restricts the caller's account. */
export const KMS_CONDITION_OPTIONS: AnalyzeOptions = {
  extraKeys: { 'kms:calleraccount': ConditionKeyKind.PRINCIPAL_ACCOUNT },
};
