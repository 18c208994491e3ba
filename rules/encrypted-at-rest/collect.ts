import type { ReplicationGroup } from '@aws-sdk/client-elasticache';
import { type Evaluation, errorEvaluation, exemptionReason, notApplicable, readTags } from '../runtime';
import type { RuleContext } from '../runtime/context';
import { describeError } from '../runtime/errors';
import { lookupStoreKey } from './gather-key';
import { judgeStore } from './judge-key';
import type { EncryptedAtRestParams } from './parameters';
import type { StoreEncryption } from './stores';
import * as sdk from '../runtime/sdk';

const RULE_ID = 'encrypted-at-rest';

/** Resource types judged on the periodic path: Config does not record them. */
export const PERIODIC_TYPES = {
  logGroup: 'AWS::Logs::LogGroup',
  replicationGroup: 'AWS::ElastiCache::ReplicationGroup',
} as const;

/** One resource found by listing, with its encryption state. */
interface Listed {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly arn?: string;
  readonly state: StoreEncryption;
  readonly tags: () => Promise<Record<string, string>>;
}

/**
 * CloudWatch Logs encrypts every log group at rest; `kmsKeyId` is set only for a customer-managed key
 * (Logs accepts no AWS-managed key), so its absence means the service's own AWS-owned key.
 */
export function logGroupState(group: { kmsKeyId?: string }): StoreEncryption {
  const label = 'CloudWatch Logs log group';
  return group.kmsKeyId
    ? { encrypted: true, keyRef: group.kmsKeyId, keyKind: 'unknown', path: 'kmsKeyId', label }
    : { encrypted: true, keyKind: 'aws-owned', path: 'kmsKeyId', label, note: 'CloudWatch Logs default encryption' };
}

/** ElastiCache replication groups: `AtRestEncryptionEnabled`, `KmsKeyId` (absent: the service default key). */
export function replicationGroupState(
  group: Pick<ReplicationGroup, 'AtRestEncryptionEnabled' | 'KmsKeyId'>,
): StoreEncryption {
  const label = 'ElastiCache replication group';
  if (group.AtRestEncryptionEnabled === false) return { encrypted: false, path: 'AtRestEncryptionEnabled', label };
  if (group.AtRestEncryptionEnabled !== true) {
    return { encrypted: 'unknown', path: 'AtRestEncryptionEnabled', label, note: 'not reported' };
  }
  return group.KmsKeyId
    ? { encrypted: true, keyRef: group.KmsKeyId, keyKind: 'unknown', path: 'KmsKeyId', label }
    : { encrypted: true, keyKind: 'aws-owned', path: 'KmsKeyId', label, note: 'ElastiCache default key' };
}

/*
 * The SDK clients are imported where they are used: the Lambda loads them only for a scheduled notification,
 * not on the cold start of a change notification.
 */

async function* logGroups(ctx: RuleContext): AsyncGenerator<Listed> {
  const {
    CloudWatchLogsClient,
    DescribeLogGroupsCommand,
    ListTagsForResourceCommand: ListLogTagsCommand,
  } = await sdk.cloudwatchLogs();
  const logs = ctx.client(CloudWatchLogsClient);
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ nextToken }));
    for (const g of page.logGroups ?? []) {
      if (!g.logGroupName) continue;
      const arn = g.logGroupArn ?? g.arn?.replace(/:\*$/, '');
      yield {
        resourceType: PERIODIC_TYPES.logGroup,
        resourceId: g.logGroupName,
        arn,
        state: logGroupState(g),
        tags: async () => (arn ? ((await logs.send(new ListLogTagsCommand({ resourceArn: arn }))).tags ?? {}) : {}),
      };
    }
    nextToken = page.nextToken;
  } while (nextToken);
}

async function* replicationGroups(ctx: RuleContext): AsyncGenerator<Listed> {
  const {
    DescribeReplicationGroupsCommand,
    ElastiCacheClient,
    ListTagsForResourceCommand: ListCacheTagsCommand,
  } = await sdk.elasticache();
  const cache = ctx.client(ElastiCacheClient);
  let Marker: string | undefined;
  do {
    const page = await cache.send(new DescribeReplicationGroupsCommand({ Marker }));
    for (const g of page.ReplicationGroups ?? []) {
      if (!g.ReplicationGroupId) continue;
      const arn = g.ARN;
      yield {
        resourceType: PERIODIC_TYPES.replicationGroup,
        resourceId: g.ReplicationGroupId,
        arn,
        state: replicationGroupState(g),
        tags: async () =>
          arn ? readTags((await cache.send(new ListCacheTagsCommand({ ResourceName: arn }))).TagList ?? []) : {},
      };
    }
    Marker = page.Marker;
  } while (Marker);
}

async function judgeListed(r: Listed, ctx: RuleContext, params: EncryptedAtRestParams): Promise<Evaluation> {
  let tags: Record<string, string> | undefined;
  if (params.exemptTag) {
    try {
      tags = await r.tags();
    } catch (err) {
      // Without tags the resource is judged (fail closed): an exemption is never assumed.
      ctx.logger.warn({ resourceId: r.resourceId, err: describeError(err) }, 'could not read tags');
    }
  }
  const exempt = exemptionReason(params, { resourceId: r.resourceId, arn: r.arn, tags });
  if (exempt) return notApplicable(r, exempt);
  const where = { accountId: ctx.accountId, region: ctx.region };
  const facts = await lookupStoreKey(r.state, ctx, where);
  return judgeStore(r.state, facts, params, { ...r, ...where });
}

/**
 * The periodic path: lists log groups and ElastiCache replication groups in the context's account and region
 * and judges each like a change-triggered store. A listing that fails becomes an `evaluation-error` on the
 * account, so a missing permission never looks like "nothing to judge".
 */
export async function collectStores(ctx: RuleContext, params: EncryptedAtRestParams): Promise<Evaluation[]> {
  const out: Evaluation[] = [];
  for (const source of [logGroups, replicationGroups]) {
    try {
      for await (const r of source(ctx)) out.push(await judgeListed(r, ctx, params));
    } catch (err) {
      // One service failing (no permission, not offered in the region) must not drop the other's evaluations.
      ctx.logger.error({ rule: RULE_ID, err: describeError(err) }, 'periodic listing failed');
      out.push(errorEvaluation({ resourceType: 'AWS::::Account', resourceId: ctx.accountId }, RULE_ID, err));
    }
  }
  return out;
}
