// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { S3Client, ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import { isNotFound, RunbookError } from './errors';
import { readBucketTags } from './s3-tags';
import type { AutomatedRunbook, Plan, RunbookResource, RunbookSettings } from './types';
import * as sdk from '../rules/runtime/sdk';
import { partitionOf } from '../rules/runtime/partition';
import { readConfigurationItem } from './configuration-item';

/** A bucket's default-encryption state. */
export interface S3EncryptionState {
  /** The default encryption rules, or null when the bucket has none. */
  readonly rules: ServerSideEncryptionRule[] | null;
  readonly tags: Readonly<Record<string, string>>;
}

const ID = 's3-enable-default-encryption';

function wanted(settings: RunbookSettings): ServerSideEncryptionRule {
  return settings.kmsKeyArn
    ? {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: settings.kmsKeyArn },
        BucketKeyEnabled: true,
      }
    : { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true };
}

function matches(rules: readonly ServerSideEncryptionRule[] | null, want: ServerSideEncryptionRule): boolean {
  const d = rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const w = want.ApplyServerSideEncryptionByDefault;
  if (!d || !w || d.SSEAlgorithm !== w.SSEAlgorithm) return false;
  return w.SSEAlgorithm === 'AES256' || d.KMSMasterKeyID === w.KMSMasterKeyID;
}

async function read(resource: RunbookResource, s3: S3Client): Promise<S3EncryptionState> {
  const { GetBucketEncryptionCommand } = await sdk.s3();
  const Bucket = resource.resourceId;
  let rules: ServerSideEncryptionRule[] | null = null;
  try {
    const out = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    rules = out.ServerSideEncryptionConfiguration?.Rules ?? null;
  } catch (err) {
    if (!isNotFound(err, 'ServerSideEncryptionConfigurationNotFoundError'))
      throw new RunbookError(ID, `cannot read the encryption of bucket ${Bucket}`, { cause: err });
  }
  return { rules, tags: await readBucketTags(s3, Bucket, ID) };
}

/** Sets a bucket's default encryption: SSE-KMS with the configured key (bucket key on), else SSE-S3. */
export const s3EnableDefaultEncryption: AutomatedRunbook<S3EncryptionState> = {
  id: ID,
  title: 'Turn on S3 default encryption',
  automated: true,
  resourceTypes: ['AWS::S3::Bucket'],
  findingCodes: ['unencrypted', 'not-customer-managed-key'],
  safeForAuto: true,
  permissions: [
    { action: 's3:GetEncryptionConfiguration', resource: 'arn:${Partition}:s3:::*' },
    // PutBucketEncryption and DeleteBucketEncryption (rollback) are both authorised by this action.
    { action: 's3:PutEncryptionConfiguration', resource: 'arn:${Partition}:s3:::*' },
    { action: 's3:GetBucketTagging', resource: 'arn:${Partition}:s3:::*' },
  ],
  readState: async (resource, ctx) => read(resource, ctx.client((await sdk.s3()).S3Client, resource.region)),
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    return readConfigurationItem(resource, {
      resourceName: resource.resourceId,
      arn: `arn:${partitionOf(resource.region)}:s3:::${resource.resourceId}`,
      configuration: { name: resource.resourceId },
      supplementaryConfiguration: state.rules
        ? {
            ServerSideEncryptionConfiguration: {
              rules: state.rules.map((r) => ({
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
                  kmsMasterKeyID: r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null,
                },
                bucketKeyEnabled: r.BucketKeyEnabled ?? false,
              })),
            },
          }
        : {},
      tags: state.tags,
    });
  },
  plan(resource, state, settings): Plan {
    const want = wanted(settings);
    if (matches(state.rules, want))
      return { runbookId: ID, changes: [], summary: 'Default encryption already matches; nothing to change.' };
    const how = settings.kmsKeyArn
      ? `SSE-KMS with ${settings.kmsKeyArn} (bucket key on)`
      : 'SSE-S3 (AES256), because no remediation key is configured';
    return {
      runbookId: ID,
      changes: [
        {
          operation: 's3:PutBucketEncryption',
          description: `Set default encryption of ${resource.resourceId} to ${how}.`,
        },
      ],
      summary: `Set default encryption to ${how}.`,
    };
  },
  async apply(resource, ctx) {
    const { PutBucketEncryptionCommand, S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client, resource.region);
    const before = await read(resource, s3);
    const want = wanted(ctx.settings);
    if (matches(before.rules, want)) return { before, changed: false };
    try {
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: resource.resourceId,
          ServerSideEncryptionConfiguration: { Rules: [want] },
        }),
      );
    } catch (err) {
      throw new RunbookError(ID, `PutBucketEncryption failed on ${resource.resourceId}`, { cause: err });
    }
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { DeleteBucketEncryptionCommand, PutBucketEncryptionCommand, S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client, resource.region);
    try {
      if (before.rules && before.rules.length > 0)
        await s3.send(
          new PutBucketEncryptionCommand({
            Bucket: resource.resourceId,
            ServerSideEncryptionConfiguration: { Rules: before.rules },
          }),
        );
      else await s3.send(new DeleteBucketEncryptionCommand({ Bucket: resource.resourceId }));
    } catch (err) {
      throw new RunbookError(ID, `cannot restore the encryption of ${resource.resourceId}`, { cause: err });
    }
  },
};
