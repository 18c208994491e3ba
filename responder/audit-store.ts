import {
  type AttributeValue,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { AuditStep, StepName } from './audit-steps';

/** Name of the index that lists a resource's responses by time (only `received` steps carry its keys). */
export const BY_RESOURCE_INDEX = 'byResource';

/** Key of a resource in the index. */
export const resourceKey = (resourceType: string, resourceId: string) => `${resourceType}|${resourceId}`;

/** Steps in the order a response takes them: the sort key starts with this rank, so a query reads them in order. */
const RANK: Record<StepName, string> = {
  received: '01',
  covered: '02',
  decided: '03',
  planned: '04',
  applied: '05',
  verified: '06',
  // Between verified and alert-failed ('06#' < '065' < '07'), leaving the keys already written unchanged.
  forwarded: '065',
  'alert-failed': '07',
  alerted: '08',
  completed: '09',
  'rollback-failed': '10',
  'rolled-back': '11',
};

/** Steps that may happen more than once (each attempt is its own record); every other step is written once. */
const REPEATABLE: ReadonlySet<StepName> = new Set<StepName>(['alert-failed', 'rollback-failed']);

/** The sort key of a step: `<rank>#<name>`, and for repeatable steps the time and a random suffix. */
export function stepKey(step: AuditStep): string {
  const base = `${RANK[step.step]}#${step.step}`;
  return REPEATABLE.has(step.step) ? `${base}#${step.at}#${Math.random().toString(36).slice(2, 8)}` : base;
}

const S = (v: string): AttributeValue => ({ S: v });

const parse = (item: Record<string, AttributeValue>): AuditStep | undefined =>
  item.record?.S ? (JSON.parse(item.record.S) as AuditStep) : undefined;

/**
 * The audit table: append-only. A response is a partition (`pk = event#<event id>`) of step records
 * (`sk = <rank>#<step>`), each written once with `attribute_not_exists(pk)`; nothing is ever updated or
 * deleted. The `received` step also carries `resourceKey` and `createdAt`, the keys of the `byResource` index.
 * The responder's role may only PutItem, GetItem and Query here; counters, flapping state, locks and the kill
 * switch live in the state table ({@link StateStore}).
 */
export class AuditStore {
  constructor(
    readonly table: string,
    private readonly ddb: DynamoDBClient = new DynamoDBClient({}),
  ) {}

  /**
   * Appends one step. False when that step of that response already exists: another invocation wrote it (a
   * concurrent duplicate delivery), and the caller must not act on it again. Other failures are thrown.
   */
  async append(step: AuditStep): Promise<boolean> {
    const item: Record<string, AttributeValue> = {
      pk: S(`event#${step.auditId}`),
      sk: S(stepKey(step)),
      step: S(step.step),
      at: S(step.at),
      record: S(JSON.stringify(step)),
    };
    if (step.step === 'received') {
      item.resourceKey = S(resourceKey(step.resourceType, step.resourceId));
      item.createdAt = S(step.at);
      item.resourceId = S(step.resourceId);
    }
    try {
      await this.ddb.send(
        new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** Every step of one response, in order (a strongly consistent read: a retry sees what the last attempt wrote). */
  async history(auditId: string): Promise<AuditStep[]> {
    const steps: AuditStep[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': S(`event#${auditId}`) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const i of out.Items ?? []) {
        const s = parse(i);
        if (s) steps.push(s);
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return steps;
  }

  /** Audit ids of one resource's responses through the index, newest first. */
  async idsForResource(resourceType: string, resourceId: string): Promise<string[]> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_RESOURCE_INDEX,
        KeyConditionExpression: 'resourceKey = :rk',
        ExpressionAttributeValues: { ':rk': S(resourceKey(resourceType, resourceId)) },
        ScanIndexForward: false,
      }),
    );
    return (out.Items ?? []).flatMap((i) => {
      const s = parse(i);
      return s ? [s.auditId] : [];
    });
  }

  /**
   * The `received` steps of all responses (or of one resource id, any type), newest first: what `ward audit`
   * lists. A scan, run with the operator's credentials (the responder's role cannot scan).
   */
  async received(options: { resourceId?: string; limit?: number } = {}): Promise<AuditStep[]> {
    const found: AuditStep[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.ddb.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: options.resourceId ? '#step = :r AND resourceId = :rid' : '#step = :r',
          ExpressionAttributeNames: { '#step': 'step' },
          ExpressionAttributeValues: {
            ':r': S('received'),
            ...(options.resourceId ? { ':rid': S(options.resourceId) } : {}),
          },
          ExclusiveStartKey,
        }),
      );
      for (const i of out.Items ?? []) {
        const s = parse(i);
        if (s) found.push(s);
      }
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    found.sort((a, b) => b.at.localeCompare(a.at));
    return options.limit ? found.slice(0, options.limit) : found;
  }
}
