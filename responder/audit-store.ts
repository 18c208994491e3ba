import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Plan } from '../runbooks/types';
import type { Decision } from './decide';
import type { ComplianceChangeEvent } from './event';
import type { FlapState } from './flapping';

/** How one event ended. */
export type Outcome =
  'ignored' | 'resolved' | 'notified' | 'planned' | 'remediated' | 'no-change' | 'remediation-failed' | 'failed';

/** One audit record: the event, the decision, the plan, the states before and after, the outcome, when. */
export interface AuditRecord {
  /** The EventBridge event id: also the deduplication key. */
  readonly auditId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: 'in-progress' | 'done' | 'failed';
  readonly configRuleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
  readonly event: ComplianceChangeEvent;
  readonly decision?: Decision;
  readonly plan?: Plan;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly outcome?: Outcome;
  readonly error?: string;
  readonly alert?: { readonly kind: string; readonly messageId?: string };
  readonly rollback?: { readonly at: string; readonly outcome: 'restored' | 'failed'; readonly error?: string };
}

/** A claim still in progress after this long belongs to an invocation that died (the Lambda timeout is 2 min). */
export const CLAIM_STALE_AFTER_MS = 10 * 60_000;

/** Name of the index that lists a resource's records by time. */
export const BY_RESOURCE_INDEX = 'byResource';

/** Key of a resource in the index. */
export const resourceKey = (resourceType: string, resourceId: string) => `${resourceType}|${resourceId}`;

const S = (v: string): AttributeValue => ({ S: v });

/**
 * The audit table (one DynamoDB table, partition key `pk`): audit records (`event#<id>`), the rate counters
 * (`rate#<account>#<hour>`), flapping state (`flap#<rule>#<resource>`) and the kill switch (`control#kill-switch`).
 */
export class AuditStore {
  constructor(
    private readonly table: string,
    private readonly ddb: DynamoDBClient = new DynamoDBClient({}),
  ) {}

  private item(record: AuditRecord): Record<string, AttributeValue> {
    return {
      pk: S(`event#${record.auditId}`),
      kind: S('audit'),
      resourceKey: S(resourceKey(record.resourceType, record.resourceId)),
      createdAt: S(record.createdAt),
      status: S(record.status),
      outcome: S(record.outcome ?? 'pending'),
      record: S(JSON.stringify(record)),
    };
  }

  /**
   * Claims an event with a conditional write (SNS delivers at least once). False when the event was already
   * claimed: the caller then does nothing. A failed attempt may be claimed again (Lambda retries), and so may
   * an attempt still `in-progress` after `staleAfterMs` (an invocation that timed out or crashed).
   */
  async claim(record: AuditRecord, staleAfterMs = CLAIM_STALE_AFTER_MS): Promise<boolean> {
    const stale = new Date(Date.parse(record.createdAt) - staleAfterMs).toISOString();
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: this.item(record),
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :failed OR (#status = :progress AND createdAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': S('failed'), ':progress': S('in-progress'), ':stale': S(stale) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException')
        return false;
      throw err;
    }
  }

  /** Writes the record in full (after the decision and the outcome are known). */
  async save(record: AuditRecord): Promise<void> {
    await this.ddb.send(new PutItemCommand({ TableName: this.table, Item: this.item(record) }));
  }

  /** One record by audit id. */
  async get(auditId: string): Promise<AuditRecord | undefined> {
    const out = await this.ddb.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: S(`event#${auditId}`) }, ConsistentRead: true }),
    );
    const text = out.Item?.record?.S;
    return text ? (JSON.parse(text) as AuditRecord) : undefined;
  }

  /** Records, newest first: of one resource (by id, any type) or all of them. */
  async list(options: { resourceId?: string; limit?: number } = {}): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.ddb.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: options.resourceId ? '#kind = :audit AND contains(#rk, :rid)' : '#kind = :audit',
          ExpressionAttributeNames: { '#kind': 'kind', ...(options.resourceId ? { '#rk': 'resourceKey' } : {}) },
          ExpressionAttributeValues: {
            ':audit': S('audit'),
            ...(options.resourceId ? { ':rid': S(`|${options.resourceId}`) } : {}),
          },
          ExclusiveStartKey,
        }),
      );
      for (const i of out.Items ?? []) if (i.record?.S) records.push(JSON.parse(i.record.S) as AuditRecord);
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const filtered = options.resourceId ? records.filter((r) => r.resourceId === options.resourceId) : records;
    filtered.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return options.limit ? filtered.slice(0, options.limit) : filtered;
  }

  /** Records of one resource through the index, newest first. */
  async forResource(resourceType: string, resourceId: string): Promise<AuditRecord[]> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: BY_RESOURCE_INDEX,
        KeyConditionExpression: 'resourceKey = :rk',
        ExpressionAttributeValues: { ':rk': S(resourceKey(resourceType, resourceId)) },
        ScanIndexForward: false,
      }),
    );
    return (out.Items ?? []).flatMap((i) => (i.record?.S ? [JSON.parse(i.record.S) as AuditRecord] : []));
  }

  /**
   * Reserves one automatic change for an account in the current hour; false when `cap` are already used.
   * Atomic (conditional update), so concurrent invocations cannot exceed the cap.
   */
  async reserveAutoChange(accountId: string, now: Date, cap: number): Promise<boolean> {
    if (cap <= 0) return false;
    const hour = now.toISOString().slice(0, 13);
    try {
      await this.ddb.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: S(`rate#${accountId}#${hour}`) },
          UpdateExpression: 'ADD #count :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :cap',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':cap': { N: String(cap) },
            ':exp': { N: String(Math.floor(now.getTime() / 1000) + 7200) },
          },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** True when the kill switch item is set (`control#kill-switch`, `enabled: true`). */
  async killSwitchOn(): Promise<boolean> {
    const out = await this.ddb.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: S('control#kill-switch') }, ConsistentRead: true }),
    );
    return out.Item?.enabled?.BOOL === true;
  }

  /** Sets or clears the kill switch. */
  async setKillSwitch(enabled: boolean, by: string, now = new Date()): Promise<void> {
    await this.ddb.send(
      new PutItemCommand({
        TableName: this.table,
        Item: { pk: S('control#kill-switch'), enabled: { BOOL: enabled }, by: S(by), at: S(now.toISOString()) },
      }),
    );
  }

  /** The flapping state of a rule and resource. */
  async getFlap(key: string): Promise<FlapState | undefined> {
    const out = await this.ddb.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: S(`flap#${key}`) }, ConsistentRead: true }),
    );
    return out.Item?.state?.S ? (JSON.parse(out.Item.state.S) as FlapState) : undefined;
  }

  /** Stores the flapping state; it expires by itself after the window. */
  async putFlap(key: string, state: FlapState, expiresAt: Date): Promise<void> {
    await this.ddb.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          pk: S(`flap#${key}`),
          state: S(JSON.stringify(state)),
          expiresAt: { N: String(Math.floor(expiresAt.getTime() / 1000)) },
        },
      }),
    );
  }
}
