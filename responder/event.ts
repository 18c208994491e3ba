import * as z from '../rules/runtime/zod-mini';
import { ResponderEventError } from './errors';

// zod/mini: the responder's Lambda bundle stays small and loads fast (bench/lambda).
const optionalString = () => z.optional(z.string());
const nonEmpty = () => z.string().check(z.minLength(1));

const complianceType = z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']);

const evaluationResult = z.object({
  evaluationResultIdentifier: z.optional(
    z.object({
      evaluationResultQualifier: z.optional(
        z.partial(z.object({ configRuleName: z.string(), resourceType: z.string(), resourceId: z.string() })),
      ),
      orderingTimestamp: optionalString(),
    }),
  ),
  complianceType,
  resultRecordedTime: optionalString(),
  configRuleInvokedTime: optionalString(),
  annotation: z.nullish(z.string()),
});

/** zod schema of the EventBridge `Config Rules Compliance Change` event (configuration-items.md section 5.1). */
export const complianceChangeEventSchema = z.object({
  version: optionalString(),
  id: nonEmpty(),
  'detail-type': z.literal('Config Rules Compliance Change'),
  source: z.literal('aws.config'),
  account: optionalString(),
  time: z.string(),
  region: optionalString(),
  resources: z.optional(z.array(z.string())),
  detail: z.object({
    resourceId: nonEmpty(),
    resourceType: nonEmpty(),
    awsRegion: nonEmpty(),
    awsAccountId: z.string().check(z.regex(/^\d{12}$/)),
    configRuleName: nonEmpty(),
    configRuleARN: optionalString(),
    messageType: z.literal('ComplianceChangeNotification'),
    recordVersion: optionalString(),
    notificationCreationTime: optionalString(),
    newEvaluationResult: evaluationResult,
    oldEvaluationResult: z.optional(evaluationResult),
  }),
});

/** A validated compliance-change event. */
export type ComplianceChangeEvent = z.infer<typeof complianceChangeEventSchema>;

/** One record of the Lambda event SNS sends. */
export const snsRecordSchema = z.object({
  EventSource: z.optional(z.literal('aws:sns')),
  Sns: z.object({
    MessageId: z.string(),
    TopicArn: optionalString(),
    Message: z.string(),
    Timestamp: optionalString(),
  }),
});

/** The Lambda event SNS sends (one record in practice; the type allows several). */
export const snsEventSchema = z.object({ Records: z.array(z.unknown()).check(z.minLength(1)) });

function explain(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Validates a compliance-change event.
 * @throws ResponderEventError saying which fields do not match.
 */
export function parseComplianceChangeEvent(value: unknown): ComplianceChangeEvent {
  const r = z.safeParse(complianceChangeEventSchema, value);
  if (!r.success) throw new ResponderEventError(`not a Config Rules Compliance Change event: ${explain(r.error)}`);
  return r.data;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ResponderEventError(`${what} is not JSON`, { cause: err });
  }
}

/**
 * The compliance-change event inside one SNS record.
 * @throws ResponderEventError when the record or its message has another shape.
 */
export function parseSnsRecord(record: unknown): { messageId: string; event: ComplianceChangeEvent } {
  const r = z.safeParse(snsRecordSchema, record);
  if (!r.success) throw new ResponderEventError(`not an SNS record: ${explain(r.error)}`);
  return {
    messageId: r.data.Sns.MessageId,
    event: parseComplianceChangeEvent(parseJson(r.data.Sns.Message, 'the SNS message')),
  };
}

/**
 * Accepts what `ward respond --event FILE` may be given: a bare EventBridge event, an SNS notification
 * (`{"Type":"Notification","Message":...}`), or an SNS Lambda event (`{"Records":[...]}`, first record).
 */
export function parseAnyEvent(value: unknown): ComplianceChangeEvent {
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.Records) && v.Records.length > 0) return parseSnsRecord(v.Records[0]).event;
    if (typeof v.Message === 'string') return parseComplianceChangeEvent(parseJson(v.Message, 'the SNS message'));
  }
  return parseComplianceChangeEvent(value);
}

/**
 * The rule's name as deployed by ward: inside a conformance pack (account or organization) Config names a rule
 * `<name>-conformance-pack-<suffix>`, which is cut off here.
 */
export function deployedRuleName(configRuleName: string): string {
  return configRuleName.replace(/-conformance-pack-[a-z0-9]+$/, '');
}

/** The Config rule's id in ward (`ward-<id>` -> `<id>`, in a pack too), or undefined for other rules. */
export function wardRuleId(configRuleName: string): string | undefined {
  const name = deployedRuleName(configRuleName);
  return name.startsWith('ward-') ? name.slice('ward-'.length) : undefined;
}
