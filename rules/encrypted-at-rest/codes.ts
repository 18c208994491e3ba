import type { FindingCodeInfo } from '../runtime/types';

/** Every finding code of `encrypted-at-rest` with its severity (stable; each is documented in README.md). */
export const FINDING_CODES = {
  unencrypted: { description: 'The store has no encryption at rest.', severity: 'high' },
  'encryption-unknown': {
    description: 'The configuration does not say whether the store is encrypted (a field is missing or unknown).',
    severity: 'medium',
  },
  'not-customer-managed-key': {
    description: 'requireCustomerManagedKey is set and the store uses an AWS-owned or AWS-managed key.',
    severity: 'medium',
  },
  'key-not-allowed': {
    description: 'allowedKmsKeyArns is set and the store key (aliases resolved) is not in it.',
    severity: 'medium',
  },
  'external-key': {
    description: 'The key belongs to another account that is not in trustedAccountIds.',
    severity: 'low',
  },
  'key-unverified': {
    description:
      'A key parameter needs the key metadata and the key lookup could not answer (no kms:DescribeKey, no KMS item).',
    severity: 'low',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;
