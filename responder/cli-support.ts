import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { AuditStore } from './audit-store';
import { createLogger, type Logger } from '../rules/runtime/logger';

/** Options the responder commands share. */
export interface TableOption {
  readonly table?: string;
}

/** A logger for CLI commands: warnings and errors only, on stderr. */
export function cliLogger(): Logger {
  const logger = createLogger({ component: 'cli' });
  logger.level = process.env.LOG_LEVEL ?? 'warn';
  return logger;
}

const endpoint = () => (process.env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {});

/** The audit table named by `--table` or WARD_AUDIT_TABLE; undefined when neither is set. */
export function auditStoreFrom(opts: TableOption): AuditStore | undefined {
  const table = opts.table ?? process.env.WARD_AUDIT_TABLE;
  return table ? new AuditStore(table, new DynamoDBClient({ ...endpoint() })) : undefined;
}

/** Like {@link auditStoreFrom}, failing with what to do when no table is named. */
export function requireAuditStore(opts: TableOption): AuditStore {
  const store = auditStoreFrom(opts);
  if (!store)
    throw new Error(
      'no audit table: pass --table NAME or set WARD_AUDIT_TABLE (the responder stack output AuditTableName)',
    );
  return store;
}

/** An SNS client for publishing alerts from the CLI. */
export function snsClient(): SNSClient {
  return new SNSClient({ ...endpoint() });
}
