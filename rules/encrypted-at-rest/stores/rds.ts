import type { ConfigurationItem } from '../../runtime';
import { flagAndKey, type StoreEncryption } from './types';

/*
 * RDS records encryption as a boolean and the key ARN (the AWS-managed aws/rds key when none was chosen, so an
 * encrypted item without a key is `unknown` rather than assumed AWS-managed).
 */

/** AWS::RDS::DBInstance: `configuration.storageEncrypted`, `configuration.kmsKeyId`. */
export function readRdsDbInstance(item: ConfigurationItem): StoreEncryption {
  return flagAndKey(item, 'RDS DB instance', 'storageEncrypted', 'kmsKeyId', 'unknown');
}

/** AWS::RDS::DBCluster: `configuration.storageEncrypted`, `configuration.kmsKeyId`. */
export function readRdsDbCluster(item: ConfigurationItem): StoreEncryption {
  return flagAndKey(item, 'RDS DB cluster', 'storageEncrypted', 'kmsKeyId', 'unknown');
}

/** AWS::RDS::DBSnapshot: `configuration.encrypted`, `configuration.kmsKeyId`. */
export function readRdsDbSnapshot(item: ConfigurationItem): StoreEncryption {
  return flagAndKey(item, 'RDS DB snapshot', 'encrypted', 'kmsKeyId', 'unknown');
}

/** AWS::RDS::DBClusterSnapshot: `configuration.storageEncrypted`, `configuration.kmsKeyId`. */
export function readRdsDbClusterSnapshot(item: ConfigurationItem): StoreEncryption {
  return flagAndKey(item, 'RDS DB cluster snapshot', 'storageEncrypted', 'kmsKeyId', 'unknown');
}
