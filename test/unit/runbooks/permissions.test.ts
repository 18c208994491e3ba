/**
 * Cloud Custodian style: every command a runbook sends (reading, applying, rolling back) must be authorised
 * by an IAM action the runbook declares, since the responder role is derived from those declarations.
 */
import { automatedRunbooks } from '../../../runbooks';
import type { AnyAutomatedRunbook, RunbookResource } from '../../../runbooks/types';
import { type Answer, fakeContext, iamActionOf, sdkError } from './fake-clients';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = '210987654321';

const notFound = (name: string) => () => {
  throw sdkError(name, 404);
};
const PUBLIC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'kms:*',
      Resource: '*',
    },
    { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
  ],
});

/** Per runbook: a non-compliant resource, so that apply acts and rollback restores. */
const scenarios: Record<string, { resource: Partial<RunbookResource>; answers: Record<string, Answer> }> = {
  's3-enable-default-encryption': {
    resource: { resourceType: 'AWS::S3::Bucket', resourceId: 'logs-bucket' },
    answers: {
      GetBucketEncryption: notFound('ServerSideEncryptionConfigurationNotFoundError'),
      GetBucketTagging: notFound('NoSuchTagSet'),
      PutBucketEncryption: {},
      DeleteBucketEncryption: {},
    },
  },
  's3-block-public-access': {
    resource: { resourceType: 'AWS::S3::Bucket', resourceId: 'site-bucket' },
    answers: {
      GetPublicAccessBlock: notFound('NoSuchPublicAccessBlockConfiguration'),
      GetBucketPolicy: notFound('NoSuchBucketPolicy'),
      GetBucketAcl: { Owner: { ID: 'owner' }, Grants: [] },
      GetBucketTagging: { TagSet: [] },
      PutPublicAccessBlock: {},
      DeletePublicAccessBlock: {},
    },
  },
  'sns-enable-encryption': {
    resource: { resourceType: 'AWS::SNS::Topic', resourceId: 'arn:aws:sns:us-east-1:123456789012:orders' },
    answers: { GetTopicAttributes: { Attributes: {} }, ListTagsForResource: { Tags: [] }, SetTopicAttributes: {} },
  },
  'sqs-enable-encryption': {
    resource: { resourceType: 'AWS::SQS::Queue', resourceId: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs' },
    answers: {
      GetQueueAttributes: { Attributes: { SqsManagedSseEnabled: 'false' } },
      ListQueueTags: { Tags: {} },
      SetQueueAttributes: {},
    },
  },
  'dynamodb-use-customer-managed-key': {
    resource: { resourceType: 'AWS::DynamoDB::Table', resourceId: 'orders' },
    answers: {
      DescribeTable: { Table: { TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' } },
      ListTagsOfResource: { Tags: [] },
      UpdateTable: {},
    },
  },
  'kms-remove-public-statements': {
    resource: { resourceType: 'AWS::KMS::Key', resourceId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
    answers: { GetKeyPolicy: { Policy: PUBLIC_POLICY }, ListResourceTags: { Tags: [] }, PutKeyPolicy: {} },
  },
  'kms-revoke-external-grant': {
    resource: { resourceType: 'AWS::KMS::Key', resourceId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
    answers: {
      ListGrants: (_i: unknown, sent: readonly { command: string }[]) => ({
        Grants: sent.some((c) => c.command === 'RevokeGrant')
          ? []
          : [{ GrantId: 'g-1', GranteePrincipal: `arn:aws:iam::${OTHER}:role/reader`, Operations: ['Decrypt'] }],
      }),
      ListResourceTags: { Tags: [] },
      RevokeGrant: {},
      CreateGrant: { GrantId: 'g-2' },
    },
  },
  'iam-deactivate-exposed-access-key': {
    resource: { resourceType: 'AWS::Lambda::Function', resourceId: 'billing-export' },
    answers: {
      GetFunctionConfiguration: {
        FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:billing-export',
        Environment: { Variables: { AWS_KEY: 'AKIAIOSFODNN7EXAMPLE' } },
      },
      ListTags: { Tags: {} },
      GetAccessKeyLastUsed: { UserName: 'exporter' },
      ListAccessKeys: { AccessKeyMetadata: [{ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active' }] },
      UpdateAccessKey: {},
    },
  },
};

describe.each(automatedRunbooks.map((r) => [r.id, r] as const))('runbook %s', (id, runbook: AnyAutomatedRunbook) => {
  const scenario = scenarios[id];

  it('has a permissions scenario in this test', () => {
    expect(scenario).toBeDefined();
  });

  it('declares the IAM action of every command its readState, apply and rollback send', async () => {
    const { ctx, sent } = fakeContext(scenario.answers, { kmsKeyArn: KEY });
    const resource = { accountId: '123456789012', region: 'us-east-1', ...scenario.resource } as RunbookResource;
    await runbook.readState(resource, ctx);
    const applied = await runbook.apply(resource, ctx);
    expect(applied.changed).toBe(true);
    if (runbook.rollback) await runbook.rollback(resource, applied.before, ctx);
    const declared = new Set(runbook.permissions.map((p) => p.action));
    const used = [...new Set(sent.map(iamActionOf))];
    expect(used.filter((a) => !declared.has(a))).toEqual([]);
  });

  it('declares only resource patterns scoped by partition (never a bare *)', () => {
    for (const p of runbook.permissions)
      expect(p.resource === '${KeyArn}' || p.resource.startsWith('arn:${Partition}:')).toBe(true);
  });
});
