import { readDynamoDbTable } from './dynamodb';
import { readRdsDbCluster, readRdsDbClusterSnapshot, readRdsDbInstance, readRdsDbSnapshot } from './rds';
import { readS3Bucket } from './s3';
import {
  readBackupVault,
  readEc2Volume,
  readEfsFileSystem,
  readElasticsearchDomain,
  readKinesisStream,
  readOpenSearchDomain,
  readRedshiftCluster,
  readSecretsManagerSecret,
  readSnsTopic,
  readSqsQueue,
} from './simple-stores';
import type { StoreReader } from './types';

export type { KeyKind, StoreEncryption, StoreReader } from './types';

/** Change-triggered store types (the Config scope of the rule) and how each records its encryption. */
export const STORE_READERS = {
  'AWS::S3::Bucket': readS3Bucket,
  'AWS::DynamoDB::Table': readDynamoDbTable,
  'AWS::RDS::DBInstance': readRdsDbInstance,
  'AWS::RDS::DBCluster': readRdsDbCluster,
  'AWS::RDS::DBSnapshot': readRdsDbSnapshot,
  'AWS::RDS::DBClusterSnapshot': readRdsDbClusterSnapshot,
  'AWS::EC2::Volume': readEc2Volume,
  'AWS::EFS::FileSystem': readEfsFileSystem,
  'AWS::SNS::Topic': readSnsTopic,
  'AWS::SQS::Queue': readSqsQueue,
  'AWS::Kinesis::Stream': readKinesisStream,
  'AWS::SecretsManager::Secret': readSecretsManagerSecret,
  'AWS::OpenSearch::Domain': readOpenSearchDomain,
  'AWS::Elasticsearch::Domain': readElasticsearchDomain,
  'AWS::Redshift::Cluster': readRedshiftCluster,
  'AWS::Backup::BackupVault': readBackupVault,
} as const satisfies Record<string, StoreReader>;

/** The change-triggered resource types, in registry order. */
export const STORE_TYPES = Object.keys(STORE_READERS) as (keyof typeof STORE_READERS)[];

/** The reader for a resource type, or undefined when the rule does not cover it. */
export function storeReader(resourceType: string): StoreReader | undefined {
  return (STORE_READERS as Record<string, StoreReader>)[resourceType];
}
