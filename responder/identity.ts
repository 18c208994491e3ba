import type { ConfigurationItem } from '../rules/runtime/configuration-item';
import { buildArn, identityOf, type ResourceIdentity } from '../scan/findings/identity';

/** What a compliance-change event names: type, id, account and region (no ARN, no name). */
export interface EventResource {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Resource names Config records that follow from the resource id alone (configuration-items.md): the id is the
 * name for buckets, functions and tables; the queue URL and the topic ARN end with it. Other types (IAM ids,
 * RDS resource ids, KMS key ids) have names only their configuration item knows.
 */
function nameFromId(resourceType: string, resourceId: string): string | undefined {
  switch (resourceType) {
    case 'AWS::S3::Bucket':
    case 'AWS::Lambda::Function':
    case 'AWS::DynamoDB::Table':
      return resourceId;
    case 'AWS::SQS::Queue':
      return resourceId.split('/').pop() || undefined;
    case 'AWS::SNS::Topic':
      return resourceId.startsWith('arn:') ? resourceId.split(':').pop() || undefined : undefined;
    default:
      return undefined;
  }
}

/**
 * The identity of the resource of a compliance change, in the model `ward scan` uses (scan/findings/identity.ts):
 * account, region as Config records it (`global` for IAM), ARN and name. The configuration item read for a
 * re-check (dry-run and auto) gives them first; otherwise they are built from the type and id where that is
 * certain, and left out where it is not.
 */
export function responderIdentity(resource: EventResource, item?: ConfigurationItem): ResourceIdentity {
  const base = identityOf(resource, { item, accountId: resource.accountId, region: resource.region });
  const resourceName = base.resourceName ?? nameFromId(resource.resourceType, resource.resourceId);
  const arn =
    base.arn ?? buildArn(resource.resourceType, resource.resourceId, base.accountId, base.region, resourceName);
  return { ...base, ...(arn ? { arn } : {}), ...(resourceName ? { resourceName } : {}) };
}
