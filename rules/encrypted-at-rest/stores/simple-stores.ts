import { type ConfigurationItem, unreadable } from '../../runtime';
import { bool, flagAndKey, keyText, obj, objectField, present, type StoreEncryption, text } from './types';

/** AWS::EC2::Volume: `configuration.encrypted`, `configuration.kmsKeyId` (the aws/ebs key ARN by default). */
export function readEc2Volume(item: ConfigurationItem): StoreEncryption {
  return flagAndKey(item, 'EBS volume', 'encrypted', 'kmsKeyId', 'unknown');
}

/** AWS::EFS::FileSystem (PascalCase): `configuration.Encrypted`, `configuration.KmsKeyId` (absent: aws/elasticfilesystem). */
export function readEfsFileSystem(item: ConfigurationItem): StoreEncryption {
  const s = flagAndKey(item, 'EFS file system', 'Encrypted', 'KmsKeyId', 'aws-managed');
  return s.encrypted === true && !s.keyRef ? { ...s, keyRef: 'alias/aws/elasticfilesystem' } : s;
}

/** AWS::SNS::Topic: `configuration.KmsMasterKeyId`, absent when the topic is unencrypted. */
export function readSnsTopic(item: ConfigurationItem): StoreEncryption {
  const label = 'SNS topic';
  const path = 'configuration.KmsMasterKeyId';
  const raw = item.configuration?.KmsMasterKeyId;
  if (present(raw) && typeof raw !== 'string') return { encrypted: 'unknown', path, label, note: 'not a key id' };
  const keyRef = text(raw);
  return keyRef
    ? { encrypted: true, keyRef, keyKind: 'unknown', path, label }
    : { encrypted: false, path, label, missing: 'KmsMasterKeyId' };
}

/**
 * AWS::SQS::Queue: SSE-KMS when `KmsMasterKeyId` is set, else SSE-SQS (an AWS-owned key) when
 * `SqsManagedSseEnabled` is true (a string `"true"` in the item), else unencrypted.
 */
export function readSqsQueue(item: ConfigurationItem): StoreEncryption {
  const label = 'SQS queue';
  const c = item.configuration ?? {};
  const keyPath = 'configuration.KmsMasterKeyId';
  if (present(c.KmsMasterKeyId) && typeof c.KmsMasterKeyId !== 'string') {
    return { encrypted: 'unknown', path: keyPath, label, note: 'not a key id' };
  }
  const keyRef = text(c.KmsMasterKeyId);
  if (keyRef) return { encrypted: true, keyRef, keyKind: 'unknown', path: keyPath, label };
  const sqsManaged = bool(c.SqsManagedSseEnabled);
  const path = 'configuration.SqsManagedSseEnabled';
  if (sqsManaged === true) return { encrypted: true, keyKind: 'aws-owned', path, label, note: 'SSE-SQS' };
  if (sqsManaged === undefined && present(c.SqsManagedSseEnabled)) {
    return { encrypted: 'unknown', path, label, note: 'neither "true" nor "false"' };
  }
  return { encrypted: false, path, label, missing: 'KmsMasterKeyId, and SqsManagedSseEnabled is not "true"' };
}

/** AWS::Kinesis::Stream: `configuration.StreamEncryption.{EncryptionType, KeyId}`, absent when unencrypted. */
export function readKinesisStream(item: ConfigurationItem): StoreEncryption {
  const label = 'Kinesis stream';
  const raw = item.configuration?.StreamEncryption;
  const se = obj(raw);
  const path = 'configuration.StreamEncryption';
  if ((present(raw) && !se) || (present(se?.EncryptionType) && typeof se?.EncryptionType !== 'string')) {
    return { encrypted: 'unknown', path, label, note: 'not readable' };
  }
  const type = text(se?.EncryptionType);
  if (!se || type === undefined || type === 'NONE')
    return { encrypted: false, path, label, missing: 'StreamEncryption' };
  if (type !== 'KMS') return { encrypted: 'unknown', path, label, note: `unknown EncryptionType ${type}` };
  const keyRef = keyText(se.KeyId, `${path}.KeyId`);
  return keyRef
    ? { encrypted: true, keyRef, keyKind: 'unknown', path: `${path}.KeyId`, label }
    : { encrypted: 'unknown', path, label, note: 'EncryptionType KMS without KeyId' };
}

/**
 * AWS::SecretsManager::Secret: always encrypted; `configuration.KMSKeyId` absent or null means the AWS-managed
 * `aws/secretsmanager` key.
 */
export function readSecretsManagerSecret(item: ConfigurationItem): StoreEncryption {
  const label = 'Secrets Manager secret';
  const path = 'configuration.KMSKeyId';
  const keyRef = keyText(item.configuration?.KMSKeyId ?? item.configuration?.KmsKeyId, path);
  return keyRef
    ? { encrypted: true, keyRef, keyKind: 'unknown', path, label }
    : { encrypted: true, keyRef: 'alias/aws/secretsmanager', keyKind: 'aws-managed', path, label };
}

/** AWS::OpenSearch::Domain (PascalCase): `configuration.EncryptionAtRestOptions.{Enabled, KmsKeyId}`. */
export function readOpenSearchDomain(item: ConfigurationItem): StoreEncryption {
  return searchDomain(item, 'OpenSearch domain', 'EncryptionAtRestOptions', 'Enabled', 'KmsKeyId');
}

/** AWS::Elasticsearch::Domain (lowerCamel): `configuration.encryptionAtRestOptions.{enabled, kmsKeyId}`. */
export function readElasticsearchDomain(item: ConfigurationItem): StoreEncryption {
  return searchDomain(item, 'Elasticsearch domain', 'encryptionAtRestOptions', 'enabled', 'kmsKeyId');
}

function searchDomain(
  item: ConfigurationItem,
  label: string,
  optionsField: string,
  enabledField: string,
  keyField: string,
): StoreEncryption {
  const path = `configuration.${optionsField}`;
  const options = objectField(item.configuration?.[optionsField], path);
  if (!options) return { encrypted: 'unknown', path, label, note: `${optionsField} is not recorded` };
  const enabled = options[enabledField];
  if (enabled === false || enabled === 'false') return { encrypted: false, path: `${path}.${enabledField}`, label };
  if (enabled !== true && enabled !== 'true') {
    return { encrypted: 'unknown', path: `${path}.${enabledField}`, label, note: `${enabledField} is not recorded` };
  }
  const keyRef = keyText(options[keyField], `${path}.${keyField}`);
  return keyRef
    ? { encrypted: true, keyRef, keyKind: 'unknown', path: `${path}.${keyField}`, label }
    : { encrypted: true, keyRef: 'alias/aws/es', keyKind: 'aws-managed', path, label };
}

/**
 * AWS::Redshift::Cluster: `configuration.encrypted`, `configuration.kmsKeyId`; Redshift reports the literal
 * `AWS_OWNED_KMS_KEY` for clusters on its default AWS-owned key.
 */
export function readRedshiftCluster(item: ConfigurationItem): StoreEncryption {
  const s = flagAndKey(item, 'Redshift cluster', 'encrypted', 'kmsKeyId', 'unknown');
  return s.keyRef === 'AWS_OWNED_KMS_KEY' ? { ...s, keyRef: undefined, keyKind: 'aws-owned' } : s;
}

/** AWS::Backup::BackupVault: always encrypted, with `configuration.EncryptionKeyArn`. */
export function readBackupVault(item: ConfigurationItem): StoreEncryption {
  const label = 'Backup vault';
  const path = 'configuration.EncryptionKeyArn';
  const keyRef = keyText(item.configuration?.EncryptionKeyArn, path);
  // Every vault has an encryption key: without it the key cannot be judged (owner, manager), so it is unreadable.
  if (keyRef === undefined) unreadable(path, 'the vault key ARN', item.configuration?.EncryptionKeyArn);
  return { encrypted: true, keyRef, keyKind: 'unknown', path, label };
}
