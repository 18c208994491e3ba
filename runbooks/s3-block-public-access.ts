// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { PublicAccessBlockConfiguration, S3Client } from '@aws-sdk/client-s3';
import { isNotFound, RunbookError } from './errors';
import { readBucketTags } from './s3-tags';
import type { AutomatedRunbook, Plan, RunbookResource } from './types';
import * as sdk from '../rules/runtime/sdk';
import { partitionOf } from '../rules/runtime/partition';
import { readConfigurationItem } from './configuration-item';

/**
 * A bucket's public access block (null when none is set on the bucket), and what makes it public: its policy
 * (null when it has none) and its ACL grants, in the shape Config records them, so the responder's re-check can
 * re-run no-public-principals on what is live now. Optional: audit records written before they were read lack them.
 */
export interface S3PublicAccessState {
  readonly block: PublicAccessBlockConfiguration | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly policy?: string | null;
  readonly acl?: S3AclState;
}

/** The bucket ACL as Config records it in `supplementaryConfiguration.AccessControlList`. */
export interface S3AclState {
  readonly owner: { readonly id?: string };
  readonly grantList: readonly {
    readonly grantee: { readonly id?: string; readonly uri?: string };
    readonly permission?: string;
  }[];
}

const ID = 's3-block-public-access';
const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
} as const;
const FIELDS = Object.keys(ALL_ON) as (keyof typeof ALL_ON)[];

const missing = (block: PublicAccessBlockConfiguration | null) => FIELDS.filter((f) => block?.[f] !== true);

async function read(resource: RunbookResource, s3: S3Client): Promise<S3PublicAccessState> {
  const { GetPublicAccessBlockCommand } = await sdk.s3();
  let block: PublicAccessBlockConfiguration | null = null;
  try {
    const out = await s3.send(new GetPublicAccessBlockCommand({ Bucket: resource.resourceId }));
    block = out.PublicAccessBlockConfiguration ?? null;
  } catch (err) {
    if (!isNotFound(err, 'NoSuchPublicAccessBlockConfiguration'))
      throw new RunbookError(ID, `cannot read the public access block of ${resource.resourceId}`, { cause: err });
  }
  const { GetBucketAclCommand, GetBucketPolicyCommand } = await sdk.s3();
  let policy: string | null = null;
  try {
    policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: resource.resourceId }))).Policy ?? null;
  } catch (err) {
    if (!isNotFound(err, 'NoSuchBucketPolicy'))
      throw new RunbookError(ID, `cannot read the bucket policy of ${resource.resourceId}`, { cause: err });
  }
  let acl: S3AclState;
  try {
    const out = await s3.send(new GetBucketAclCommand({ Bucket: resource.resourceId }));
    acl = {
      owner: { id: out.Owner?.ID },
      grantList: (out.Grants ?? []).map((g) => ({
        grantee: { id: g.Grantee?.ID, uri: g.Grantee?.URI },
        permission: g.Permission,
      })),
    };
  } catch (err) {
    throw new RunbookError(ID, `cannot read the ACL of ${resource.resourceId}`, { cause: err });
  }
  return { block, policy, acl, tags: await readBucketTags(s3, resource.resourceId, ID) };
}

/** Turns on all four settings of the bucket-level S3 Public Access Block. */
export const s3BlockPublicAccess: AutomatedRunbook<S3PublicAccessState> = {
  id: ID,
  title: 'Block public access to an S3 bucket',
  automated: true,
  resourceTypes: ['AWS::S3::Bucket'],
  findingCodes: ['public-principal', 'public-acl'],
  safeForAuto: true,
  permissions: [
    { action: 's3:GetBucketPublicAccessBlock', resource: 'arn:${Partition}:s3:::*' },
    // Put and Delete (rollback) PublicAccessBlock are both authorised by this action.
    { action: 's3:PutBucketPublicAccessBlock', resource: 'arn:${Partition}:s3:::*' },
    { action: 's3:GetBucketTagging', resource: 'arn:${Partition}:s3:::*' },
    // The re-check re-runs no-public-principals on the live policy and ACL.
    { action: 's3:GetBucketPolicy', resource: 'arn:${Partition}:s3:::*' },
    { action: 's3:GetBucketAcl', resource: 'arn:${Partition}:s3:::*' },
  ],
  readState: async (resource, ctx) => read(resource, ctx.client((await sdk.s3()).S3Client, resource.region)),
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    const b = state.block;
    return readConfigurationItem(resource, {
      resourceName: resource.resourceId,
      arn: `arn:${partitionOf(resource.region)}:s3:::${resource.resourceId}`,
      configuration: { name: resource.resourceId },
      supplementaryConfiguration: {
        ...(b
          ? {
              PublicAccessBlockConfiguration: {
                blockPublicAcls: b.BlockPublicAcls ?? false,
                ignorePublicAcls: b.IgnorePublicAcls ?? false,
                blockPublicPolicy: b.BlockPublicPolicy ?? false,
                restrictPublicBuckets: b.RestrictPublicBuckets ?? false,
              },
            }
          : {}),
        // Config's shape: `{"policyText": null}` for a bucket without a policy (a missing BucketPolicy is unreadable).
        BucketPolicy: { policyText: state.policy ?? null },
        ...(state.acl ? { AccessControlList: state.acl } : {}),
      },
      tags: state.tags,
    });
  },
  plan(resource, state): Plan {
    const off = missing(state.block);
    if (off.length === 0)
      return { runbookId: ID, changes: [], summary: 'The bucket already blocks all public access; nothing to change.' };
    return {
      runbookId: ID,
      changes: [
        {
          operation: 's3:PutPublicAccessBlock',
          description: `Turn on ${off.join(', ')} on bucket ${resource.resourceId} (all four settings on).`,
        },
      ],
      summary: `Block public access on the bucket (turn on ${off.join(', ')}).`,
    };
  },
  async apply(resource, ctx) {
    const { PutPublicAccessBlockCommand, S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client, resource.region);
    const before = await read(resource, s3);
    if (missing(before.block).length === 0) return { before, changed: false };
    try {
      await s3.send(
        new PutPublicAccessBlockCommand({ Bucket: resource.resourceId, PublicAccessBlockConfiguration: { ...ALL_ON } }),
      );
    } catch (err) {
      throw new RunbookError(ID, `PutPublicAccessBlock failed on ${resource.resourceId}`, { cause: err });
    }
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { DeletePublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } = await sdk.s3();
    const s3 = ctx.client(S3Client, resource.region);
    try {
      if (before.block)
        await s3.send(
          new PutPublicAccessBlockCommand({
            Bucket: resource.resourceId,
            PublicAccessBlockConfiguration: before.block,
          }),
        );
      else await s3.send(new DeletePublicAccessBlockCommand({ Bucket: resource.resourceId }));
    } catch (err) {
      throw new RunbookError(ID, `cannot restore the public access block of ${resource.resourceId}`, { cause: err });
    }
  },
};
