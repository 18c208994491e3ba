import type { ConfigurationItem } from '../../runtime';
import { obj, type StoreEncryption, text } from './types';

/**
 * DynamoDB tables are always encrypted at rest. A table on the default AWS-owned key has no `ssedescription`
 * at all; a KMS table has `ssedescription.{status, ssetype, kmsmasterKeyArn}` (Java-bean casing; the API form
 * of DescribeTable spells it `SSEDescription.KMSMasterKeyArn`, accepted too).
 */
export function readDynamoDbTable(item: ConfigurationItem): StoreEncryption {
  const label = 'DynamoDB table';
  const c = item.configuration ?? {};
  const sse = obj(c.ssedescription ?? c.SSEDescription ?? c.sseDescription);
  const status = text(sse?.status ?? sse?.Status);
  if (!sse || status === 'DISABLED' || status === 'DISABLING') {
    return {
      encrypted: true,
      keyKind: 'aws-owned',
      path: 'configuration.ssedescription',
      label,
      note: 'DynamoDB default',
    };
  }
  const keyRef = text(sse.kmsmasterKeyArn ?? sse.KMSMasterKeyArn ?? sse.kmsMasterKeyArn);
  return keyRef
    ? { encrypted: true, keyRef, keyKind: 'unknown', path: 'configuration.ssedescription.kmsmasterKeyArn', label }
    : {
        encrypted: true,
        keyRef: 'alias/aws/dynamodb',
        keyKind: 'aws-managed',
        path: 'configuration.ssedescription',
        label,
      };
}
