/** Shared setup of the responder's integration tests: the audit table, the alerts topic and a spy queue. */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AuditStore, BY_RESOURCE_INDEX } from '../../responder/audit-store';
import { StateStore } from '../../responder/state-store';
import { createAlertPublisher } from '../../responder/publisher';
import { createContexts } from '../../responder/recheck';
import type { ResponderDeps } from '../../responder/respond';
import { parseResponderSettings } from '../../responder/settings';
import { createLogger } from '../../rules/runtime/logger';
import { motoClientConfig, uniqueName } from '../harness/moto';

/** The resources every responder test needs, created in moto. */
export interface ResponderWorld {
  readonly table: string;
  readonly stateTable: string;
  readonly topicArn: string;
  readonly queueUrl: string;
  readonly keyArn: string;
  readonly ddb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly store: AuditStore;
  readonly state: StateStore;
  deps(settings?: Record<string, unknown>): ResponderDeps;
  /** Alerts received on the spy queue since the last call: `{subject, text}`. */
  alerts(): Promise<{ subject: string; text: string }[]>;
}

/**
 * Creates the audit table and the state table (same schemas as the responder stack), the alerts topic with a
 * spy queue, a key.
 */
export async function createResponderWorld(region: string): Promise<ResponderWorld> {
  const cfg = motoClientConfig(region);
  const ddb = new DynamoDBClient(cfg);
  const sns = new SNSClient(cfg);
  const sqs = new SQSClient(cfg);
  const table = uniqueName('ward-audit');
  await ddb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'resourceKey', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: BY_RESOURCE_INDEX,
          KeySchema: [
            { AttributeName: 'resourceKey', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const stateTable = uniqueName('ward-state');
  await ddb.send(
    new CreateTableCommand({
      TableName: stateTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('ward-alerts') }))).TopicArn as string;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('alerts-spy') }))).QueueUrl as string;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn as string;
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { RawMessageDelivery: 'false' },
    }),
  );
  const keyArn = (await new KMSClient(cfg).send(new CreateKeyCommand({ Description: 'ward remediation key' })))
    .KeyMetadata?.Arn as string;
  const store = new AuditStore(table, ddb);
  const state = new StateStore(stateTable, ddb);
  const logger = createLogger({ test: 'responder' });
  logger.level = 'silent';
  return {
    table,
    stateTable,
    topicArn,
    queueUrl,
    keyArn,
    ddb,
    sqs,
    store,
    state,
    deps(overrides = {}) {
      const settings = parseResponderSettings({
        kmsKeyArn: keyArn,
        auditTable: table,
        stateTable,
        alertsTopicArn: topicArn,
        ...overrides,
      });
      return {
        settings,
        logger,
        store,
        state,
        publish: createAlertPublisher(sns, topicArn),
        contexts: (resource) => createContexts(resource, { kmsKeyArn: settings.kmsKeyArn }, logger),
      };
    },
    async alerts() {
      const out: { subject: string; text: string }[] = [];
      for (;;) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
        if (!r.Messages?.length) return out;
        for (const m of r.Messages) {
          const envelope = JSON.parse(m.Body ?? '{}') as { Subject?: string; Message?: string };
          out.push({ subject: envelope.Subject ?? '', text: envelope.Message ?? '' });
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
      }
    },
  };
}
