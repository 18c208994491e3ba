/** Real-shaped configuration items for the encrypted-at-rest tests (event form, deep-frozen) and their API form. */

export const ACCOUNT = '111122223333';
export const OTHER = '999988887777';
export const REGION = 'us-east-1';
export const CUSTOMER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const AWS_MANAGED_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/aaaa1111-2222-3333-4444-555566667777`;
export const EXTERNAL_KEY = `arn:aws:kms:${REGION}:${OTHER}:key/bbbb1111-2222-3333-4444-555566667777`;

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Freezes an object graph so a rule that mutates its input fails. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** A CI in the event form. */
export function eventCi(
  resourceType: string,
  resourceId: string,
  configuration: Json | null,
  supplementary: Json = {},
  extra: Json = {},
): Json {
  return deepFreeze({
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-01T10:00:00.000Z',
    configurationItemStatus: configuration === null ? 'ResourceDeleted' : 'OK',
    awsAccountId: ACCOUNT,
    ARN: resourceId.startsWith('arn:') ? resourceId : `arn:aws:test:${REGION}:${ACCOUNT}:${resourceId}`,
    resourceType,
    resourceId,
    resourceName: resourceId,
    awsRegion: REGION,
    availabilityZone: 'Not Applicable',
    tags: {},
    relationships: [],
    configuration,
    supplementaryConfiguration: supplementary,
    ...extra,
  });
}

/** The same CI in the API form (GetResourceConfigHistory): JSON-string configuration and supplementary values. */
export function apiForm(event: Json): Json {
  const { awsAccountId, ARN, configurationItemVersion, configuration, supplementaryConfiguration, ...rest } = event;
  const sc = Object.fromEntries(
    Object.entries(supplementaryConfiguration as Json).map(([k, v]) => [k, JSON.stringify(v)]),
  );
  return deepFreeze({
    ...rest,
    accountId: awsAccountId,
    arn: ARN,
    version: configurationItemVersion,
    configuration: JSON.stringify(configuration),
    supplementaryConfiguration: sc,
  });
}

const s3 = (sse?: Json) =>
  eventCi(
    'AWS::S3::Bucket',
    'example-bucket',
    { name: 'example-bucket', owner: { id: 'abc' } },
    {
      AccessControlList: '{"grantList":[],"owner":{"displayName":null,"id":"abc"}}',
      BucketPolicy: { policyText: null },
      ...(sse ? { ServerSideEncryptionConfiguration: sse } : {}),
    },
  );
const s3Rule = (sseAlgorithm: string, kmsMasterKeyID: string | null = null) => ({
  rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyID }, bucketKeyEnabled: false }],
});

const dynamo = (sse?: Json) =>
  eventCi('AWS::DynamoDB::Table', 'orders', {
    tableName: 'orders',
    tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
    tableStatus: 'ACTIVE',
    creationDateTime: 1667059200000,
    ...(sse ? { ssedescription: sse } : {}),
  });

const rdsInstance = (storageEncrypted: unknown, kmsKeyId: string | null) =>
  eventCi('AWS::RDS::DBInstance', 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1', {
    dBInstanceIdentifier: 'orders-db',
    dbiResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY1',
    engine: 'postgres',
    storageEncrypted,
    kmsKeyId,
    publiclyAccessible: false,
  });

const volume = (encrypted: boolean, kmsKeyId?: string) =>
  eventCi('AWS::EC2::Volume', 'vol-0123456789abcdef0', {
    volumeId: 'vol-0123456789abcdef0',
    size: 8,
    state: { value: 'in-use' },
    encrypted,
    ...(kmsKeyId ? { kmsKeyId } : {}),
    attachments: [],
  });

const sqs = (c: Json) =>
  eventCi('AWS::SQS::Queue', `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs`, {
    QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs`,
    QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`,
    DelaySeconds: '0',
    CreatedTimestamp: '1667059200',
    ...c,
  });

/** One row of the per-type table: a CI and the verdict with default parameters. */
export interface TypeCase {
  readonly name: string;
  readonly ci: Json;
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
  readonly codes: readonly string[];
}

/** Every change-triggered type: encrypted, unencrypted and the quirks, judged with default parameters. */
export const TYPE_CASES: readonly TypeCase[] = [
  { name: 'S3 bucket with SSE-S3 (AES256)', ci: s3(s3Rule('AES256')), compliance: 'COMPLIANT', codes: [] },
  {
    name: 'S3 bucket with SSE-KMS and a key',
    ci: s3(s3Rule('aws:kms', CUSTOMER_KEY)),
    compliance: 'COMPLIANT',
    codes: [],
  },
  { name: 'S3 bucket with SSE-KMS and no key (aws/s3)', ci: s3(s3Rule('aws:kms')), compliance: 'COMPLIANT', codes: [] },
  { name: 'S3 bucket with DSSE-KMS', ci: s3(s3Rule('aws:kms:dsse', CUSTOMER_KEY)), compliance: 'COMPLIANT', codes: [] },
  {
    name: 'S3 bucket without a default encryption configuration',
    ci: s3(),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'S3 bucket with an unknown algorithm',
    ci: s3(s3Rule('XYZ')),
    compliance: 'NON_COMPLIANT',
    codes: ['encryption-unknown'],
  },
  {
    name: 'DynamoDB table without ssedescription (AWS-owned key, encrypted)',
    ci: dynamo(),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'DynamoDB table with ssedescription.kmsmasterKeyArn',
    ci: dynamo({ status: 'ENABLED', ssetype: 'KMS', kmsmasterKeyArn: CUSTOMER_KEY }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'RDS DB instance with storageEncrypted true',
    ci: rdsInstance(true, CUSTOMER_KEY),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'RDS DB instance with storageEncrypted false and kmsKeyId null',
    ci: rdsInstance(false, null),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'RDS DB instance without storageEncrypted',
    ci: rdsInstance(undefined, null),
    compliance: 'NON_COMPLIANT',
    codes: ['encryption-unknown'],
  },
  {
    name: 'RDS DB cluster encrypted',
    ci: eventCi('AWS::RDS::DBCluster', 'cluster-ABCDEFGHIJKL', {
      dbclusterIdentifier: 'c1',
      storageEncrypted: true,
      kmsKeyId: CUSTOMER_KEY,
      clusterCreateTime: 1667059200000,
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'RDS DB cluster unencrypted',
    ci: eventCi('AWS::RDS::DBCluster', 'cluster-MNOPQRSTUVWX', { dbclusterIdentifier: 'c2', storageEncrypted: false }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'RDS DB snapshot encrypted (configuration.encrypted)',
    ci: eventCi('AWS::RDS::DBSnapshot', 'rds:orders-db-2026-11-01', { encrypted: true, kmsKeyId: CUSTOMER_KEY }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'RDS DB snapshot unencrypted',
    ci: eventCi('AWS::RDS::DBSnapshot', 'manual-snap', { encrypted: false }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'RDS DB cluster snapshot encrypted (configuration.storageEncrypted)',
    ci: eventCi('AWS::RDS::DBClusterSnapshot', 'rds:c1-2026-11-01', { storageEncrypted: true, kmsKeyId: CUSTOMER_KEY }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'RDS DB cluster snapshot unencrypted',
    ci: eventCi('AWS::RDS::DBClusterSnapshot', 'c2-manual', { storageEncrypted: false }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  { name: 'EBS volume encrypted', ci: volume(true, CUSTOMER_KEY), compliance: 'COMPLIANT', codes: [] },
  { name: 'EBS volume unencrypted', ci: volume(false), compliance: 'NON_COMPLIANT', codes: ['unencrypted'] },
  {
    name: 'EFS file system Encrypted without KmsKeyId (aws/elasticfilesystem)',
    ci: eventCi('AWS::EFS::FileSystem', 'fs-0123456789abcdef0', {
      FileSystemId: 'fs-0123456789abcdef0',
      Encrypted: true,
      FileSystemPolicy: {},
      FileSystemTags: [],
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'EFS file system unencrypted',
    ci: eventCi('AWS::EFS::FileSystem', 'fs-0fedcba9876543210', {
      FileSystemId: 'fs-0fedcba9876543210',
      Encrypted: false,
      FileSystemPolicy: {},
    }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'SNS topic with KmsMasterKeyId alias/aws/sns',
    ci: eventCi('AWS::SNS::Topic', `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`, {
      TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`,
      KmsMasterKeyId: 'alias/aws/sns',
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'SNS topic without KmsMasterKeyId',
    ci: eventCi('AWS::SNS::Topic', `arn:aws:sns:${REGION}:${ACCOUNT}:plain`, {
      TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:plain`,
    }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'SQS queue with SqsManagedSseEnabled "true" (string)',
    ci: sqs({ SqsManagedSseEnabled: 'true' }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'SQS queue with KmsMasterKeyId alias/aws/sqs',
    ci: sqs({ KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'false' }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'SQS queue with SqsManagedSseEnabled "false" and no key',
    ci: sqs({ SqsManagedSseEnabled: 'false' }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  { name: 'SQS queue with neither field', ci: sqs({}), compliance: 'NON_COMPLIANT', codes: ['unencrypted'] },
  {
    name: 'Kinesis stream with StreamEncryption KMS alias/aws/kinesis',
    ci: eventCi('AWS::Kinesis::Stream', 'clicks', {
      Name: 'clicks',
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'Kinesis stream without StreamEncryption',
    ci: eventCi('AWS::Kinesis::Stream', 'raw', { Name: 'raw', ShardCount: 1 }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'Secrets Manager secret without KMSKeyId (aws/secretsmanager)',
    ci: eventCi('AWS::SecretsManager::Secret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`, {
      Name: 'db',
      RotationEnabled: false,
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'OpenSearch domain with EncryptionAtRestOptions.Enabled (PascalCase)',
    ci: eventCi('AWS::OpenSearch::Domain', 'search', {
      DomainName: 'search',
      EncryptionAtRestOptions: { Enabled: true, KmsKeyId: CUSTOMER_KEY },
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'OpenSearch domain with EncryptionAtRestOptions.Enabled false',
    ci: eventCi('AWS::OpenSearch::Domain', 'search-plain', {
      DomainName: 'search-plain',
      EncryptionAtRestOptions: { Enabled: false },
    }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'OpenSearch domain read with Elasticsearch casing is not taken as encrypted',
    ci: eventCi('AWS::OpenSearch::Domain', 'search-odd', {
      DomainName: 'search-odd',
      encryptionAtRestOptions: { enabled: true },
    }),
    compliance: 'NON_COMPLIANT',
    codes: ['encryption-unknown'],
  },
  {
    name: 'Elasticsearch domain with encryptionAtRestOptions.enabled (lowerCamel)',
    ci: eventCi('AWS::Elasticsearch::Domain', 'logs-es', {
      domainName: 'logs-es',
      encryptionAtRestOptions: { enabled: true, kmsKeyId: CUSTOMER_KEY },
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'Elasticsearch domain with encryptionAtRestOptions.enabled false',
    ci: eventCi('AWS::Elasticsearch::Domain', 'old-es', {
      domainName: 'old-es',
      encryptionAtRestOptions: { enabled: false },
    }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'Redshift cluster encrypted with the AWS-owned key',
    ci: eventCi('AWS::Redshift::Cluster', 'warehouse', {
      clusterIdentifier: 'warehouse',
      encrypted: true,
      kmsKeyId: 'AWS_OWNED_KMS_KEY',
    }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'Redshift cluster unencrypted',
    ci: eventCi('AWS::Redshift::Cluster', 'legacy', { clusterIdentifier: 'legacy', encrypted: false }),
    compliance: 'NON_COMPLIANT',
    codes: ['unencrypted'],
  },
  {
    name: 'Backup vault with EncryptionKeyArn',
    ci: eventCi('AWS::Backup::BackupVault', 'Default', { BackupVaultName: 'Default', EncryptionKeyArn: CUSTOMER_KEY }),
    compliance: 'COMPLIANT',
    codes: [],
  },
  {
    name: 'Lambda function (kmskeyArn) is outside the scope: not a data store',
    ci: eventCi('AWS::Lambda::Function', 'order-handler', { functionName: 'order-handler', kmskeyArn: null }),
    compliance: 'NOT_APPLICABLE',
    codes: [],
  },
  {
    name: 'deleted item (configuration null)',
    ci: eventCi('AWS::EC2::Volume', 'vol-0deleted000000000', null),
    compliance: 'NOT_APPLICABLE',
    codes: [],
  },
];
