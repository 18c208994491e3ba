/** Every finding code of `encrypted-at-rest` (stable; each is documented in README.md). */
export const FINDING_CODES = {
  unencrypted: 'The store has no encryption at rest.',
  'encryption-unknown':
    'The configuration does not say whether the store is encrypted (a field is missing or unknown).',
  'not-customer-managed-key': 'requireCustomerManagedKey is set and the store uses an AWS-owned or AWS-managed key.',
  'key-not-allowed': 'allowedKmsKeyArns is set and the store key (aliases resolved) is not in it.',
  'external-key': 'The key belongs to another account that is not in trustedAccountIds.',
  'key-unverified':
    'A key parameter needs the key metadata and the key lookup could not answer (no kms:DescribeKey, no KMS item).',
} as const;

/** One of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;
