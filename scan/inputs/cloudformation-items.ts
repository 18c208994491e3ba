/**
 * Template resources as the configuration items Config records for them (configuration-items.md section 3):
 * data stores with their encryption, resources with their resource policies, including the policies other
 * resources attach (`AWS::S3::BucketPolicy`, `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`,
 * `AWS::Lambda::Permission`). Defaults are the ones AWS applies when a property is left out.
 */
import { buildExternalTargets, buildIdentity, buildManagedPolicy, isIdentityType } from './cloudformation-iam';
import { attached, type BuildKit, type BuiltItem, envelope, jsonPolicy, list, rec, tagsOf } from './cloudformation-kit';
import { bucketSupplementary, defaultTopicPolicy } from './aws-defaults';
import { API_BUILDERS } from './cloudformation-apigateway';

type Builder = (kit: BuildKit, id: string, p: Record<string, unknown>) => BuiltItem | BuiltItem[];

const item = (
  kit: BuildKit,
  id: string,
  resourceType: string,
  p: Record<string, unknown>,
  configuration: Record<string, unknown>,
  supplementaryConfiguration: Record<string, unknown> = {},
  from: string[] = [],
): BuiltItem => ({
  logicalId: id,
  from,
  ci: envelope(kit, { logicalId: id, resourceType, configuration, supplementaryConfiguration, tags: tagsOf(p.Tags) }),
});

/** The one policy resource of `type` whose `prop` refers to `id` (the last one wins, as in CloudFormation). */
function policyOf(kit: BuildKit, type: string, prop: string, id: string) {
  const found = attached(kit, type, prop, id);
  const last = found[found.length - 1];
  return last ? { id: last[0], document: rec(kit.resolve(last[1].Properties)).PolicyDocument } : undefined;
}

function s3Bucket(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const policy = policyOf(kit, 'AWS::S3::BucketPolicy', 'Bucket', id);
  const sse = list(rec(p.BucketEncryption).ServerSideEncryptionConfiguration).map((r) => {
    const d = rec(rec(r).ServerSideEncryptionByDefault);
    return {
      applyServerSideEncryptionByDefault: { sseAlgorithm: d.SSEAlgorithm, kmsMasterKeyID: d.KMSMasterKeyID ?? null },
      bucketKeyEnabled: rec(r).BucketKeyEnabled === true,
    };
  });
  // What the template leaves out, S3 sets on every new bucket (aws-defaults.ts).
  const block = p.PublicAccessBlockConfiguration;
  const supplementary = bucketSupplementary({
    encryptionRules: sse,
    policyText: policy ? jsonPolicy(policy.document) : null,
    // CloudFormation spells Config's `blockPublicAcls` as `BlockPublicAcls`.
    publicAccessBlock: block === undefined ? undefined : (s) => rec(block)[`${s[0].toUpperCase()}${s.slice(1)}`],
    acl: p.AccessControl,
  });
  return item(kit, id, 'AWS::S3::Bucket', p, { name: kit.naming.name(id) }, supplementary, policy ? [policy.id] : []);
}

function snsTopic(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const policy = policyOf(kit, 'AWS::SNS::TopicPolicy', 'Topics', id);
  const configuration: Record<string, unknown> = { TopicArn: kit.naming.ref(id) };
  if (p.KmsMasterKeyId !== undefined) configuration.KmsMasterKeyId = p.KmsMasterKeyId;
  configuration.Policy = policy
    ? jsonPolicy(policy.document)
    : defaultTopicPolicy(configuration.TopicArn, kit.target.accountId);
  return item(kit, id, 'AWS::SNS::Topic', p, configuration, {}, policy ? [policy.id] : []);
}

function sqsQueue(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const policy = policyOf(kit, 'AWS::SQS::QueuePolicy', 'Queues', id);
  const configuration: Record<string, unknown> = { QueueArn: kit.naming.arn(id) };
  if (p.KmsMasterKeyId !== undefined) configuration.KmsMasterKeyId = p.KmsMasterKeyId;
  // SSE-SQS is on for new queues unless turned off or replaced by a KMS key; Config records it as a string.
  const managed = p.SqsManagedSseEnabled;
  configuration.SqsManagedSseEnabled =
    p.KmsMasterKeyId !== undefined ? 'false' : managed === undefined ? 'true' : String(managed);
  if (policy) configuration.Policy = jsonPolicy(policy.document);
  return item(kit, id, 'AWS::SQS::Queue', p, configuration, {}, policy ? [policy.id] : []);
}

function kmsKey(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  return item(
    kit,
    id,
    'AWS::KMS::Key',
    p,
    {
      keyId: id,
      arn: kit.naming.arn(id),
      keyManager: 'CUSTOMER',
      keyState: p.Enabled === false ? 'Disabled' : 'Enabled',
      enabled: p.Enabled !== false,
      awsaccountId: kit.target.accountId,
      multiRegion: p.MultiRegion === true,
    },
    { Policy: jsonPolicy(p.KeyPolicy), KeyRotationStatus: p.EnableKeyRotation === true },
  );
}

function kmsAlias(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  return item(kit, id, 'AWS::KMS::Alias', p, { AliasName: p.AliasName, TargetKeyId: p.TargetKeyId });
}

function lambdaFunction(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const from: string[] = [];
  const statements = attached(kit, 'AWS::Lambda::Permission', 'FunctionName', id).map(([pid, perm]) => {
    from.push(pid);
    return permissionStatement(pid, rec(kit.resolve(perm.Properties)), kit.naming.arn(id) ?? id);
  });
  const supplementary =
    statements.length > 0 ? { Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } : {};
  const configuration = {
    functionName: kit.naming.name(id),
    functionArn: kit.naming.arn(id),
    runtime: p.Runtime,
    // Config records Zip for a function that does not say; an image function has no runtime to judge.
    packageType: p.PackageType ?? 'Zip',
    role: p.Role,
    kmskeyArn: p.KmsKeyArn ?? null,
  };
  return item(kit, id, 'AWS::Lambda::Function', p, configuration, supplementary, from);
}

/** The statement Lambda writes into the function policy for an `AddPermission` (what GetPolicy returns). */
export function permissionStatement(
  sid: string,
  p: Record<string, unknown>,
  functionArn: string,
): Record<string, unknown> {
  const principal = String(p.Principal ?? '');
  const condition: Record<string, Record<string, string>> = {};
  const add = (op: string, key: string, v: unknown) => {
    if (v !== undefined) condition[op] = { ...condition[op], [key]: String(v) };
  };
  add('StringEquals', 'AWS:SourceAccount', p.SourceAccount);
  add('StringEquals', 'aws:PrincipalOrgID', p.PrincipalOrgID);
  add('StringEquals', 'lambda:FunctionUrlAuthType', p.FunctionUrlAuthType);
  add('ArnLike', 'AWS:SourceArn', p.SourceArn);
  const value =
    principal === '*'
      ? '*'
      : principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn')
        ? { Service: principal }
        : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal };
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: value,
    Action: p.Action,
    Resource: functionArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

const flagAndKey =
  (type: string, flag: string, key: string, ciFlag: string, ciKey: string, byDefault: boolean | undefined): Builder =>
  (kit, id, p) => {
    const configuration: Record<string, unknown> = {};
    const value = p[flag] ?? byDefault;
    // Left out where AWS's default is not known from the template (an Aurora instance inherits its cluster's).
    if (value !== undefined) configuration[ciFlag] = value;
    configuration[ciKey] = p[key] ?? null;
    return item(kit, id, type, p, configuration);
  };

function rdsInstance(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const inCluster = p.DBClusterIdentifier !== undefined;
  return flagAndKey(
    'AWS::RDS::DBInstance',
    'StorageEncrypted',
    'KmsKeyId',
    'storageEncrypted',
    'kmsKeyId',
    inCluster ? undefined : false,
  )(kit, id, p) as BuiltItem;
}

function dynamoDbTable(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const sse = rec(p.SSESpecification);
  const configuration: Record<string, unknown> = { tableName: kit.naming.name(id), tableArn: kit.naming.arn(id) };
  if (sse.SSEEnabled === true || sse.SSEEnabled === 'true') {
    configuration.ssedescription = {
      status: 'ENABLED',
      ssetype: 'KMS',
      ...(sse.KMSMasterKeyId !== undefined ? { kmsmasterKeyArn: sse.KMSMasterKeyId } : {}),
    };
  }
  return item(kit, id, 'AWS::DynamoDB::Table', p, configuration);
}

function efsFileSystem(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  return item(kit, id, 'AWS::EFS::FileSystem', p, {
    Encrypted: p.Encrypted ?? false,
    KmsKeyId: p.KmsKeyId,
    FileSystemPolicy: p.FileSystemPolicy ?? {},
  });
}

function kinesisStream(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const se = rec(p.StreamEncryption);
  return item(kit, id, 'AWS::Kinesis::Stream', p, p.StreamEncryption === undefined ? {} : { StreamEncryption: se });
}

function openSearchDomain(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  return item(kit, id, 'AWS::OpenSearch::Domain', p, {
    EncryptionAtRestOptions: { Enabled: false, ...rec(p.EncryptionAtRestOptions) },
    // A domain without an access policy: Config records an empty text (`{}` would be a document without statements).
    AccessPolicies: p.AccessPolicies ?? '',
    VPCOptions: p.VPCOptions ?? {},
  });
}

function elasticsearchDomain(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  const e = rec(p.EncryptionAtRestOptions);
  const vpc = rec(p.VPCOptions);
  return item(kit, id, 'AWS::Elasticsearch::Domain', p, {
    encryptionAtRestOptions: { enabled: e.Enabled ?? false, kmsKeyId: e.KmsKeyId },
    accessPolicies: p.AccessPolicies === undefined ? undefined : jsonPolicy(p.AccessPolicies),
    vpcoptions: { subnetIds: vpc.SubnetIds ?? [] },
  });
}

function ecrRepository(kit: BuildKit, id: string, p: Record<string, unknown>): BuiltItem {
  return item(kit, id, 'AWS::ECR::Repository', p, {
    RepositoryName: kit.naming.name(id),
    Arn: kit.naming.arn(id),
    RepositoryPolicyText: p.RepositoryPolicyText ?? {},
  });
}

const simple =
  (type: string, map: (p: Record<string, unknown>) => Record<string, unknown>): Builder =>
  (kit, id, p) =>
    item(kit, id, type, p, map(p));

/** The builders, by CloudFormation type. */
const BUILDERS: Readonly<Record<string, Builder>> = {
  'AWS::S3::Bucket': s3Bucket,
  'AWS::SNS::Topic': snsTopic,
  'AWS::SQS::Queue': sqsQueue,
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::Alias': kmsAlias,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::DynamoDB::Table': dynamoDbTable,
  'AWS::RDS::DBInstance': rdsInstance,
  'AWS::RDS::DBCluster': flagAndKey(
    'AWS::RDS::DBCluster',
    'StorageEncrypted',
    'KmsKeyId',
    'storageEncrypted',
    'kmsKeyId',
    false,
  ),
  'AWS::EC2::Volume': flagAndKey('AWS::EC2::Volume', 'Encrypted', 'KmsKeyId', 'encrypted', 'kmsKeyId', false),
  'AWS::Redshift::Cluster': flagAndKey(
    'AWS::Redshift::Cluster',
    'Encrypted',
    'KmsKeyId',
    'encrypted',
    'kmsKeyId',
    false,
  ),
  'AWS::EFS::FileSystem': efsFileSystem,
  'AWS::Kinesis::Stream': kinesisStream,
  'AWS::SecretsManager::Secret': simple('AWS::SecretsManager::Secret', (p) => ({ KMSKeyId: p.KmsKeyId ?? null })),
  'AWS::OpenSearchService::Domain': openSearchDomain,
  'AWS::Elasticsearch::Domain': elasticsearchDomain,
  'AWS::ECR::Repository': ecrRepository,
  // A vault without EncryptionKeyArn is encrypted with the AWS managed key aws/backup (its key id is not known
  // before deploy: the alias ARN names it).
  'AWS::Backup::BackupVault': (kit, id, p) =>
    item(kit, id, 'AWS::Backup::BackupVault', p, {
      BackupVaultName: p.BackupVaultName,
      EncryptionKeyArn:
        p.EncryptionKeyArn ??
        `arn:${kit.target.partition}:kms:${kit.target.region}:${kit.target.accountId}:alias/aws/backup`,
    }),
  'AWS::IAM::ManagedPolicy': (kit, id) => buildManagedPolicy(kit, id),
  'AWS::IAM::Policy': (kit, id) => buildExternalTargets(kit, id),
};

/** The CloudFormation types ward builds items for (the hook's target filter lists them). */
export const TEMPLATE_TYPES: readonly string[] = [
  ...Object.keys(BUILDERS),
  ...Object.keys(API_BUILDERS),
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
];

/** The types whose properties change another resource's item (its policy, its permissions). */
export const ATTACHING_TYPES: readonly string[] = [
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::Lambda::Permission',
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
  'AWS::IAM::ManagedPolicy',
];

/** The configuration items of one resource (none for a type ward does not judge). */
export function buildItems(kit: BuildKit, id: string): BuiltItem[] {
  const r = kit.resources[id];
  if (isIdentityType(r.Type)) return [buildIdentity(kit, id, r.Type)];
  const api = API_BUILDERS[r.Type];
  if (api) return api(kit, id, rec(r.Properties));
  const builder = BUILDERS[r.Type];
  if (!builder) return [];
  const built = builder(kit, id, rec(kit.resolve(r.Properties ?? {})));
  return Array.isArray(built) ? built : [built];
}
