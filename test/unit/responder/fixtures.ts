/**
 * Real-shaped Config compliance-change events (configuration-items.md section 5.1) and their SNS wrapping
 * (the Lambda event SNS sends), for the responder's unit and integration tests.
 */
import { randomUUID } from 'node:crypto';

/** Options of {@link complianceChange}. */
export interface ChangeOptions {
  readonly id?: string;
  readonly configRuleName?: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly newCompliance?: string;
  /** Omit for a first evaluation (no oldEvaluationResult). */
  readonly oldCompliance?: string;
  readonly annotation?: string;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function result(o: ChangeOptions, rule: string, compliance: string, at: string, annotation?: string) {
  return {
    evaluationResultIdentifier: {
      evaluationResultQualifier: { configRuleName: rule, resourceType: o.resourceType, resourceId: o.resourceId },
      orderingTimestamp: at,
    },
    complianceType: compliance,
    resultRecordedTime: at,
    configRuleInvokedTime: at,
    ...(annotation ? { annotation } : {}),
  };
}

/** An EventBridge `Config Rules Compliance Change` event, deep-frozen. */
export function complianceChange(o: ChangeOptions) {
  const rule = o.configRuleName ?? 'ward-encrypted-at-rest';
  const account = o.accountId ?? '123456789012';
  const region = o.region ?? 'us-east-1';
  const now = '2026-11-23T01:04:05.751Z';
  return deepFreeze({
    version: '0',
    id: o.id ?? randomUUID(),
    'detail-type': 'Config Rules Compliance Change',
    source: 'aws.config',
    account,
    time: '2026-11-23T01:04:05Z',
    region,
    resources: [],
    detail: {
      resourceId: o.resourceId,
      awsRegion: region,
      awsAccountId: account,
      configRuleName: rule,
      recordVersion: '1.0',
      configRuleARN: `arn:aws:config:${region}:${account}:config-rule/config-rule-ab12cd`,
      messageType: 'ComplianceChangeNotification',
      newEvaluationResult: result(o, rule, o.newCompliance ?? 'NON_COMPLIANT', now, o.annotation),
      ...(o.oldCompliance ? { oldEvaluationResult: result(o, rule, o.oldCompliance, '2026-11-23T00:02:33.749Z') } : {}),
      notificationCreationTime: now,
      resourceType: o.resourceType,
    },
  });
}

/** The Lambda event SNS delivers for messages on the compliance-events topic. */
export function snsWrap(...messages: readonly unknown[]) {
  return deepFreeze({
    Records: messages.map((m, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:compliance-events:5b1c3f7e-0000-4000-8000-000000000001',
      Sns: {
        Type: 'Notification',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${i}`,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:compliance-events',
        Subject: null,
        Message: typeof m === 'string' ? m : JSON.stringify(m),
        Timestamp: '2026-11-23T01:04:06.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    })),
  });
}
