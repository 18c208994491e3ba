import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ConfigServiceClient, PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import { createLogger } from '../../rules/runtime/logger';
import type { AnyRule } from '../../rules/runtime/types';
import { changeEvent, scheduledEvent } from '../fixtures/events/config-events';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * The rule through the real Lambda handler against moto, in TestMode: the handler's own context resolves keys
 * with kms:DescribeKey, and the periodic path lists log groups. moto's PutEvaluations accepts any
 * ComplianceResourceType, so this does not prove that AWS accepts AWS::Logs::LogGroup from a custom rule.
 */

const region = motoRegion(__filename);
const config = motoClientConfig(region);
const silent = createLogger({}, { write: () => undefined });
const strict = { requireCustomerManagedKey: 'true' };

let restore: () => void;
beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

function handlerCapturing(sent: PutEvaluationsCommandInput[]) {
  return createConfigRuleHandler(encryptedAtRest as AnyRule, {
    logger: silent,
    configClient: (target: AccountTarget) => {
      const client: ConfigServiceClient = defaultConfigClient(target);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutEvaluationsCommand') sent.push(args.input as PutEvaluationsCommandInput);
          return next(args);
        },
        { step: 'initialize', name: 'capturePutEvaluations' },
      );
      return client;
    },
  });
}

const lambdaContext = {
  invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-encrypted-at-rest`,
  awsRequestId: 'integration',
};

describe('encrypted-at-rest through the Lambda handler against moto', () => {
  it('resolves a topic key with kms:DescribeKey and reports it COMPLIANT under requireCustomerManagedKey', async () => {
    const key = await new KMSClient(config).send(new CreateKeyCommand({}));
    const sns = new SNSClient(config);
    const topic = await sns.send(
      new CreateTopicCommand({
        Name: uniqueName('ear-h'),
        Attributes: { KmsMasterKeyId: key.KeyMetadata?.KeyId ?? '' },
      }),
    );
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: topic.TopicArn }))).Attributes ?? {};
    const item = {
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: '2026-11-20T10:15:30.123Z',
      configurationItemStatus: 'OK',
      awsAccountId: MOTO_ACCOUNT,
      ARN: topic.TopicArn,
      resourceType: 'AWS::SNS::Topic',
      resourceId: topic.TopicArn,
      resourceName: topic.TopicArn?.split(':').pop(),
      awsRegion: region,
      availabilityZone: 'Not Applicable',
      tags: {},
      relationships: [],
      configuration: attrs,
      supplementaryConfiguration: {},
    };
    const sent: PutEvaluationsCommandInput[] = [];
    await handlerCapturing(sent)(changeEvent(item, { resultToken: 'TESTMODE', ruleParameters: strict }), lambdaContext);
    expect(sent.map((s) => s.TestMode)).toEqual([true]);
    expect(sent[0].Evaluations?.map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [topic.TopicArn, 'COMPLIANT'],
    ]);
    expect(sent[0].Evaluations?.[0].Annotation).toContain('customer-managed key');
  });

  it('runs the periodic path on a scheduled notification and reports log groups by name', async () => {
    const logs = new CloudWatchLogsClient(config);
    const group = `/ward/${uniqueName('ear-h')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const sent: PutEvaluationsCommandInput[] = [];
    await handlerCapturing(sent)(
      scheduledEvent({ accountId: MOTO_ACCOUNT, resultToken: 'TESTMODE', ruleParameters: strict }),
      lambdaContext,
    );
    const evaluations = sent.flatMap((s) => s.Evaluations ?? []);
    expect(evaluations.find((e) => e.ComplianceResourceId === group)).toMatchObject({
      ComplianceResourceType: 'AWS::Logs::LogGroup',
      ComplianceType: 'NON_COMPLIANT',
    });
    expect(evaluations.filter((e) => e.ComplianceResourceType === 'AWS::::Account')).toEqual([]);
  });
});
