import type { ConfigurationItem } from '../../runtime';
import { keyText, obj, present, type StoreEncryption, text } from './types';

const PATH = 'supplementaryConfiguration.ServerSideEncryptionConfiguration';

/**
 * S3 bucket default encryption: `rules[].applyServerSideEncryptionByDefault.{sseAlgorithm, kmsMasterKeyID}`.
 * AES256 is SSE-S3 (an AWS-owned key); `aws:kms` and `aws:kms:dsse` use KMS, the AWS-managed `aws/s3` key when
 * no key id is set. No configuration at all is unencrypted (older items; every bucket has SSE-S3 since 2023);
 * a configuration that is there but unreadable is unknown, never unencrypted.
 */
export function readS3Bucket(item: ConfigurationItem): StoreEncryption {
  const label = 'S3 bucket';
  const raw = item.supplementaryConfiguration.ServerSideEncryptionConfiguration;
  const config = obj(raw);
  const rules = config?.rules ?? config?.Rules;
  if ((present(raw) && !config) || (present(rules) && !Array.isArray(rules))) {
    return { encrypted: 'unknown', path: PATH, label, note: 'the configuration is not readable' };
  }
  if (!Array.isArray(rules) || rules.length === 0)
    return { encrypted: false, path: PATH, label, missing: 'default encryption configuration' };
  const rule = obj(rules[0]);
  const byDefault = obj(rule?.applyServerSideEncryptionByDefault ?? rule?.ApplyServerSideEncryptionByDefault);
  const algorithm = text(byDefault?.sseAlgorithm ?? byDefault?.SSEAlgorithm);
  const path = `${PATH}.rules[0].applyServerSideEncryptionByDefault`;
  if (algorithm === 'AES256') return { encrypted: true, keyKind: 'aws-owned', path, label, note: 'SSE-S3' };
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
    const keyRef = keyText(byDefault?.kmsMasterKeyID ?? byDefault?.KMSMasterKeyID, `${path}.kmsMasterKeyID`);
    return keyRef
      ? { encrypted: true, keyRef, keyKind: 'unknown', path: `${path}.kmsMasterKeyID`, label }
      : { encrypted: true, keyRef: 'alias/aws/s3', keyKind: 'aws-managed', path, label };
  }
  return { encrypted: 'unknown', path, label, note: `unknown sseAlgorithm ${algorithm ?? '(none)'}` };
}
