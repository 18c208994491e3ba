// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { SNSClient } from '@aws-sdk/client-sns';
import { RunbookError } from './errors';
import type { AutomatedRunbook, Plan, RunbookResource, RunbookSettings } from './types';
import * as sdk from '../rules/runtime/sdk';
import { readConfigurationItem } from './configuration-item';

/** A topic's encryption key (null when unencrypted) and tags. */
export interface SnsEncryptionState {
  readonly kmsMasterKeyId: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

const ID = 'sns-enable-encryption';
const NO_KEY =
  'No remediation key is configured: SNS topics that AWS services publish to need a customer-managed key whose ' +
  'policy allows them (alias/aws/sns breaks CloudWatch alarms and EventBridge), so the runbook will not guess one.';

async function read(resource: RunbookResource, sns: SNSClient): Promise<SnsEncryptionState> {
  const { GetTopicAttributesCommand, ListTagsForResourceCommand } = await sdk.sns();
  const TopicArn = resource.resourceId;
  try {
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    const tags = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    return {
      kmsMasterKeyId: attrs.Attributes?.KmsMasterKeyId || null,
      tags: Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  } catch (err) {
    throw new RunbookError(ID, `cannot read topic ${TopicArn}`, { cause: err });
  }
}

async function setKey(sns: SNSClient, topicArn: string, key: string): Promise<void> {
  const { SetTopicAttributesCommand } = await sdk.sns();
  try {
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'KmsMasterKeyId', AttributeValue: key }),
    );
  } catch (err) {
    throw new RunbookError(ID, `SetTopicAttributes failed on ${topicArn}`, { cause: err });
  }
}

const done = (state: SnsEncryptionState, settings: RunbookSettings) =>
  settings.kmsKeyArn !== undefined && state.kmsMasterKeyId === settings.kmsKeyArn;

/** Encrypts an SNS topic with the configured customer-managed key (never `alias/aws/sns`). */
export const snsEnableEncryption: AutomatedRunbook<SnsEncryptionState> = {
  id: ID,
  title: 'Encrypt an SNS topic with the remediation key',
  automated: true,
  resourceTypes: ['AWS::SNS::Topic'],
  findingCodes: ['unencrypted', 'not-customer-managed-key'],
  safeForAuto: true,
  permissions: [
    { action: 'sns:GetTopicAttributes', resource: 'arn:${Partition}:sns:${Region}:${Account}:*' },
    { action: 'sns:SetTopicAttributes', resource: 'arn:${Partition}:sns:${Region}:${Account}:*' },
    { action: 'sns:ListTagsForResource', resource: 'arn:${Partition}:sns:${Region}:${Account}:*' },
  ],
  readState: async (resource, ctx) => read(resource, ctx.client((await sdk.sns()).SNSClient, resource.region)),
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    return readConfigurationItem(resource, {
      resourceName: resource.resourceId.split(':').pop(),
      arn: resource.resourceId,
      configuration: {
        TopicArn: resource.resourceId,
        ...(state.kmsMasterKeyId ? { KmsMasterKeyId: state.kmsMasterKeyId } : {}),
      },
      tags: state.tags,
    });
  },
  plan(resource, state, settings): Plan {
    if (done(state, settings))
      return { runbookId: ID, changes: [], summary: 'The topic already uses the remediation key; nothing to change.' };
    if (!settings.kmsKeyArn) return { runbookId: ID, changes: [], blocked: NO_KEY, summary: NO_KEY };
    return {
      runbookId: ID,
      changes: [
        {
          operation: 'sns:SetTopicAttributes',
          description: `Set KmsMasterKeyId of ${resource.resourceId} to ${settings.kmsKeyArn} (was ${state.kmsMasterKeyId ?? 'unencrypted'}).`,
        },
      ],
      summary: `Encrypt the topic with ${settings.kmsKeyArn}.`,
    };
  },
  async apply(resource, ctx) {
    const { SNSClient } = await sdk.sns();
    const sns = ctx.client(SNSClient, resource.region);
    const before = await read(resource, sns);
    if (done(before, ctx.settings)) return { before, changed: false };
    if (!ctx.settings.kmsKeyArn) throw new RunbookError(ID, NO_KEY);
    await setKey(sns, resource.resourceId, ctx.settings.kmsKeyArn);
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { SNSClient } = await sdk.sns();
    // An empty KmsMasterKeyId turns server-side encryption off again, as it was.
    await setKey(ctx.client(SNSClient, resource.region), resource.resourceId, before.kmsMasterKeyId ?? '');
  },
};
