import { commonParameters, flag, stringList } from '../runtime';
import * as z from '../runtime/zod-mini';

/** The parameters of `encrypted-at-rest`: one set for every store type. */
export const encryptedAtRestParameters = z.object({
  requireCustomerManagedKey: flag(
    false,
    'When true, stores on an AWS-owned or AWS-managed key are NON_COMPLIANT (not-customer-managed-key).',
  ),
  allowedKmsKeyArns: stringList(
    'KMS key ARNs (or key ids) stores may use (comma-separated); empty allows any key. Aliases are resolved.',
  ),
  ...commonParameters,
});

/** Parsed parameters of `encrypted-at-rest`. */
export type EncryptedAtRestParams = z.output<typeof encryptedAtRestParameters>;
