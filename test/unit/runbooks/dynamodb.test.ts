/**
 * moto ignores UpdateTable's SSESpecification (moto.md section 8), so this runbook's apply and rollback are
 * tested with a fake DynamoDB client that records the commands and keeps the table's key.
 */
import { dynamodbUseCustomerManagedKey } from '../../../runbooks/dynamodb-use-customer-managed-key';
import { fakeContext } from './fake-clients';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const resource = {
  resourceType: 'AWS::DynamoDB::Table',
  resourceId: 'orders',
  accountId: '123456789012',
  region: 'us-east-1',
};

function table(initialKey: string | null) {
  let key = initialKey;
  return fakeContext(
    {
      DescribeTable: () => ({
        Table: {
          TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
          ...(key ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: key } } : {}),
        },
      }),
      ListTagsOfResource: { Tags: [{ Key: 'team', Value: 'orders' }] },
      UpdateTable: (input: Record<string, unknown>) => {
        const sse = input.SSESpecification as { Enabled: boolean; KMSMasterKeyId?: string };
        key = sse.Enabled ? (sse.KMSMasterKeyId ?? null) : null;
        return {};
      },
    },
    { kmsKeyArn: KEY },
  );
}

it('switches a table on the AWS-owned key to the configured key', async () => {
  const { ctx, sent } = table(null);
  const out = await dynamodbUseCustomerManagedKey.apply(resource, ctx);
  expect(out).toEqual({ changed: true, before: expect.objectContaining({ kmsMasterKeyArn: null }) });
  // The responder verifies by reading back: the state read after the change has the key.
  expect(await dynamodbUseCustomerManagedKey.readState(resource, ctx)).toMatchObject({ kmsMasterKeyArn: KEY });
  expect(sent.find((c) => c.command === 'UpdateTable')?.input).toEqual({
    TableName: 'orders',
    SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY },
  });
});

it('changes nothing the second time', async () => {
  const { ctx, sent } = table(KEY);
  expect((await dynamodbUseCustomerManagedKey.apply(resource, ctx)).changed).toBe(false);
  expect(sent.map((c) => c.command)).not.toContain('UpdateTable');
});

it('rolls back to the AWS-owned key with SSESpecification Enabled false', async () => {
  const { ctx, sent } = table(KEY);
  await dynamodbUseCustomerManagedKey.rollback?.(
    resource,
    { tableArn: 'a', kmsMasterKeyArn: null, sseStatus: null, tags: {} },
    ctx,
  );
  expect(sent.find((c) => c.command === 'UpdateTable')?.input).toEqual({
    TableName: 'orders',
    SSESpecification: { Enabled: false },
  });
});

it('rolls back to a previous KMS key', async () => {
  const previous = 'arn:aws:kms:us-east-1:123456789012:key/aws-managed-dynamodb';
  const { ctx, sent } = table(KEY);
  await dynamodbUseCustomerManagedKey.rollback?.(
    resource,
    { tableArn: 'a', kmsMasterKeyArn: previous, sseStatus: 'ENABLED', tags: {} },
    ctx,
  );
  expect(sent.find((c) => c.command === 'UpdateTable')?.input).toMatchObject({
    SSESpecification: { KMSMasterKeyId: previous },
  });
});
