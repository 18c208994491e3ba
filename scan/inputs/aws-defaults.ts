/**
 * What AWS gives a new resource that a template or plan leaves out, as Config then records it. Rules fail
 * closed on a missing field (a topic without `Policy`, a bucket without `AccessControlList` cannot be judged),
 * so the template inputs fill in the defaults the resource will really have once created, never a guess.
 */

const GROUP_URI = 'http://acs.amazonaws.com/groups/global/';

/** The owner grantee of a new resource (its canonical id is not known before it exists). */
const OWNER = { id: 'owner', displayName: null };

/**
 * The topic access policy SNS gives every new topic (`__default_policy_ID`): the owner account only, by an
 * `AWS:SourceOwner` condition on `"AWS": "*"`, as Config records it (a JSON string).
 */
export function defaultTopicPolicy(topicArn: unknown, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: typeof topicArn === 'string' ? topicArn : '*',
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

/**
 * A bucket's access control list for a canned ACL (CloudFormation `AccessControl`, Terraform `acl`, in either
 * spelling), as Config records it: a JSON string with the owner's FullControl and the groups the ACL grants.
 * A new bucket without one is `private`.
 */
export function cannedBucketAcl(acl: unknown): string {
  const name = typeof acl === 'string' ? acl.replace(/-/g, '').toLowerCase() : 'private';
  const grants: { grantee: unknown; permission: string }[] = [{ grantee: OWNER, permission: 'FullControl' }];
  if (name === 'publicread' || name === 'publicreadwrite') {
    grants.push({ grantee: { uri: `${GROUP_URI}AllUsers` }, permission: 'Read' });
  }
  if (name === 'publicreadwrite') grants.push({ grantee: { uri: `${GROUP_URI}AllUsers` }, permission: 'Write' });
  if (name === 'authenticatedread') {
    grants.push({ grantee: { uri: `${GROUP_URI}AuthenticatedUsers` }, permission: 'Read' });
  }
  if (name === 'logdeliverywrite') {
    grants.push({ grantee: { uri: `${GROUP_URI}LogDelivery` }, permission: 'Write' });
    grants.push({ grantee: { uri: `${GROUP_URI}LogDelivery` }, permission: 'ReadAcp' });
  }
  return JSON.stringify({ grantSet: null, grantList: grants, owner: OWNER, isRequesterCharged: false });
}

/** The Block Public Access settings, as Config names them. */
const BLOCK_SETTINGS = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;

/** What a template or plan says about a bucket's supplementary configuration. */
export interface BucketSettings {
  /** Default-encryption rules as Config records them (`applyServerSideEncryptionByDefault`, ...); none written: []. */
  readonly encryptionRules: readonly unknown[];
  /** The bucket policy's JSON text, or null for none. */
  readonly policyText: string | null;
  /** Reads one Block Public Access setting by Config's name; undefined when the input writes no such block. */
  readonly publicAccessBlock: ((setting: (typeof BLOCK_SETTINGS)[number]) => unknown) | undefined;
  /** The canned ACL, in either spelling; undefined for none. */
  readonly acl: unknown;
}

/**
 * A bucket's supplementary configuration as Config records it, with what S3 sets on every new bucket where the
 * input leaves it out: SSE-S3 since January 2023, all four Block Public Access settings since April 2023 (a
 * setting left out of a written block is off), the `private` ACL.
 */
export function bucketSupplementary(b: BucketSettings): Record<string, unknown> {
  const read = b.publicAccessBlock;
  return {
    ServerSideEncryptionConfiguration: {
      rules:
        b.encryptionRules.length > 0
          ? b.encryptionRules
          : [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256', kmsMasterKeyID: null } }],
    },
    BucketPolicy: { policyText: b.policyText },
    PublicAccessBlockConfiguration: Object.fromEntries(
      BLOCK_SETTINGS.map((s) => [s, read === undefined ? true : (read(s) ?? false)]),
    ),
    AccessControlList: cannedBucketAcl(b.acl),
  };
}
