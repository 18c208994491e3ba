import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { EvaluationDeliveryError } from '../../../rules/runtime/errors';
import { createConfigRuleHandler, type HandlerConfigClient } from '../../../rules/runtime/handler';
import type { AnyRule } from '../../../rules/runtime/types';
import {
  changeEvent,
  LAMBDA_CONTEXT,
  oversizedEvent,
  POLICY_MARKER,
  snapshotDeliveredEvent,
  snsTopicApiItem,
  snsTopicItem,
} from '../../fixtures/events/config-events';
import { awsError, captureLogger, FakeClient, recordingSleep } from '../../fixtures/events/fakes';

const rule = encryptedAtRest as AnyRule;
const CAPTURE_TIME = new Date('2026-11-20T10:15:30.123Z');

type Sent = {
  ComplianceResourceType: string;
  ComplianceResourceId: string;
  ComplianceType: string;
  Annotation: string;
  OrderingTimestamp: Date;
};

function setup(responders: ConstructorParameters<typeof FakeClient>[0] = {}) {
  const config = new FakeClient({ PutEvaluations: () => ({ FailedEvaluations: [] }), ...responders });
  const log = captureLogger();
  const handler = createConfigRuleHandler(rule, {
    logger: log.logger,
    configClient: () => config as unknown as HandlerConfigClient,
    reporter: { sleep: recordingSleep().sleep },
  });
  const sent = () => config.inputs('PutEvaluations').flatMap((i) => i.Evaluations as Sent[]);
  return { handler, config, log, sent };
}

describe('createConfigRuleHandler: change notifications', () => {
  it('reports an unencrypted SNS topic NON_COMPLIANT, ordered at the CI capture time, with the result token', async () => {
    const { handler, config, sent } = setup();
    await handler(changeEvent(snsTopicItem()), LAMBDA_CONTEXT);
    expect(sent()).toEqual([
      {
        ComplianceResourceType: 'AWS::SNS::Topic',
        ComplianceResourceId: 'arn:aws:sns:us-east-2:123456789012:orders',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'SNS topic has no KmsMasterKeyId.',
        OrderingTimestamp: CAPTURE_TIME,
      },
    ]);
    expect(config.inputs('PutEvaluations')[0].ResultToken).toBe('eyJyZXN1bHRUb2tlbiI6InRva2VuIn0=');
    expect(config.inputs('PutEvaluations')[0]).not.toHaveProperty('TestMode');
  });

  it('reports an encrypted SNS topic COMPLIANT', async () => {
    const { handler, sent } = setup();
    await handler(changeEvent(snsTopicItem({ kmsKeyId: 'alias/aws/sns' })), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['COMPLIANT']);
  });

  it.each([
    ['a deleted resource', changeEvent(snsTopicItem({ status: 'ResourceDeleted' })), /deleted/],
    [
      'a resource whose type is not recorded',
      changeEvent(snsTopicItem({ status: 'ResourceNotRecorded' })),
      /does not record/,
    ],
    [
      'a resource that left the rule scope',
      changeEvent(snsTopicItem(), { eventLeftScope: true }),
      /left the rule scope/,
    ],
    [
      'a resource type outside the rule scope',
      changeEvent({ ...snsTopicItem(), resourceType: 'AWS::EC2::Instance', resourceId: 'i-0abc' }),
      /outside the scope/,
    ],
    [
      'a resource listed in exemptResourceIds',
      changeEvent(snsTopicItem(), { ruleParameters: { exemptResourceIds: 'orders' } }),
      /exemptResourceIds/,
    ],
    [
      'a resource carrying the exempt tag',
      changeEvent(snsTopicItem({ tags: { 'ward:exempt': 'yes' } }), { ruleParameters: { exemptTag: 'ward:exempt' } }),
      /tagged ward:exempt/,
    ],
  ])('reports NOT_APPLICABLE for %s', async (_name, event, reason) => {
    const { handler, sent } = setup();
    await handler(event, LAMBDA_CONTEXT);
    expect(sent()).toHaveLength(1);
    expect(sent()[0].ComplianceType).toBe('NOT_APPLICABLE');
    expect(sent()[0].Annotation).toMatch(reason);
  });

  it('orders at the invocation time when the CI capture time is unreadable (Config rejects an invalid date)', async () => {
    const { handler, sent } = setup();
    const before = Date.now();
    await handler(changeEvent({ ...snsTopicItem(), configurationItemCaptureTime: 'yesterday' }), LAMBDA_CONTEXT);
    const at = sent()[0].OrderingTimestamp.getTime();
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('treats an absent ruleParameters as the defaults', async () => {
    const { handler, sent } = setup();
    await handler(changeEvent(snsTopicItem(), { ruleParameters: null }), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NON_COMPLIANT']);
  });

  it('fails closed on invalid rule parameters: NON_COMPLIANT evaluation-error, never COMPLIANT', async () => {
    const { handler, sent, log } = setup();
    await handler(
      changeEvent(snsTopicItem({ kmsKeyId: 'alias/aws/sns' }), { ruleParameters: { exemptTag: 42 } }),
      LAMBDA_CONTEXT,
    );
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NON_COMPLIANT']);
    expect(sent()[0].Annotation).toMatch(/could not evaluate/);
    expect(log.lines.some((l) => l.msg === 'invalid rule parameters: reporting evaluation-error')).toBe(true);
  });

  it.each([
    ['ruleParameters that are not JSON', 'exemptTag=x', /ruleParameters is not valid JSON/],
    [
      'an unknown parameter name',
      '{"exemptTagg":"x"}',
      /unknown parameter "exemptTagg" \(did you mean "exemptTag"\?\)/,
    ],
    ['a parameter of the wrong type', '{"requireCustomerManagedKey":"sometimes"}', /requireCustomerManagedKey/],
  ])('does not drop an event whose %s: the resource is NON_COMPLIANT naming the problem', async (_n, raw, problem) => {
    const { handler, sent } = setup();
    await handler({ ...changeEvent(snsTopicItem({ kmsKeyId: 'alias/aws/sns' })), ruleParameters: raw }, LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NON_COMPLIANT']);
    expect(sent()[0].Annotation).toMatch(problem);
  });

  it('throws EvaluationDeliveryError when PutEvaluations fails, so Lambda retries the invocation', async () => {
    const { handler } = setup({
      PutEvaluations: () => {
        throw awsError('InternalFailure', 500);
      },
    });
    await expect(handler(changeEvent(snsTopicItem()), LAMBDA_CONTEXT)).rejects.toBeInstanceOf(EvaluationDeliveryError);
  });
});

describe('createConfigRuleHandler: oversized notifications', () => {
  it('fetches the CI with GetResourceConfigHistory (laterTime = capture time, limit 1) and judges the API form', async () => {
    const { handler, config, sent } = setup({
      GetResourceConfigHistory: () => ({ configurationItems: [snsTopicApiItem({ kmsKeyId: 'alias/aws/sns' })] }),
    });
    await handler(oversizedEvent(snsTopicItem()), LAMBDA_CONTEXT);
    expect(config.inputs('GetResourceConfigHistory')).toEqual([
      {
        resourceType: 'AWS::SNS::Topic',
        resourceId: 'arn:aws:sns:us-east-2:123456789012:orders',
        laterTime: CAPTURE_TIME,
        limit: 1,
      },
    ]);
    expect(sent()).toEqual([expect.objectContaining({ ComplianceType: 'COMPLIANT', OrderingTimestamp: CAPTURE_TIME })]);
  });

  it('reports NOT_APPLICABLE when the item is gone and the summary says it was deleted', async () => {
    const { handler, sent } = setup({
      GetResourceConfigHistory: () => {
        throw awsError('ResourceNotDiscoveredException');
      },
    });
    await handler(oversizedEvent(snsTopicItem({ status: 'ResourceDeleted' })), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NOT_APPLICABLE']);
  });

  it('fails closed when Config has no item for a resource it says exists', async () => {
    const { handler, sent } = setup({ GetResourceConfigHistory: () => ({ configurationItems: [] }) });
    await handler(oversizedEvent(snsTopicItem()), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NON_COMPLIANT']);
  });

  it('lets a failing GetResourceConfigHistory throw, so Lambda retries the invocation', async () => {
    const { handler, sent } = setup({
      GetResourceConfigHistory: () => {
        throw awsError('ThrottlingException');
      },
    });
    await expect(handler(oversizedEvent(snsTopicItem()), LAMBDA_CONTEXT)).rejects.toThrow(/ThrottlingException/);
    expect(sent()).toEqual([]);
  });
});

describe('createConfigRuleHandler: events it does not judge', () => {
  it('logs and ignores an unknown message type', async () => {
    const { handler, config, log } = setup();
    await handler(snapshotDeliveredEvent(), LAMBDA_CONTEXT);
    expect(config.calls).toEqual([]);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'message type ignored',
        messageType: 'ConfigurationSnapshotDeliveryCompleted',
        configRuleName: 'ward-encrypted-at-rest',
      }),
    ]);
  });

  const valid = changeEvent(snsTopicItem());
  it.each([
    ['an event that is not an object', 'not an event', /malformed Config event/],
    [
      'invokingEvent that is not JSON',
      { ...valid, invokingEvent: '{"configurationItem":' },
      /invokingEvent: is not valid JSON/,
    ],
    ['a missing resultToken', { ...valid, resultToken: undefined }, /resultToken/],
    [
      'a missing messageType',
      { ...valid, invokingEvent: JSON.stringify({ configurationItem: {} }) },
      /messageType is missing/,
    ],
    [
      'a change notification without its configurationItem',
      { ...valid, invokingEvent: JSON.stringify({ messageType: 'ConfigurationItemChangeNotification' }) },
      /invokingEvent.configurationItem/,
    ],
    [
      'a configuration item without a resourceId',
      changeEvent({ ...snsTopicItem(), resourceId: undefined }),
      /has no resourceId/,
    ],
  ])('logs and ignores a malformed event: %s', async (_name, event, problem) => {
    const { handler, config, log } = setup();
    await expect(handler(event, LAMBDA_CONTEXT)).resolves.toBeUndefined();
    expect(config.inputs('PutEvaluations')).toEqual([]);
    const line = log.lines.find((l) => l.level === 'error');
    expect(line).toEqual(
      expect.objectContaining({ rule: 'encrypted-at-rest', problem: expect.stringMatching(problem) }),
    );
    if (typeof event === 'object') expect(line?.configRuleName).toBe('ward-encrypted-at-rest');
    expect(log.text()).not.toContain(POLICY_MARKER);
  });
});

describe('createConfigRuleHandler: a configuration item that cannot be read', () => {
  const broken = (configuration: unknown, resourceType = 'AWS::SNS::Topic', extra: Record<string, unknown> = {}) =>
    changeEvent({ ...snsTopicItem(), resourceType, configuration, ...extra });

  it.each([
    [
      'configuration that is not JSON',
      `{"TopicArn": "x", "Policy": "${POLICY_MARKER}`,
      /configuration is not valid JSON/,
    ],
    ['configuration that is a JSON array', '[1, 2]', /configuration is not a JSON object/],
    ['configuration that is a number', 42, /configuration is not a JSON object/],
    ['configuration null with status OK', null, /configuration is null although the status is OK/],
    ['configuration "null" with status OK', 'null', /configuration is null although the status is OK/],
    ['configuration missing with status OK', undefined, /configuration is missing although the status is OK/],
  ])('reports %s as unreadable-configuration on the resource it names', async (_name, c, problem) => {
    const { handler, sent, log } = setup();
    await expect(handler(broken(c), LAMBDA_CONTEXT)).resolves.toBeUndefined();
    expect(sent()).toEqual([
      expect.objectContaining({
        ComplianceResourceType: 'AWS::SNS::Topic',
        ComplianceResourceId: 'arn:aws:sns:us-east-2:123456789012:orders',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringMatching(problem),
        OrderingTimestamp: CAPTURE_TIME,
      }),
    ]);
    expect(log.text() + JSON.stringify(sent())).not.toContain(POLICY_MARKER);
  });

  it('reports a supplementaryConfiguration that is an array as unreadable, not as compliant', async () => {
    const { handler, sent } = setup();
    await handler(
      broken(snsTopicItem({ kmsKeyId: 'alias/aws/sns' }).configuration, 'AWS::SNS::Topic', {
        supplementaryConfiguration: [],
      }),
      LAMBDA_CONTEXT,
    );
    expect(sent().map((e) => [e.ComplianceType, e.Annotation])).toEqual([
      ['NON_COMPLIANT', expect.stringMatching(/supplementaryConfiguration is an array/)],
    ]);
  });

  it('still reports a deleted resource NOT_APPLICABLE', async () => {
    const { handler, sent } = setup();
    await handler(broken(null, 'AWS::SNS::Topic', { configurationItemStatus: 'ResourceDeleted' }), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NOT_APPLICABLE']);
  });

  it('reports an unreadable item of a type outside the rule scope NOT_APPLICABLE (out of scope)', async () => {
    const { handler, sent } = setup();
    await handler(broken('{', 'AWS::IAM::Role'), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceType)).toEqual(['NOT_APPLICABLE']);
  });
});

describe('createConfigRuleHandler: logging', () => {
  it('writes one structured line per evaluation, without documents, CI contents or the result token', async () => {
    const { handler, log } = setup();
    await handler(changeEvent(snsTopicItem()), LAMBDA_CONTEXT);
    const lines = log.lines.filter((l) => l.msg === 'evaluation');
    expect(lines).toEqual([
      expect.objectContaining({
        rule: 'encrypted-at-rest',
        configRuleName: 'ward-encrypted-at-rest',
        resourceType: 'AWS::SNS::Topic',
        resourceId: 'arn:aws:sns:us-east-2:123456789012:orders',
        compliance: 'NON_COMPLIANT',
        findings: ['unencrypted'],
        annotation: 'SNS topic has no KmsMasterKeyId.',
      }),
    ]);
    expect(log.text()).not.toContain(POLICY_MARKER);
    expect(log.text()).not.toContain('eyJyZXN1bHRUb2tlbiI6InRva2VuIn0=');
  });
});
