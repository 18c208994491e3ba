import type { ClientConstructor } from '../rules/runtime/context';
import type { Logger } from '../rules/runtime/logger';

/** The resource a runbook acts on, as the compliance-change event names it. */
export interface RunbookResource {
  readonly resourceType: string;
  /** Config's resourceId (bucket name, topic ARN, queue URL, table name, key id, function name, ...). */
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * One IAM permission a runbook needs. `resource` is an ARN pattern with placeholders `${Partition}`,
 * `${Region}`, `${Account}` and `${KeyArn}` (the configured remediation key) that the responder stack fills in.
 */
export interface RunbookPermission {
  readonly action: string;
  readonly resource: string;
}

/** Settings every runbook may read: from ward.config.json through the responder stack's environment. */
export interface RunbookSettings {
  /** The customer-managed KMS key runbooks encrypt with (S3, SNS, SQS, DynamoDB). */
  readonly kmsKeyArn?: string;
  /** Accounts trusted besides the resource owner (KMS grants to them are not revoked). */
  readonly trustedAccountIds?: readonly string[];
}

/** One change a plan would make: the API call and a sentence a person can read. */
export interface PlannedChange {
  /** The API operation, e.g. `s3:PutBucketEncryption`. */
  readonly operation: string;
  readonly description: string;
}

/** What a runbook would change; computed purely from the resource's current state. */
export interface Plan {
  readonly runbookId: string;
  /** Empty when nothing needs to change (already fixed) or when `blocked` says why nothing can. */
  readonly changes: readonly PlannedChange[];
  /** Why the runbook cannot act safely (for example no remediation key configured); a person must. */
  readonly blocked?: string;
  /** One-line summary for alerts and the CLI. */
  readonly summary: string;
}

/**
 * What `apply` did: the state it found and whether it changed it. It does not read the resource back: the
 * responder verifies on its own (a failed read-back must not be mistaken for a failed change).
 */
export interface ApplyResult<S> {
  readonly before: S;
  /** False when the resource already matched the plan (idempotent re-run). */
  readonly changed: boolean;
}

/** What runbooks may use: SDK clients for the resource's account and region, a logger, the settings. */
export interface RunbookContext {
  client<T>(ctor: ClientConstructor<T>, region?: string): T;
  readonly logger: Logger;
  readonly settings: RunbookSettings;
}

/** Metadata shared by automated runbooks and manual playbooks. */
export interface RunbookMeta {
  /** kebab-case; the playbook is `runbooks/<id>.md`. */
  readonly id: string;
  readonly title: string;
  /** Config resource types it fixes. */
  readonly resourceTypes: readonly string[];
  /** Finding codes (of ward's rules) it fixes. */
  readonly findingCodes: readonly string[];
}

/** A playbook with manual steps only: no automation is safe (re-encrypting a database, scoping a policy). */
export interface ManualPlaybook extends RunbookMeta {
  readonly automated: false;
}

/**
 * An automated runbook. `S` is the resource state it reads, records as before/after, and restores on rollback.
 * `plan` is pure; `apply` re-reads the state and is idempotent; `rollback` restores a recorded before-state.
 */
export interface AutomatedRunbook<S = unknown> extends RunbookMeta {
  readonly automated: true;
  /** Whether `auto` mode may run it; false means notify or dry-run only, whatever the configuration says. */
  readonly safeForAuto: boolean;
  /** Every IAM action `readState`, `apply` and `rollback` send, with resource ARN patterns. */
  readonly permissions: readonly RunbookPermission[];
  /** Reads the resource's current state (and tags) from the service APIs. */
  readState(resource: RunbookResource, ctx: RunbookContext): Promise<S>;
  /** The resource's tags within the state (for the opt-out tag). */
  tagsOf(state: S): Readonly<Record<string, string>>;
  /**
   * The state as an event-form configuration item, so the rule can be re-run on what is live now rather than
   * on what Config recorded minutes ago.
   */
  toConfigurationItem(resource: RunbookResource, state: S): Record<string, unknown>;
  /** Pure: what would change. */
  plan(resource: RunbookResource, state: S, settings: RunbookSettings): Plan;
  /**
   * Applies the plan's intent to the current state; a second run changes nothing. It throws only when the change
   * itself failed; it never reads the resource back afterwards (the responder's verify step does).
   */
  apply(resource: RunbookResource, ctx: RunbookContext): Promise<ApplyResult<S>>;
  /** Restores a recorded before-state; absent when the change cannot be undone safely. */
  rollback?(resource: RunbookResource, before: S, ctx: RunbookContext): Promise<void>;
}

/** An automated runbook whose state type is erased, as the registry and the responder hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds runbooks of every state type
export type AnyAutomatedRunbook = AutomatedRunbook<any>;

/** Any runbook or playbook in the registry. */
export type RunbookEntry = AnyAutomatedRunbook | ManualPlaybook;
