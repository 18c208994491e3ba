import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import * as z from '../rules/runtime/zod-mini';
import { AuditStore } from './audit-store';
import { describeSafely, ResponderBatchError, ResponderEventError, ResponderSettingsError } from './errors';
import { createResponderLogger } from './logger';
import { StateStore } from './state-store';
import { parseSnsRecord, snsEventSchema } from './event';
import { createAlertPublisher } from './publisher';
import { createContexts } from './recheck';
import { recordCovered, type ResponderDeps, type ResponseResult, respondToEvent } from './respond';
import { createSecurityHubForwarder } from './securityhub-forwarder';
import { settingsFromEnv } from './settings';
import { loadResponderSuppressions } from './suppressions';

/** The responder's answer to one Lambda invocation (for logs and tests). */
export interface HandlerResult {
  readonly results: readonly ResponseResult[];
}

/** Builds the production dependencies from the environment (audit table, alerts topic, SDK clients). */
export function depsFromEnv(env: NodeJS.ProcessEnv = process.env): ResponderDeps {
  const settings = settingsFromEnv(env);
  if (!settings.auditTable) throw new ResponderSettingsError('WARD_AUDIT_TABLE is not set');
  if (!settings.stateTable) throw new ResponderSettingsError('WARD_STATE_TABLE is not set');
  if (!settings.alertsTopicArn) throw new ResponderSettingsError('WARD_ALERTS_TOPIC_ARN is not set');
  const logger = createResponderLogger({ component: 'responder' });
  // Read once per cold start; a file that cannot be read is reported on every alert, never half-applied.
  const suppressions = loadResponderSuppressions(env);
  if (suppressions.error) logger.error({ err: suppressions.error }, 'suppressions not applied');
  const endpoint = env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {};
  return {
    settings,
    logger,
    suppressions,
    store: new AuditStore(settings.auditTable, new DynamoDBClient({ ...endpoint })),
    state: new StateStore(settings.stateTable, new DynamoDBClient({ ...endpoint })),
    publish: createAlertPublisher(new SNSClient({ ...endpoint }), settings.alertsTopicArn),
    ...(settings.forwardToSecurityHub ? { forwardFinding: createSecurityHubForwarder() } : {}),
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
 * destination with the reason. A record of an unknown shape is never silently dropped. Non-compliant events of
 * one rule and resource within a batch are answered once: the first is handled, the others are recorded as
 * covered by it.
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
    const leaders = new Map<string, string>();
    for (const [i, record] of batch.data.Records.entries()) {
      const messageId = (record as { Sns?: { MessageId?: unknown } })?.Sns?.MessageId?.toString() ?? `record ${i}`;
      try {
        const { event: change } = parseSnsRecord(record);
        const c = change.detail;
        const key = `${c.configRuleName}|${c.resourceType}|${c.resourceId}`;
        const leader = c.newEvaluationResult.complianceType === 'NON_COMPLIANT' ? leaders.get(key) : undefined;
        if (leader && leader !== change.id) results.push(await recordCovered(change, leader, d));
        else {
          if (c.newEvaluationResult.complianceType === 'NON_COMPLIANT') leaders.set(key, change.id);
          else leaders.delete(key);
          results.push(await respondToEvent(change, d));
        }
      } catch (err) {
        d.logger.error({ messageId, err: describeSafely(err) }, 'record failed');
        failures.push({ messageId, reason: describeSafely(err) });
      }
    }
    if (failures.length > 0) throw new ResponderBatchError(failures);
    return { results };
  };
}

/** The Lambda entry point (dependencies built from the environment on the first invocation). */
export const handler = createResponderHandler(() => depsFromEnv());
