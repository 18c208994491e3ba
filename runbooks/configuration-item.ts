import type { RunbookResource } from './types';

import { partitionOf } from '../rules/runtime/partition';

/** What a runbook read, in the shape of a configuration item's own fields. */
export interface ReadFields {
  readonly resourceName?: string;
  readonly arn?: string;
  readonly configuration: Record<string, unknown>;
  readonly supplementaryConfiguration?: Record<string, unknown>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A runbook's live read as a configuration item in the event form, so the responder's re-check runs the rule on
 * what is live through the same normaliser as Config's items: the envelope is the resource's, the fields the
 * runbook's.
 */
export function readConfigurationItem(resource: RunbookResource, read: ReadFields): Record<string, unknown> {
  return {
    resourceType: resource.resourceType,
    resourceId: resource.resourceId,
    ...(read.resourceName !== undefined ? { resourceName: read.resourceName } : {}),
    awsAccountId: resource.accountId,
    awsRegion: resource.region,
    ...(read.arn !== undefined ? { ARN: read.arn } : {}),
    configurationItemStatus: 'OK',
    configuration: read.configuration,
    supplementaryConfiguration: read.supplementaryConfiguration ?? {},
    tags: read.tags,
  };
}

/** The ARN of a KMS key from its Config resource id (the key id), in the region's partition. */
export function keyArn(resource: RunbookResource): string {
  return `arn:${partitionOf(resource.region)}:kms:${resource.region}:${resource.accountId}:key/${resource.resourceId}`;
}
