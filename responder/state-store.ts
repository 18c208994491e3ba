import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { FlapState } from './flapping';

const S = (v: string): AttributeValue => ({ S: v });
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const conflict = (err: unknown) => (err as Error).name === 'ConditionalCheckFailedException';

/**
 * How long a resource lock holds when its holder dies without releasing it: the Lambda timeout (2 minutes) and
 * a margin. Lambda retries a failed invocation after about 1 and 3 minutes, so the second retry finds it free.
 */
export const LOCK_TTL_MS = 150_000;

/** Who holds a resource lock. */
export interface LockHolder {
  readonly auditId: string;
  readonly configRuleName: string;
  /** Unique per attempt: only the attempt that took the lock releases it. */
  readonly token: string;
  readonly expiresAt: number;
}

/** Key of a resource's lock. */
export const lockKey = (resourceType: string, resourceId: string) => `lock#${resourceType}#${resourceId}`;

/**
 * The responder's mutable state, in a table of its own so that no update the responder may make can reach an
 * audit record: the hourly counters (`rate#<account>#<hour>`), flapping state (`flap#<rule>#<resource>`),
 * per-resource locks (`lock#<type>#<id>`) and the kill switch (`control#kill-switch`). Partition key `pk`,
 * time to live `expiresAt`.
 */
export class StateStore {
  constructor(
    readonly table: string,
    private readonly ddb: DynamoDBClient = new DynamoDBClient({}),
  ) {}

  /**
   * Takes the lock on one resource with a conditional write: granted when nobody holds it or the holder's lease
   * expired. Otherwise returns the holder (which may be a concurrent delivery of the same event).
   */
  async acquireLock(
    resource: { resourceType: string; resourceId: string },
    holder: Omit<LockHolder, 'expiresAt'>,
    now: Date,
    ttlMs = LOCK_TTL_MS,
  ): Promise<{ acquired: true } | { acquired: false; holder?: LockHolder }> {
    const key = lockKey(resource.resourceType, resource.resourceId);
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: S(key),
            auditId: S(holder.auditId),
            configRuleName: S(holder.configRuleName),
            token: S(holder.token),
            expiresAt: { N: String(epoch(new Date(now.getTime() + ttlMs))) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(epoch(now)) } },
        }),
      );
      return { acquired: true };
    } catch (err) {
      if (!conflict(err)) throw err;
    }
    const out = await this.ddb.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: S(key) }, ConsistentRead: true }),
    );
    const i = out.Item;
    return {
      acquired: false,
      holder: i
        ? {
            auditId: i.auditId?.S ?? '',
            configRuleName: i.configRuleName?.S ?? '',
            token: i.token?.S ?? '',
            expiresAt: Number(i.expiresAt?.N ?? 0),
          }
        : undefined,
    };
  }

  /** Releases a lock this attempt holds (a no-op when it expired and someone else took it). */
  async releaseLock(resource: { resourceType: string; resourceId: string }, token: string): Promise<void> {
    try {
      await this.ddb.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: S(lockKey(resource.resourceType, resource.resourceId)) },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': S(token) },
        }),
      );
    } catch (err) {
      if (!conflict(err)) throw err;
    }
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
            ':exp': { N: String(epoch(now) + 7200) },
          },
        }),
      );
      return true;
    } catch (err) {
      if (conflict(err)) return false;
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
        Item: { pk: S(`flap#${key}`), state: S(JSON.stringify(state)), expiresAt: { N: String(epoch(expiresAt)) } },
      }),
    );
  }
}
