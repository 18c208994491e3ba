import { ConfigServiceClient, type PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import { EvaluationDeliveryError } from '../../rules/runtime/errors';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import type { AnyRule } from '../../rules/runtime/types';
import { changeEvent, deepFreeze, oversizedEvent, snsTopicItem } from '../fixtures/events/config-events';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * The real handler with real SDK clients pointed at moto through AWS_ENDPOINT_URL. moto never invokes rules and
 * stores no evaluations (PutEvaluations works only with TestMode), so the sent PutEvaluations input is captured
 * with an SDK middleware on the handler's own Config client.
 */

const region = motoRegion(__filename);
const MEMBER = '111111111111';
let restore: () => void;
beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

const lambdaContext = deepFreeze({
  invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-encrypted-at-rest`,
  awsRequestId: 'integration',
});

/** The real handler, its Config clients wrapped to record each PutEvaluations input and the target account. */
function capturingHandler() {
  const sent: { accountId: string; input: PutEvaluationsCommandInput }[] = [];
  const handler = createConfigRuleHandler(encryptedAtRest as AnyRule, {
    configClient: (target: AccountTarget) => {
      const client: ConfigServiceClient = defaultConfigClient(target);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutEvaluationsCommand') {
            sent.push({ accountId: target.accountId, input: args.input as PutEvaluationsCommandInput });
          }
          return next(args);
        },
        { step: 'initialize', name: 'capturePutEvaluations' },
      );
      return client;
    },
  });
  return { handler, sent };
}

/** The event-form CI of a real moto topic (moto produces no invoking events: the test builds them). */
function topicItem(arn: string, accountId = MOTO_ACCOUNT): Record<string, unknown> {
  const name = arn.split(':').pop() as string;
  const base = snsTopicItem({ accountId, name });
  return deepFreeze({
    ...base,
    resourceId: arn,
    ARN: arn,
    awsRegion: region,
    configuration: { ...(base.configuration as object), TopicArn: arn },
  });
}

async function createTopic(client: SNSClient, name: string): Promise<string> {
  const out = await client.send(new CreateTopicCommand({ Name: name }));
  return out.TopicArn as string;
}

describe('Config rule handler against moto', () => {
  const sns = new SNSClient(motoClientConfig(region));

  it("sends a change notification's evaluation with PutEvaluations in TestMode", async () => {
    const arn = await createTopic(sns, uniqueName('ward-change'));
    const { handler, sent } = capturingHandler();
    await handler(changeEvent(topicItem(arn), { resultToken: 'TESTMODE' }), lambdaContext);
    expect(sent).toEqual([
      {
        accountId: MOTO_ACCOUNT,
        input: {
          ResultToken: 'TESTMODE',
          TestMode: true,
          Evaluations: [
            {
              ComplianceResourceType: 'AWS::SNS::Topic',
              ComplianceResourceId: arn,
              ComplianceType: 'NON_COMPLIANT',
              Annotation: 'SNS topic has no KmsMasterKeyId.',
              OrderingTimestamp: new Date('2026-11-20T10:15:30.123Z'),
            },
          ],
        },
      },
    ]);
  });

  it('throws EvaluationDeliveryError when PutEvaluations fails (moto rejects it outside TestMode)', async () => {
    const arn = await createTopic(sns, uniqueName('ward-fail'));
    const { handler } = capturingHandler();
    await expect(handler(changeEvent(topicItem(arn)), lambdaContext)).rejects.toBeInstanceOf(EvaluationDeliveryError);
  });

  // An SNS topic, because moto's S3 and IAM CIs carry string timestamps that SDK v3 cannot deserialize
  // (moto.md section 1); SNS CIs round-trip.
  it('fetches an oversized item with GetResourceConfigHistory and judges it', async () => {
    const arn = await createTopic(sns, uniqueName('ward-oversized'));
    const { handler, sent } = capturingHandler();
    await handler(oversizedEvent(topicItem(arn), { resultToken: 'TESTMODE' }), lambdaContext);
    const [evaluation] = sent[0].input.Evaluations ?? [];
    // The annotation is the rule's own finding, which needs the fetched configuration (a missing CI would
    // give an evaluation-error instead).
    expect(evaluation).toEqual(
      expect.objectContaining({
        ComplianceResourceId: arn,
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'SNS topic has no KmsMasterKeyId.',
      }),
    );
  });

  it('fails closed when Config has no item for an oversized notification', async () => {
    const arn = `arn:aws:sns:${region}:${MOTO_ACCOUNT}:${uniqueName('never-created')}`;
    const { handler, sent } = capturingHandler();
    await handler(oversizedEvent(topicItem(arn), { resultToken: 'TESTMODE' }), lambdaContext);
    expect(sent[0].input.Evaluations?.[0]).toEqual(
      expect.objectContaining({
        ComplianceResourceId: arn,
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringMatching(/could not evaluate/),
      }),
    );
  });

  it('assumes the member role through STS and reads and reports in the member account', async () => {
    // A topic that exists only in the member account: moto routes assumed-role credentials to the role's account.
    const assumed = await new STSClient(motoClientConfig(region)).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/ward-member`, RoleSessionName: 'fixture' }),
    );
    const c = assumed.Credentials;
    const memberSns = new SNSClient({
      ...motoClientConfig(region),
      credentials: {
        accessKeyId: c?.AccessKeyId as string,
        secretAccessKey: c?.SecretAccessKey as string,
        sessionToken: c?.SessionToken,
      },
    });
    const arn = await createTopic(memberSns, uniqueName('ward-member'));
    expect(arn).toContain(`:${MEMBER}:`);

    const { handler, sent } = capturingHandler();
    await handler(oversizedEvent(topicItem(arn, MEMBER), { resultToken: 'TESTMODE' }), lambdaContext);
    expect(sent).toHaveLength(1);
    expect(sent[0].accountId).toBe(MEMBER);
    expect(sent[0].input.Evaluations?.[0]).toEqual(
      expect.objectContaining({ ComplianceResourceId: arn, Annotation: 'SNS topic has no KmsMasterKeyId.' }),
    );
  });

  it('the encrypted-at-rest Lambda entry reports to moto with its default clients', async () => {
    const savedLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'silent'; // the entry's module-scope logger would write to the test output
    try {
      const { handler } = await import('../../rules/encrypted-at-rest/handler');
      const arn = await createTopic(sns, uniqueName('ward-entry'));
      await expect(
        handler(changeEvent(topicItem(arn), { resultToken: 'TESTMODE' }), lambdaContext),
      ).resolves.toBeUndefined();
      // Outside TestMode moto answers PutEvaluations with HTTP 500: proof the entry really called moto.
      await expect(handler(changeEvent(topicItem(arn)), lambdaContext)).rejects.toBeInstanceOf(EvaluationDeliveryError);
    } finally {
      if (savedLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = savedLevel;
    }
  });
});
