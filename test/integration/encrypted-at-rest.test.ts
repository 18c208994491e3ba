import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateVolumeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import { CreateReplicationGroupCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  KinesisClient,
  StartStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import {
  collectEvaluations,
  type Evaluation,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../rules/runtime';
import type { RuleContext } from '../../rules/runtime/context';
import { createKmsKeyLookup } from '../../rules/runtime/key-lookup';
import { createLogger } from '../../rules/runtime/logger';
import { createRuleContext } from '../../rules/runtime/rule-context';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * Real resources created with SDK v3 in moto, read back through the SDK; the configuration items are built
 * from those API responses in the event form Config sends (moto's Config covers only a few of these types),
 * then judged through the rule including `gather`, whose key lookup calls kms:DescribeKey in moto.
 *
 * Where moto's defaults differ from AWS:
 * - S3: a new bucket reports no default encryption in moto; in AWS every bucket has SSE-S3 since 2023-01-05.
 * - SQS: SqsManagedSseEnabled defaults to "true", as in AWS since 2022; it is set "false" here explicitly.
 * - RDS: an instance encrypted without KmsKeyId gets KmsKeyId "default_kms_key_id" in moto (AWS: the aws/rds
 *   key ARN), so the encrypted instance below names its key.
 * - EBS: moto ignores "encryption by default" and creates unencrypted volumes unless Encrypted is passed.
 */

const region = motoRegion(__filename);
const config = motoClientConfig(region);
const kms = new KMSClient(config);
const silent = createLogger({}, { write: () => undefined });
const CAPTURE = '2026-11-20T10:15:30.123Z';

let restore: () => void;
let ctx: RuleContext;
let keyArn: string;
let keyId: string;
const alias = `alias/${uniqueName('ward-ear')}`;

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  const key = await kms.send(new CreateKeyCommand({ Description: 'ward encrypted-at-rest integration' }));
  keyArn = key.KeyMetadata?.Arn ?? '';
  keyId = key.KeyMetadata?.KeyId ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  const context: RuleContext = createRuleContext({
    mode: 'live',
    accountId: MOTO_ACCOUNT,
    region,
    logger: silent,
    keys: createKmsKeyLookup(
      (r) => context.client(KMSClient, r),
      (id) => new DescribeKeyCommand({ KeyId: id }),
    ),
  });
  ctx = context;
});
afterAll(() => restore());

function ci(resourceType: string, resourceId: string, configuration: object, supplementary: object = {}) {
  return normalizeConfigurationItem({
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: CAPTURE,
    configurationItemStatus: 'OK',
    awsAccountId: MOTO_ACCOUNT,
    resourceType,
    resourceId,
    resourceName: resourceId,
    awsRegion: region,
    tags: {},
    relationships: [],
    configuration: JSON.parse(JSON.stringify(configuration)),
    supplementaryConfiguration: supplementary,
  });
}

/** Lower-camels the first letter of every key, as Config's Java-bean serialisation does for older types. */
function beanCase(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(beanCase);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase()),
        beanCase(x),
      ]),
    );
  }
  return v;
}

async function judge(item: ReturnType<typeof ci>, raw: Record<string, unknown> = {}): Promise<Evaluation> {
  const params = parseRuleParameters(encryptedAtRest.meta.parameters, raw, 'encrypted-at-rest');
  const [e] = await evaluateItem(encryptedAtRest, item, params, ctx);
  return e;
}

const verdict = (e: Evaluation) => [e.compliance, e.findings.map((f) => f.code)];

describe('encrypted-at-rest against moto', () => {
  it('S3: a bucket without default encryption is unencrypted; SSE-KMS with a customer key is compliant', async () => {
    const s3 = new S3Client(config);
    const plain = uniqueName('ward-ear-plain');
    const kmsBucket = uniqueName('ward-ear-kms');
    await s3.send(
      new CreateBucketCommand({ Bucket: plain, CreateBucketConfiguration: { LocationConstraint: region as never } }),
    );
    await s3.send(
      new CreateBucketCommand({
        Bucket: kmsBucket,
        CreateBucketConfiguration: { LocationConstraint: region as never },
      }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: kmsBucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }],
        },
      }),
    );
    const read = async (bucket: string) => {
      try {
        const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
        return { ServerSideEncryptionConfiguration: beanCase(out.ServerSideEncryptionConfiguration) };
      } catch {
        return {}; // ServerSideEncryptionConfigurationNotFoundError: Config records no such key
      }
    };
    expect(verdict(await judge(ci('AWS::S3::Bucket', plain, { name: plain }, await read(plain))))).toEqual([
      'NON_COMPLIANT',
      ['unencrypted'],
    ]);
    const e = await judge(ci('AWS::S3::Bucket', kmsBucket, { name: kmsBucket }, await read(kmsBucket)), {
      requireCustomerManagedKey: true,
      allowedKmsKeyArns: keyArn,
    });
    expect(verdict(e)).toEqual(['COMPLIANT', []]);
  });

  it('SNS: no KmsMasterKeyId is unencrypted; an alias resolves through DescribeKey to a customer key', async () => {
    const sns = new SNSClient(config);
    const plain = await sns.send(new CreateTopicCommand({ Name: uniqueName('ward-ear-plain') }));
    const enc = await sns.send(
      new CreateTopicCommand({ Name: uniqueName('ward-ear-enc'), Attributes: { KmsMasterKeyId: alias } }),
    );
    const item = async (arn = '') =>
      ci('AWS::SNS::Topic', arn, (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {});
    expect(verdict(await judge(await item(plain.TopicArn)))).toEqual(['NON_COMPLIANT', ['unencrypted']]);
    const e = await judge(await item(enc.TopicArn), { requireCustomerManagedKey: true, allowedKmsKeyArns: keyArn });
    expect(verdict(e)).toEqual(['COMPLIANT', []]);
    expect(e.annotation).toContain('customer-managed key');
  });

  it('SQS: SSE-SQS is encrypted (AWS-owned), "false" without a key is unencrypted', async () => {
    const sqs = new SQSClient(config);
    const attrs = async (url = '') =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
    const managed = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('ward-ear-sse') }));
    const plain = await sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName('ward-ear-plain'),
        Attributes: { SqsManagedSseEnabled: 'false' },
      }),
    );
    const managedItem = ci('AWS::SQS::Queue', managed.QueueUrl ?? '', await attrs(managed.QueueUrl));
    expect(verdict(await judge(managedItem))).toEqual(['COMPLIANT', []]);
    expect(verdict(await judge(managedItem, { requireCustomerManagedKey: true }))).toEqual([
      'NON_COMPLIANT',
      ['not-customer-managed-key'],
    ]);
    expect(verdict(await judge(ci('AWS::SQS::Queue', plain.QueueUrl ?? '', await attrs(plain.QueueUrl))))).toEqual([
      'NON_COMPLIANT',
      ['unencrypted'],
    ]);
  });

  it('DynamoDB: the default table is encrypted with an AWS-owned key; SSE-KMS names the customer key', async () => {
    const ddb = new DynamoDBClient(config);
    const base = {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      BillingMode: 'PAY_PER_REQUEST' as const,
    };
    const owned = uniqueName('ward-ear-owned');
    const cmk = uniqueName('ward-ear-cmk');
    await ddb.send(new CreateTableCommand({ ...base, TableName: owned }));
    await ddb.send(
      new CreateTableCommand({
        ...base,
        TableName: cmk,
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
      }),
    );
    // Config's DynamoDB item uses Java-bean casing: ssedescription.kmsmasterKeyArn.
    const item = async (name: string) => {
      const t = (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table ?? {};
      const sse = t.SSEDescription;
      return ci('AWS::DynamoDB::Table', name, {
        tableName: t.TableName,
        ...(sse
          ? { ssedescription: { status: sse.Status, ssetype: sse.SSEType, kmsmasterKeyArn: sse.KMSMasterKeyArn } }
          : {}),
      });
    };
    expect(verdict(await judge(await item(owned)))).toEqual(['COMPLIANT', []]);
    expect(verdict(await judge(await item(owned), { requireCustomerManagedKey: true }))).toEqual([
      'NON_COMPLIANT',
      ['not-customer-managed-key'],
    ]);
    expect(verdict(await judge(await item(cmk), { requireCustomerManagedKey: true }))).toEqual(['COMPLIANT', []]);
  });

  it('EBS: an unencrypted volume is flagged; an encrypted one with the customer key is compliant', async () => {
    const ec2 = new EC2Client(config);
    const az = `${region}a`;
    const plain = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 1 }));
    const enc = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: az, Size: 1, Encrypted: true, KmsKeyId: keyArn }),
    );
    const item = (v: typeof plain) => ci('AWS::EC2::Volume', v.VolumeId ?? '', beanCase(v) as object);
    expect(verdict(await judge(item(plain)))).toEqual(['NON_COMPLIANT', ['unencrypted']]);
    expect(verdict(await judge(item(enc), { requireCustomerManagedKey: true }))).toEqual(['COMPLIANT', []]);
  });

  it('RDS: storageEncrypted false is unencrypted; true with the customer key is compliant', async () => {
    const rds = new RDSClient(config);
    const create = (id: string, encrypted: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: 'db.t3.micro',
          Engine: 'postgres',
          AllocatedStorage: 20,
          MasterUsername: 'ward',
          MasterUserPassword: 'not-a-real-password-1',
          StorageEncrypted: encrypted,
          ...(encrypted ? { KmsKeyId: keyArn } : {}),
        }),
      );
    const item = (db: Awaited<ReturnType<typeof create>>['DBInstance']) =>
      ci('AWS::RDS::DBInstance', db?.DbiResourceId ?? '', beanCase(db) as object);
    const plain = await create(uniqueName('ear-plain'), false);
    const enc = await create(uniqueName('ear-enc'), true);
    expect(verdict(await judge(item(plain.DBInstance)))).toEqual(['NON_COMPLIANT', ['unencrypted']]);
    expect(verdict(await judge(item(enc.DBInstance), { requireCustomerManagedKey: true }))).toEqual(['COMPLIANT', []]);
  });

  it('EFS: Encrypted false is unencrypted; Encrypted without a key is the AWS-managed key', async () => {
    const efs = new EFSClient(config);
    const plain = await efs.send(
      new CreateFileSystemCommand({ CreationToken: uniqueName('ear-plain'), Encrypted: false }),
    );
    const enc = await efs.send(new CreateFileSystemCommand({ CreationToken: uniqueName('ear-enc'), Encrypted: true }));
    const item = (fs: typeof plain) =>
      ci('AWS::EFS::FileSystem', fs.FileSystemId ?? '', { ...fs, FileSystemPolicy: {} });
    expect(verdict(await judge(item(plain)))).toEqual(['NON_COMPLIANT', ['unencrypted']]);
    expect(verdict(await judge(item(enc)))).toEqual(['COMPLIANT', []]);
    expect(verdict(await judge(item(enc), { requireCustomerManagedKey: true }))).toEqual([
      'NON_COMPLIANT',
      ['not-customer-managed-key'],
    ]);
  });

  it('Kinesis: a stream without StreamEncryption is unencrypted; KMS with the alias is compliant', async () => {
    // The Kinesis client speaks HTTP/2 by default; moto's server speaks HTTP/1.1 only.
    const kinesis = new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() });
    const plain = uniqueName('ear-plain');
    const enc = uniqueName('ear-enc');
    await kinesis.send(new CreateStreamCommand({ StreamName: plain, ShardCount: 1 }));
    await kinesis.send(new CreateStreamCommand({ StreamName: enc, ShardCount: 1 }));
    await kinesis.send(new StartStreamEncryptionCommand({ StreamName: enc, EncryptionType: 'KMS', KeyId: alias }));
    const item = async (name: string) => {
      const d = (await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription;
      // Config's Kinesis item (CloudFormation style) has StreamEncryption only when encrypted.
      const encrypted = d?.EncryptionType === 'KMS';
      return ci('AWS::Kinesis::Stream', name, {
        Name: name,
        ...(encrypted ? { StreamEncryption: { EncryptionType: 'KMS', KeyId: d?.KeyId } } : {}),
      });
    };
    expect(verdict(await judge(await item(plain)))).toEqual(['NON_COMPLIANT', ['unencrypted']]);
    expect(verdict(await judge(await item(enc), { requireCustomerManagedKey: true }))).toEqual(['COMPLIANT', []]);
  });

  it('Secrets Manager: no KMSKeyId is the AWS-managed key; the customer key passes requireCustomerManagedKey', async () => {
    const sm = new SecretsManagerClient(config);
    const plain = await sm.send(new CreateSecretCommand({ Name: uniqueName('ear-default'), SecretString: 'x' }));
    const cmk = await sm.send(
      new CreateSecretCommand({ Name: uniqueName('ear-cmk'), SecretString: 'x', KmsKeyId: keyArn }),
    );
    const item = async (arn = '') => {
      const d = await sm.send(new DescribeSecretCommand({ SecretId: arn }));
      return ci('AWS::SecretsManager::Secret', arn, { Name: d.Name, ...(d.KmsKeyId ? { KMSKeyId: d.KmsKeyId } : {}) });
    };
    const strict = { requireCustomerManagedKey: true };
    expect(verdict(await judge(await item(plain.ARN)))).toEqual(['COMPLIANT', []]);
    expect(verdict(await judge(await item(plain.ARN), strict))).toEqual([
      'NON_COMPLIANT',
      ['not-customer-managed-key'],
    ]);
    expect(verdict(await judge(await item(cmk.ARN), strict))).toEqual(['COMPLIANT', []]);
  });

  it('periodic: log groups and ElastiCache replication groups are listed and judged', async () => {
    const logs = new CloudWatchLogsClient(config);
    const cache = new ElastiCacheClient(config);
    const plainGroup = `/ward/${uniqueName('ear-plain')}`;
    const cmkGroup = `/ward/${uniqueName('ear-cmk')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: plainGroup }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: cmkGroup, kmsKeyId: keyArn }));
    const plainRg = uniqueName('ear-plain').slice(0, 40);
    await cache.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: plainRg,
        ReplicationGroupDescription: 'ward',
        Engine: 'redis',
        CacheNodeType: 'cache.t3.micro',
        AtRestEncryptionEnabled: false,
      }),
    );
    const params = parseRuleParameters(encryptedAtRest.meta.parameters, { requireCustomerManagedKey: true }, 'x');
    const out = await collectEvaluations(encryptedAtRest, params, ctx);
    const byId = new Map(out.map((e) => [e.resourceId, e]));
    expect(byId.get(plainGroup)).toMatchObject({ resourceType: 'AWS::Logs::LogGroup', compliance: 'NON_COMPLIANT' });
    expect(byId.get(plainGroup)?.findings.map((f) => f.code)).toEqual(['not-customer-managed-key']);
    expect(byId.get(cmkGroup)).toMatchObject({ resourceType: 'AWS::Logs::LogGroup', compliance: 'COMPLIANT' });
    expect(byId.get(plainRg)).toMatchObject({
      resourceType: 'AWS::ElastiCache::ReplicationGroup',
      compliance: 'NON_COMPLIANT',
    });
    expect(byId.get(plainRg)?.findings.map((f) => f.code)).toEqual(['unencrypted']);
    expect(out.filter((e) => e.resourceType === 'AWS::::Account')).toEqual([]);
  });
});
