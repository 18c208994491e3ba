import type { ConfigurationItem } from './configuration-item';
import type { Logger } from './logger';

/** What a KMS key reference (ARN, id, alias name or alias ARN) resolves to. */
export interface KeyInfo {
  /** Key ARN, when known. */
  readonly arn?: string;
  readonly keyId?: string;
  /** Account that owns the key. */
  readonly accountId?: string;
  /** `AWS` for AWS-managed keys, `CUSTOMER` for customer-managed keys. */
  readonly manager?: 'AWS' | 'CUSTOMER';
}

/**
 * Resolves KMS key references. Backed by `kms:DescribeKey` in the Lambda and by the KMS Key and Alias
 * configuration items of the same snapshot in `ward scan`. Returns undefined when it cannot answer.
 */
export interface KeyLookup {
  describe(ref: string, where: { accountId: string; region: string }): Promise<KeyInfo | undefined>;
}

/** Reads other configuration items (the snapshot being scanned, or Config itself in the Lambda). */
export interface ResourceLookup {
  get(resourceType: string, resourceId: string): Promise<ConfigurationItem | undefined>;
  /** Finds an item of a type by its ARN (for example an AWS::IAM::Policy by policy ARN). */
  findByArn(resourceType: string, arn: string): Promise<ConfigurationItem | undefined>;
  /** Every item of a type that the lookup holds (snapshot mode); undefined where it cannot list. */
  list?(resourceType: string): AsyncIterable<ConfigurationItem>;
  /**
   * The first item of an IAM type (in the lookup's order) whose configuration names it `name` (`groupName`,
   * `roleName`, `userName` or `policyName`): what a user's `groupList` holds. Optional: where it is missing,
   * callers walk `list`; a snapshot answers it from an index, without reading every item of the type.
   */
  findByName?(resourceType: string, name: string): Promise<ConfigurationItem | undefined>;
}

/** SDK v3 client constructor, as `ctx.client` takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SDK client constructors take each their own config type
export type ClientConstructor<T> = new (config: any) => T;

/** Where a rule runs, which decides what it may read. */
export type RunMode = 'lambda' | 'snapshot' | 'live';

/** Everything `gather` and `collect` may use; created by the handler or the scanner. */
export interface RuleContext {
  readonly mode: RunMode;
  /** The account being judged (the member account in organization mode). */
  readonly accountId: string;
  readonly region: string;
  readonly logger: Logger;
  /**
   * True when no AWS API may be called (`ward scan` on a snapshot file). `gather` then uses only
   * `resources` and `keys`, and says in the evaluation what it could not check.
   */
  readonly offline: boolean;
  /** An SDK client for this account and region (cached, with the right credentials and endpoint). */
  client<T>(ctor: ClientConstructor<T>, region?: string): T;
  readonly keys: KeyLookup;
  readonly resources?: ResourceLookup;
  /** When the evaluation was triggered (the notification time for periodic rules). */
  readonly invokedAt: Date;
}
