import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { describeError } from '../rules/runtime/errors';
import * as z from '../rules/runtime/zod-mini';
import { createLogger } from '../rules/runtime/logger';
import { AuditStore } from './audit-store';
import { ResponderBatchError, ResponderEventError, ResponderSettingsError } from './errors';
import { parseSnsRecord, snsEventSchema } from './event';
import { createAlertPublisher } from './publisher';
import { createContexts } from './recheck';
import { type ResponderDeps, type ResponseResult, respondToEvent } from './respond';
import { settingsFromEnv } from './settings';

/** The responder's answer to one Lambda invocation (for logs and tests). */
export interface HandlerResult {
  readonly results: readonly ResponseResult[];
}

/** Builds the production dependencies from the environment (audit table, alerts topic, SDK clients). */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): ResponderDeps {
  const settings = settingsFromEnv(env);
  if (!settings.auditTable) throw new ResponderSettingsError('WARD_AUDIT_TABLE is not set');
  if (!settings.alertsTopicArn) throw new ResponderSettingsError('WARD_ALERTS_TOPIC_ARN is not set');
  const logger = createLogger({ component: 'responder' });
  const endpoint = env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {};
  return {
    settings,
    logger,
    store: new AuditStore(settings.auditTable, new DynamoDBClient({ ...endpoint })),
    publish: createAlertPublisher(new SNSClient({ ...endpoint }), settings.alertsTopicArn),
    contexts: (resource) =>
      createContexts(
        resource,
        { kmsKeyArn: settings.kmsKeyArn, trustedAccountIds: settings.trustedAccountIds },
        logger,
      ),
  };
}

/**
 * Creates the Lambda handler for SNS events. Every record is handled even when one fails; the failures are
 * then thrown together (ResponderBatchError) so Lambda retries and finally sends the event to the on-failure
 * destination with the reason. A record of an unknown shape is never silently dropped.
 */
export function createResponderHandler(deps: ResponderDeps | (() => ResponderDeps)) {
  let resolved: ResponderDeps | undefined;
  return async (event: unknown): Promise<HandlerResult> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const d = resolved;
    const batch = z.safeParse(snsEventSchema, event);
    if (!batch.success) throw new ResponderEventError('not an SNS event: expected {"Records": [...]}');
    const results: ResponseResult[] = [];
    const failures: { messageId: string; reason: string }[] = [];
    for (const [i, record] of batch.data.Records.entries()) {
      const messageId = (record as { Sns?: { MessageId?: unknown } })?.Sns?.MessageId?.toString() ?? `record ${i}`;
      try {
        const { event: change } = parseSnsRecord(record);
        results.push(await respondToEvent(change, d));
      } catch (err) {
        d.logger.error({ messageId, err: describeError(err) }, 'record failed');
        failures.push({ messageId, reason: describeError(err) });
      }
    }
    if (failures.length > 0) throw new ResponderBatchError(failures);
    return { results };
  };
}

/** The Lambda entry point (dependencies built from the environment on the first invocation). */
export const handler = createResponderHandler(() => depsFromEnv());
