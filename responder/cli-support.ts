import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '../rules/runtime/logger';
import { AuditStore } from './audit-store';
import { createResponderLogger } from './logger';
import { StateStore } from './state-store';

/** Options the responder commands share. */
export interface TableOption {
  readonly table?: string;
  readonly stateTable?: string;
}

/** A logger for CLI commands: warnings and errors only, on stderr, with the responder's redaction. */
export function cliLogger(): Logger {
  const logger = createResponderLogger({ component: 'cli' }, process.stderr);
  logger.level = process.env.LOG_LEVEL ?? 'warn';
  return logger;
}

/** SDK client options: the region (AWS_REGION, else the one given, e.g. the event's) and a local endpoint. */
export function clientOptions(region?: string): { region?: string; forcePathStyle?: boolean } {
  const r = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? region;
  return { ...(r ? { region: r } : {}), ...(process.env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {}) };
}

/** The audit table named by `--table` or WARD_AUDIT_TABLE; undefined when neither is set. */
export function auditStoreFrom(opts: TableOption, region?: string): AuditStore | undefined {
  const table = opts.table ?? process.env.WARD_AUDIT_TABLE;
  return table ? new AuditStore(table, new DynamoDBClient(clientOptions(region))) : undefined;
}

/** The state table named by `--state-table` or WARD_STATE_TABLE; undefined when neither is set. */
export function stateStoreFrom(opts: TableOption, region?: string): StateStore | undefined {
  const table = opts.stateTable ?? process.env.WARD_STATE_TABLE;
  return table ? new StateStore(table, new DynamoDBClient(clientOptions(region))) : undefined;
}

/** Like {@link auditStoreFrom}, failing with what to do when no table is named. */
export function requireAuditStore(opts: TableOption, region?: string): AuditStore {
  const store = auditStoreFrom(opts, region);
  if (!store)
    throw new Error(
      'no audit table: pass --table NAME or set WARD_AUDIT_TABLE (the responder stack output AuditTableName)',
    );
  return store;
}

/** An SNS client for publishing alerts from the CLI. */
export function snsClient(region?: string): SNSClient {
  return new SNSClient(clientOptions(region));
}
