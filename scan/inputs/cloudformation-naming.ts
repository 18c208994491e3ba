/**
 * The physical names and ARNs CloudFormation would give a template's resources, as far as the template says:
 * the name property when it is set, else a name made from the stack name and logical id (CloudFormation adds a
 * random suffix ward cannot know; the made-up name is stable and plausible). Returns undefined for what only
 * AWS can assign (an unknown type's attributes), which then resolves as unknown.
 */
import type { DeployTarget, ResourceNaming } from './cloudformation-intrinsics';

/** A template resource as written. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

/** The property holding the physical name, per type. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::EFS::FileSystem': 'FileSystemId',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::Redshift::Cluster': 'ClusterIdentifier',
  'AWS::OpenSearchService::Domain': 'DomainName',
  'AWS::Elasticsearch::Domain': 'DomainName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
  'AWS::Events::Rule': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
};

/** The service part of generic ARNs, per type prefix. */
const SERVICE: Readonly<Record<string, string>> = {
  OpenSearchService: 'es',
  Elasticsearch: 'es',
  EFS: 'elasticfilesystem',
  Events: 'events',
  StepFunctions: 'states',
  Logs: 'logs',
};

/**
 * True when the template names the resource itself (`BucketName`, `RoleName`, ...); otherwise CloudFormation
 * generates its physical name at deploy and the name ward uses until then is a stand-in.
 */
export function namedInTemplate(resource: TemplateResource | undefined): boolean {
  const prop = resource ? NAME_PROPERTY[resource.Type] : undefined;
  return prop !== undefined && resource?.Properties?.[prop] !== undefined;
}

/**
 * Naming of one template's resources. `nameValue` reads a resolved name property (it may itself reference
 * other resources: the resolver calls back here, so cycles are cut).
 */
export function createNaming(
  resources: Readonly<Record<string, TemplateResource>>,
  target: DeployTarget,
  nameValue: (raw: unknown) => unknown,
): ResourceNaming & { name(id: string): string; arn(id: string): string | undefined } {
  const { accountId: account, region, partition } = target;
  const visiting = new Set<string>();
  const name = (id: string): string => {
    const r = resources[id];
    const prop = r ? NAME_PROPERTY[r.Type] : undefined;
    const raw = prop ? r?.Properties?.[prop] : undefined;
    if (raw !== undefined && !visiting.has(id)) {
      visiting.add(id);
      try {
        const v = nameValue(raw);
        if (typeof v === 'string' && v !== '') return v;
      } finally {
        visiting.delete(id);
      }
    }
    const made = `${target.stackName}-${id}`;
    return r?.Type === 'AWS::S3::Bucket' ? made.toLowerCase().slice(0, 63) : made;
  };
  const path = (id: string) => {
    const p = resources[id]?.Properties?.Path;
    return typeof p === 'string' && p.startsWith('/') ? p : '/';
  };
  const arn = (id: string): string | undefined => {
    const r = resources[id];
    if (!r) return undefined;
    const n = name(id);
    switch (r.Type) {
      case 'AWS::S3::Bucket':
        return `arn:${partition}:s3:::${n}`;
      case 'AWS::IAM::Role':
        return `arn:${partition}:iam::${account}:role${path(id)}${n}`;
      case 'AWS::IAM::User':
        return `arn:${partition}:iam::${account}:user${path(id)}${n}`;
      case 'AWS::IAM::Group':
        return `arn:${partition}:iam::${account}:group${path(id)}${n}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${partition}:iam::${account}:policy${path(id)}${n}`;
      case 'AWS::Lambda::Function':
        return `arn:${partition}:lambda:${region}:${account}:function:${n}`;
      case 'AWS::KMS::Key':
        return `arn:${partition}:kms:${region}:${account}:key/${id}`;
      case 'AWS::KMS::Alias':
        return `arn:${partition}:kms:${region}:${account}:${n}`;
      case 'AWS::DynamoDB::Table':
        return `arn:${partition}:dynamodb:${region}:${account}:table/${n}`;
      case 'AWS::Kinesis::Stream':
        return `arn:${partition}:kinesis:${region}:${account}:stream/${n}`;
      case 'AWS::Logs::LogGroup':
        return `arn:${partition}:logs:${region}:${account}:log-group:${n}:*`;
      case 'AWS::ECR::Repository':
        return `arn:${partition}:ecr:${region}:${account}:repository/${n}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:${partition}:secretsmanager:${region}:${account}:secret:${n}`;
      case 'AWS::OpenSearchService::Domain':
      case 'AWS::Elasticsearch::Domain':
        return `arn:${partition}:es:${region}:${account}:domain/${n}`;
    }
    const [prefix, service, kind] = r.Type.split('::');
    if (prefix !== 'AWS' || !service || !kind) return undefined;
    const svc = SERVICE[service] ?? service.toLowerCase();
    return `arn:${partition}:${svc}:${region}:${account}:${kind.toLowerCase()}/${n}`;
  };
  const queueUrl = (id: string) => `https://sqs.${region}.amazonaws.com/${account}/${name(id)}`;
  const ref = (id: string): string | undefined => {
    const r = resources[id];
    if (!r || !r.Type.startsWith('AWS::')) return undefined;
    switch (r.Type) {
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
        return arn(id);
      case 'AWS::SQS::Queue':
        return queueUrl(id);
      case 'AWS::KMS::Key':
        return id;
    }
    return name(id);
  };
  const att = (id: string, attribute: string): string | undefined => {
    const r = resources[id];
    if (!r || !r.Type.startsWith('AWS::')) return undefined;
    switch (attribute) {
      case 'Arn':
      case 'TopicArn':
      case 'FunctionArn':
      case 'RoleArn':
      case 'PolicyArn':
        return arn(id);
      case 'QueueUrl':
        return queueUrl(id);
      case 'KeyId':
        return id;
      case 'TopicName':
      case 'QueueName':
      case 'RoleName':
      case 'UserName':
      case 'GroupName':
      case 'Name':
        return name(id);
      case 'RoleId':
        return `AROA${id
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, '')
          .padEnd(17, 'X')
          .slice(0, 17)}`;
    }
    return undefined;
  };
  return { ref, att, name, arn };
}
