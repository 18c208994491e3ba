// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RunbookError } from './errors';
import type { AutomatedRunbook, Plan, RunbookResource, RunbookSettings } from './types';
import * as sdk from '../rules/runtime/sdk';
import { readConfigurationItem } from './configuration-item';

/** A table's server-side encryption: null key means the AWS-owned key (the DynamoDB default). */
export interface DynamoDbEncryptionState {
  readonly tableArn: string;
  readonly kmsMasterKeyArn: string | null;
  readonly sseStatus: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

const ID = 'dynamodb-use-customer-managed-key';
const NO_KEY = 'No remediation key is configured: a customer-managed key is needed; nothing will be changed.';

async function read(resource: RunbookResource, ddb: DynamoDBClient): Promise<DynamoDbEncryptionState> {
  const { DescribeTableCommand, ListTagsOfResourceCommand } = await sdk.dynamodb();
  const TableName = resource.resourceId;
  try {
    const out = await ddb.send(new DescribeTableCommand({ TableName }));
    const tableArn = out.Table?.TableArn ?? '';
    const tags = tableArn ? await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: tableArn })) : { Tags: [] };
    const sse = out.Table?.SSEDescription;
    return {
      tableArn,
      kmsMasterKeyArn: sse?.KMSMasterKeyArn ?? null,
      sseStatus: sse?.Status ?? null,
      tags: Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  } catch (err) {
    throw new RunbookError(ID, `cannot read table ${TableName}`, { cause: err });
  }
}

const done = (state: DynamoDbEncryptionState, settings: RunbookSettings) =>
  settings.kmsKeyArn !== undefined && state.kmsMasterKeyArn === settings.kmsKeyArn;

async function update(ddb: DynamoDBClient, table: string, keyArn: string | null): Promise<void> {
  const { UpdateTableCommand } = await sdk.dynamodb();
  try {
    await ddb.send(
      new UpdateTableCommand({
        TableName: table,
        // Enabled=false returns the table to the AWS-owned key.
        SSESpecification: keyArn ? { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn } : { Enabled: false },
      }),
    );
  } catch (err) {
    throw new RunbookError(ID, `UpdateTable failed on ${table}`, { cause: err });
  }
}

/** Moves a DynamoDB table to the configured customer-managed KMS key (online, no downtime). */
export const dynamodbUseCustomerManagedKey: AutomatedRunbook<DynamoDbEncryptionState> = {
  id: ID,
  title: 'Encrypt a DynamoDB table with the remediation key',
  automated: true,
  resourceTypes: ['AWS::DynamoDB::Table'],
  findingCodes: ['not-customer-managed-key', 'unencrypted'],
  safeForAuto: true,
  permissions: [
    { action: 'dynamodb:DescribeTable', resource: 'arn:${Partition}:dynamodb:${Region}:${Account}:table/*' },
    { action: 'dynamodb:UpdateTable', resource: 'arn:${Partition}:dynamodb:${Region}:${Account}:table/*' },
    { action: 'dynamodb:ListTagsOfResource', resource: 'arn:${Partition}:dynamodb:${Region}:${Account}:table/*' },
    // DynamoDB checks that the caller may use the new key before it switches.
    { action: 'kms:DescribeKey', resource: '${KeyArn}' },
    { action: 'kms:CreateGrant', resource: '${KeyArn}' },
  ],
  readState: async (resource, ctx) =>
    read(resource, ctx.client((await sdk.dynamodb()).DynamoDBClient, resource.region)),
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    return readConfigurationItem(resource, {
      resourceName: resource.resourceId,
      arn: state.tableArn,
      configuration: {
        tableName: resource.resourceId,
        tableArn: state.tableArn,
        ...(state.kmsMasterKeyArn
          ? {
              ssedescription: {
                status: state.sseStatus ?? 'ENABLED',
                ssetype: 'KMS',
                kmsmasterKeyArn: state.kmsMasterKeyArn,
              },
            }
          : {}),
      },
      tags: state.tags,
    });
  },
  plan(resource, state, settings): Plan {
    if (done(state, settings))
      return { runbookId: ID, changes: [], summary: 'The table already uses the remediation key; nothing to change.' };
    if (!settings.kmsKeyArn) return { runbookId: ID, changes: [], blocked: NO_KEY, summary: NO_KEY };
    return {
      runbookId: ID,
      changes: [
        {
          operation: 'dynamodb:UpdateTable',
          description: `Switch table ${resource.resourceId} from ${state.kmsMasterKeyArn ?? 'the AWS-owned key'} to ${settings.kmsKeyArn}.`,
        },
      ],
      summary: `Encrypt the table with ${settings.kmsKeyArn}.`,
    };
  },
  async apply(resource, ctx) {
    const { DynamoDBClient } = await sdk.dynamodb();
    const ddb = ctx.client(DynamoDBClient, resource.region);
    const before = await read(resource, ddb);
    if (done(before, ctx.settings)) return { before, changed: false };
    if (!ctx.settings.kmsKeyArn) throw new RunbookError(ID, NO_KEY);
    await update(ddb, resource.resourceId, ctx.settings.kmsKeyArn);
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { DynamoDBClient } = await sdk.dynamodb();
    await update(ctx.client(DynamoDBClient, resource.region), resource.resourceId, before.kmsMasterKeyArn);
  },
};
