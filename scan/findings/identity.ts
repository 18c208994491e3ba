import type { ConfigurationItem } from '../../rules/runtime/configuration-item';
import { partitionOf } from '../../rules/runtime/partition';

/** The region Config records for global resources (IAM). */
export const GLOBAL_REGION = 'global';

/**
 * Which resource an evaluation is about, beyond its type and id: the account, the region as Config records
 * it (`global` for IAM), the ARN where the item has one or it can be built, and the resource's name.
 */
export interface ResourceIdentity {
  readonly accountId: string;
  readonly region: string;
  readonly arn?: string;
  readonly resourceName?: string;
}

/** What an input knows about where an evaluation came from. */
export interface IdentitySource {
  /** The configuration item judged, when the evaluation is about it. */
  readonly item?: ConfigurationItem;
  /** The account and region scanned (live scans; the fallback when the item lacks them). */
  readonly accountId?: string;
  readonly region?: string;
  /**
   * False when resource ids are not physical ids (a template's logical ids, a Terraform address): no ARN is
   * built from them; only an ARN the item carries is reported.
   */
  readonly deriveArn?: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * ARN templates of the types whose ARN follows from the Config resource id (or name) alone. `{p}` partition,
 * `{r}` region, `{a}` account, `{id}` resource id, `{name}` resource name. IAM types are absent on purpose:
 * their ARN holds a path the id does not give, and their items always carry the ARN.
 */
const ARN_TEMPLATES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'arn:{p}:s3:::{id}',
  'AWS::SQS::Queue': 'arn:{p}:sqs:{r}:{a}:{name}',
  'AWS::Lambda::Function': 'arn:{p}:lambda:{r}:{a}:function:{id}',
  'AWS::KMS::Key': 'arn:{p}:kms:{r}:{a}:key/{id}',
  'AWS::DynamoDB::Table': 'arn:{p}:dynamodb:{r}:{a}:table/{id}',
  'AWS::EC2::Volume': 'arn:{p}:ec2:{r}:{a}:volume/{id}',
  'AWS::EFS::FileSystem': 'arn:{p}:elasticfilesystem:{r}:{a}:file-system/{id}',
  'AWS::Logs::LogGroup': 'arn:{p}:logs:{r}:{a}:log-group:{id}',
  'AWS::Kinesis::Stream': 'arn:{p}:kinesis:{r}:{a}:stream/{id}',
  'AWS::ECR::Repository': 'arn:{p}:ecr:{r}:{a}:repository/{id}',
  'AWS::RDS::DBInstance': 'arn:{p}:rds:{r}:{a}:db:{name}',
  'AWS::RDS::DBCluster': 'arn:{p}:rds:{r}:{a}:cluster:{name}',
  'AWS::RDS::DBSnapshot': 'arn:{p}:rds:{r}:{a}:snapshot:{name}',
  'AWS::RDS::DBClusterSnapshot': 'arn:{p}:rds:{r}:{a}:cluster-snapshot:{name}',
  'AWS::Redshift::Cluster': 'arn:{p}:redshift:{r}:{a}:cluster:{id}',
  'AWS::OpenSearch::Domain': 'arn:{p}:es:{r}:{a}:domain/{id}',
  'AWS::Elasticsearch::Domain': 'arn:{p}:es:{r}:{a}:domain/{id}',
  'AWS::Backup::BackupVault': 'arn:{p}:backup:{r}:{a}:backup-vault:{name}',
};

/**
 * The ARN of a resource from its type, id and name, or undefined when it cannot be built with certainty. An
 * id that already is an ARN (SNS topics, secrets, OpenSearch domains) is the ARN.
 */
export function buildArn(
  resourceType: string,
  resourceId: string,
  accountId: string,
  region: string,
  resourceName?: string,
): string | undefined {
  if (resourceId.startsWith('arn:')) return resourceId;
  const template = ARN_TEMPLATES[resourceType];
  if (template === undefined) return undefined;
  // An SQS queue's id is its URL, whose last segment is the queue name.
  const fallbackName = resourceType === 'AWS::SQS::Queue' ? resourceId.split('/').pop() || undefined : undefined;
  const name = template.includes('{name}') ? (resourceName ?? fallbackName) : resourceId;
  if (name === undefined || (template.includes('{a}') && !/^\d{12}$/.test(accountId))) return undefined;
  if (template.includes('{r}') && (region === '' || region === GLOBAL_REGION)) return undefined;
  return template
    .replace('{p}', partitionOf(region))
    .replace('{r}', region)
    .replace('{a}', accountId)
    .replace('{id}', resourceId)
    .replace('{name}', name);
}

/**
 * The identity of an evaluation's resource. When the evaluation is about the item judged, the item's own
 * account, region, ARN and name win; otherwise (a periodic rule's evaluation, or another resource) the scanned
 * account and region, `global` for IAM types, and an ARN built from the type and id where possible.
 */
export function identityOf(
  ref: { resourceType: string; resourceId: string },
  source: IdentitySource,
): ResourceIdentity {
  const item =
    source.item && source.item.resourceId === ref.resourceId && source.item.resourceType === ref.resourceType
      ? source.item
      : undefined;
  const accountId = str(item?.accountId) ?? str(source.accountId) ?? str(source.item?.accountId) ?? '';
  const region = ref.resourceType.startsWith('AWS::IAM::')
    ? GLOBAL_REGION
    : (str(item?.awsRegion) ?? str(source.region) ?? str(source.item?.awsRegion) ?? '');
  const resourceName = str(item?.resourceName);
  const arn =
    str(item?.arn) ??
    (source.deriveArn === false
      ? undefined
      : buildArn(ref.resourceType, ref.resourceId, accountId, region, resourceName));
  return { accountId, region, ...(arn ? { arn } : {}), ...(resourceName ? { resourceName } : {}) };
}
