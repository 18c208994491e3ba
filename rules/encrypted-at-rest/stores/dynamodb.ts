import type { ConfigurationItem } from '../../runtime';
import { keyText, objectField, type StoreEncryption } from './types';

/**
 * DynamoDB tables are always encrypted at rest. A table on the default AWS-owned key has no `ssedescription`
 * at all; a KMS table has `ssedescription.{status, ssetype, kmsmasterKeyArn}` (Java-bean casing; the API form
 * of DescribeTable spells it `SSEDescription.KMSMasterKeyArn`, accepted too).
 */
export function readDynamoDbTable(item: ConfigurationItem): StoreEncryption {
  const label = 'DynamoDB table';
  const c = item.configuration ?? {};
  const field = ['ssedescription', 'SSEDescription', 'sseDescription'].find((k) => c[k] !== undefined && c[k] !== null);
  const base = `configuration.${field ?? 'ssedescription'}`;
  const sse = objectField(field === undefined ? undefined : c[field], base);
  const status = keyText(sse?.status ?? sse?.Status, `${base}.status`);
  if (!sse || status === 'DISABLED' || status === 'DISABLING') {
    return {
      encrypted: true,
      keyKind: 'aws-owned',
      path: 'configuration.ssedescription',
      label,
      note: 'DynamoDB default',
    };
  }
  const keyRef = keyText(sse.kmsmasterKeyArn ?? sse.KMSMasterKeyArn ?? sse.kmsMasterKeyArn, `${base}.kmsmasterKeyArn`);
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
