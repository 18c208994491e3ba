import { InvokingEventError } from './errors';
import * as z from './zod-mini';

/*
 * The Lambda event AWS Config sends to a custom rule (configuration-items.md section 1). `invokingEvent` and
 * `ruleParameters` are JSON strings; `ruleParameters` may be absent. Only the fields the handler needs are
 * checked: Config adds fields over time and an unknown field must never fail an invocation.
 */

/** The message types Config sends to a custom Lambda rule. */
export const MessageType = {
  CHANGE: 'ConfigurationItemChangeNotification',
  OVERSIZED: 'OversizedConfigurationItemChangeNotification',
  SCHEDULED: 'ScheduledNotification',
} as const;

const jsonString = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'is not valid JSON', input: text });
      return z.NEVER;
    }
  }),
);

const nonEmpty = () => z.string().check(z.minLength(1));
const optionalString = () => z.optional(z.string());

const configEventSchema = z.object({
  invokingEvent: jsonString,
  // Kept raw: invalid parameters must not drop the event; the handler reports them on every resource instead.
  ruleParameters: z.optional(z.unknown()),
  resultToken: nonEmpty(),
  eventLeftScope: z.optional(z.boolean()),
  configRuleName: nonEmpty(),
  configRuleArn: optionalString(),
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  executionRoleArn: optionalString(),
});

const changeSchema = z.object({
  messageType: z.literal(MessageType.CHANGE),
  configurationItem: z.looseObject({}),
  notificationCreationTime: optionalString(),
});

const oversizedSchema = z.object({
  messageType: z.literal(MessageType.OVERSIZED),
  configurationItemSummary: z.looseObject({
    resourceType: nonEmpty(),
    resourceId: nonEmpty(),
    configurationItemCaptureTime: nonEmpty(),
    configurationItemStatus: optionalString(),
    awsAccountId: optionalString(),
    awsRegion: optionalString(),
  }),
  notificationCreationTime: optionalString(),
});

const scheduledSchema = z.object({
  messageType: z.literal(MessageType.SCHEDULED),
  notificationCreationTime: nonEmpty(),
  awsAccountId: optionalString(),
});

/** Fields of the Lambda event common to every message type. */
export interface ConfigEventEnvelope {
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly configRuleName: string;
  readonly configRuleArn?: string;
  /** The account whose resources are judged (the member account for organization rules). */
  readonly accountId: string;
  /** `ruleParameters` as sent (a JSON string, normally), {} when absent; parsed by the handler. */
  readonly ruleParameters: unknown;
}

/** A change notification: the CI is in the event (event form). */
export interface ChangeEvent extends ConfigEventEnvelope {
  readonly kind: 'change';
  readonly configurationItem: Record<string, unknown>;
}

/** An oversized change notification: only a summary; the CI must be fetched. */
export interface OversizedEvent extends ConfigEventEnvelope {
  readonly kind: 'oversized';
  readonly summary: {
    readonly resourceType: string;
    readonly resourceId: string;
    readonly captureTime: string;
    readonly status?: string;
  };
}

/** A periodic notification: no CI; the rule's `collect` runs. */
export interface ScheduledEvent extends ConfigEventEnvelope {
  readonly kind: 'scheduled';
  readonly notificationTime: string;
}

/** A message type ward does not handle (for example ConfigurationSnapshotDeliveryCompleted). */
export interface UnknownEvent extends ConfigEventEnvelope {
  readonly kind: 'unknown';
  readonly messageType: string;
}

/** A Config rule event, parsed. */
export type ConfigEvent = ChangeEvent | OversizedEvent | ScheduledEvent | UnknownEvent;

/** `path: message` for each zod issue, without the values (they may hold CI contents). */
function describeIssues(error: z.core.$ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** The rule name of an event, for logging, even when the event is malformed. */
export function configRuleNameOf(raw: unknown): string | undefined {
  const name = (raw as { configRuleName?: unknown } | null)?.configRuleName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Parses the event Config sends to a custom Lambda rule.
 * @throws InvokingEventError saying which fields are wrong (never their values).
 */
export function parseConfigEvent(raw: unknown): ConfigEvent {
  const outer = z.safeParse(configEventSchema, raw);
  if (!outer.success) throw new InvokingEventError(`malformed Config event: ${describeIssues(outer.error)}`);
  const e = outer.data;
  const envelope: ConfigEventEnvelope = {
    resultToken: e.resultToken,
    eventLeftScope: e.eventLeftScope ?? false,
    configRuleName: e.configRuleName,
    configRuleArn: e.configRuleArn,
    accountId: e.accountId,
    ruleParameters: e.ruleParameters ?? {},
  };
  const messageType = (e.invokingEvent as { messageType?: unknown } | null)?.messageType;
  if (typeof messageType !== 'string') {
    throw new InvokingEventError('malformed Config event: invokingEvent.messageType is missing');
  }
  const fail = (error: z.core.$ZodError) =>
    new InvokingEventError(`malformed ${messageType}: ${describeIssues(error, 'invokingEvent.')}`);
  switch (messageType) {
    case MessageType.CHANGE: {
      const m = z.safeParse(changeSchema, e.invokingEvent);
      if (!m.success) throw fail(m.error);
      return { ...envelope, kind: 'change', configurationItem: m.data.configurationItem };
    }
    case MessageType.OVERSIZED: {
      const m = z.safeParse(oversizedSchema, e.invokingEvent);
      if (!m.success) throw fail(m.error);
      const s = m.data.configurationItemSummary;
      return {
        ...envelope,
        kind: 'oversized',
        summary: {
          resourceType: s.resourceType,
          resourceId: s.resourceId,
          captureTime: s.configurationItemCaptureTime,
          status: s.configurationItemStatus,
        },
      };
    }
    case MessageType.SCHEDULED: {
      const m = z.safeParse(scheduledSchema, e.invokingEvent);
      if (!m.success) throw fail(m.error);
      return { ...envelope, kind: 'scheduled', notificationTime: m.data.notificationCreationTime };
    }
    default:
      return { ...envelope, kind: 'unknown', messageType };
  }
}
