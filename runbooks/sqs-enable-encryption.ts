// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { RunbookError } from './errors';
import type { AutomatedRunbook, Plan, RunbookResource, RunbookSettings } from './types';
import * as sdk from '../rules/runtime/sdk';
import { readConfigurationItem } from './configuration-item';

/** A queue's encryption settings and tags. */
export interface SqsEncryptionState {
  readonly kmsMasterKeyId: string | null;
  /** SSE-SQS (`"true"`/`"false"`), null when the queue does not report it. */
  readonly sqsManagedSseEnabled: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

const ID = 'sqs-enable-encryption';

async function read(resource: RunbookResource, sqs: SQSClient): Promise<SqsEncryptionState> {
  const { GetQueueAttributesCommand, ListQueueTagsCommand } = await sdk.sqs();
  const QueueUrl = resource.resourceId;
  try {
    const out = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['KmsMasterKeyId', 'SqsManagedSseEnabled'] }),
    );
    const tags = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
    return {
      kmsMasterKeyId: out.Attributes?.KmsMasterKeyId || null,
      sqsManagedSseEnabled: out.Attributes?.SqsManagedSseEnabled ?? null,
      tags: { ...(tags.Tags ?? {}) },
    };
  } catch (err) {
    throw new RunbookError(ID, `cannot read queue ${QueueUrl}`, { cause: err });
  }
}

/** The attributes the runbook sets: the configured key, else SSE-SQS. */
function target(settings: RunbookSettings): Record<string, string> {
  return settings.kmsKeyArn ? { KmsMasterKeyId: settings.kmsKeyArn } : { SqsManagedSseEnabled: 'true' };
}

function done(state: SqsEncryptionState, settings: RunbookSettings): boolean {
  if (settings.kmsKeyArn) return state.kmsMasterKeyId === settings.kmsKeyArn;
  return state.kmsMasterKeyId !== null || state.sqsManagedSseEnabled === 'true';
}

async function set(sqs: SQSClient, queueUrl: string, attributes: Record<string, string>): Promise<void> {
  const { SetQueueAttributesCommand } = await sdk.sqs();
  try {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: attributes }));
  } catch (err) {
    throw new RunbookError(ID, `SetQueueAttributes failed on ${queueUrl}`, { cause: err });
  }
}

/** Encrypts an SQS queue: SSE-KMS with the configured key, or SSE-SQS when no key is configured. */
export const sqsEnableEncryption: AutomatedRunbook<SqsEncryptionState> = {
  id: ID,
  title: 'Encrypt an SQS queue',
  automated: true,
  resourceTypes: ['AWS::SQS::Queue'],
  findingCodes: ['unencrypted', 'not-customer-managed-key'],
  safeForAuto: true,
  permissions: [
    { action: 'sqs:GetQueueAttributes', resource: 'arn:${Partition}:sqs:${Region}:${Account}:*' },
    { action: 'sqs:SetQueueAttributes', resource: 'arn:${Partition}:sqs:${Region}:${Account}:*' },
    { action: 'sqs:ListQueueTags', resource: 'arn:${Partition}:sqs:${Region}:${Account}:*' },
  ],
  readState: async (resource, ctx) => read(resource, ctx.client((await sdk.sqs()).SQSClient, resource.region)),
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    return readConfigurationItem(resource, {
      resourceName: resource.resourceId.split('/').pop(),
      configuration: {
        QueueUrl: resource.resourceId,
        ...(state.kmsMasterKeyId ? { KmsMasterKeyId: state.kmsMasterKeyId } : {}),
        ...(state.sqsManagedSseEnabled !== null ? { SqsManagedSseEnabled: state.sqsManagedSseEnabled } : {}),
      },
      tags: state.tags,
    });
  },
  plan(resource, state, settings): Plan {
    if (done(state, settings))
      return {
        runbookId: ID,
        changes: [],
        summary: 'The queue is already encrypted as configured; nothing to change.',
      };
    const how = settings.kmsKeyArn
      ? `SSE-KMS with ${settings.kmsKeyArn}`
      : 'SSE-SQS (no remediation key is configured)';
    return {
      runbookId: ID,
      changes: [
        { operation: 'sqs:SetQueueAttributes', description: `Encrypt queue ${resource.resourceId} with ${how}.` },
      ],
      summary: `Encrypt the queue with ${how}.`,
    };
  },
  async apply(resource, ctx) {
    const { SQSClient } = await sdk.sqs();
    const sqs = ctx.client(SQSClient, resource.region);
    const before = await read(resource, sqs);
    if (done(before, ctx.settings)) return { before, changed: false };
    await set(sqs, resource.resourceId, target(ctx.settings));
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { SQSClient } = await sdk.sqs();
    const attributes: Record<string, string> = { KmsMasterKeyId: before.kmsMasterKeyId ?? '' };
    if (before.sqsManagedSseEnabled !== null) attributes.SqsManagedSseEnabled = before.sqsManagedSseEnabled;
    await set(ctx.client(SQSClient, resource.region), resource.resourceId, attributes);
  },
};
