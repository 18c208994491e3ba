import { PassThrough, Writable } from 'node:stream';
import type { ConfigServiceClient, PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { runScan } from '../../scan/run';
import { collectFunctions } from '../../rules/credentials-not-shared/inventory';
import { credentialsNotShared } from '../../rules/credentials-not-shared/rule';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import { createRuleContext } from '../../rules/runtime/rule-context';
import type { AnyRule } from '../../rules/runtime/types';
import { VANISHED_REASON } from '../../rules/runtime/periodic-cleanup';
import { SCHEDULED_AT, scheduledEvent } from '../fixtures/events/config-events';
import { captureLogger } from '../fixtures/events/fakes';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * The periodic path end to end against moto: Lambda functions created from a zip (no Docker needed; the role
 * must exist in moto IAM) with environment variables, read back through lambda:ListFunctions, tags through the
 * Resource Groups Tagging API (moto 5.2.5 implements it for Lambda, so the bulk path runs here; the ListTags
 * fallback is covered by a unit test with a fake client), and PutEvaluations sent in TestMode.
 */

const region = motoRegion(__filename);
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');
// Fakes in the real formats; the test asserts that they never leave the rule.
const GITHUB = 'ghp_Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8';
const DB_PASSWORD = 'Xk9#mP2$vL7qR4nT-ks';
const STRIPE = 'sk_live_Ks4eC39HqLyjWDarjtT1zdp7';
const params = { componentTagKey: 'component' };

let restore: () => void;
beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

/** Invokes the rule's handler with Config's scheduled notification for this account, in TestMode. */
function runScheduled(handler: ReturnType<typeof createConfigRuleHandler>): Promise<void> {
  return handler(
    scheduledEvent({
      accountId: MOTO_ACCOUNT,
      resultToken: 'TESTMODE',
      ruleParameters: params,
      configRuleName: 'ward-credentials-not-shared',
    }),
    {
      invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-credentials-not-shared`,
      awsRequestId: 'integration',
    },
  );
}

const iam = new IAMClient(motoClientConfig(region));
const lambda = new LambdaClient(motoClientConfig(region));

async function createRole(): Promise<string> {
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: uniqueName('ks-fn-role'),
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  return Role?.Arn as string;
}

async function createFunction(role: string, variables: Record<string, string>, component: string): Promise<string> {
  const name = uniqueName('ks-fn');
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP },
      Environment: { Variables: variables },
      Tags: { component },
    }),
  );
  return name;
}

describe('credentials-not-shared against moto', () => {
  let orders: string;
  let billing: string;
  let clean: string;
  let rotated: string;
  let sharedRole: string;
  beforeAll(async () => {
    sharedRole = await createRole();
    const ownRole = await createRole();
    orders = await createFunction(sharedRole, { GITHUB_TOKEN: GITHUB, TABLE_NAME: 'orders' }, 'orders');
    billing = await createFunction(sharedRole, { CI_TOKEN: GITHUB, DB_PASSWORD }, 'billing');
    clean = await createFunction(ownRole, { DB_PASSWORD: '/prod/db/password', LOG_LEVEL: 'info' }, 'reports');
    // A credential moved to SSM in $LATEST but still in published version 1.
    rotated = await createFunction(await createRole(), { STRIPE_KEY: STRIPE }, 'payments');
    await lambda.send(new PublishVersionCommand({ FunctionName: rotated }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: rotated,
        Environment: { Variables: { STRIPE_KEY: '/payments/stripe-key' } },
      }),
    );
  });

  it('reads environments and tags in bulk (moto implements tag:GetResources for Lambda)', async () => {
    const ctx = createRuleContext({
      mode: 'live',
      accountId: MOTO_ACCOUNT,
      region,
      keys: { describe: async () => undefined },
    });
    const functions = (await collectFunctions(ctx, { componentTagKey: 'component', needAllTags: false })).filter((f) =>
      [orders, billing, clean].includes(f.name),
    );
    expect(functions.map((f) => [f.name, f.tags.component, f.credentials.map((c) => c.variable)]).sort()).toEqual(
      [
        [orders, 'orders', ['GITHUB_TOKEN']],
        [billing, 'billing', ['CI_TOKEN', 'DB_PASSWORD']],
        [clean, 'reports', []],
      ].sort(),
    );
  });

  it('runs the periodic path through the real handler and sends one evaluation per function in TestMode', async () => {
    const sent: PutEvaluationsCommandInput[] = [];
    const log = captureLogger();
    const handler = createConfigRuleHandler(credentialsNotShared as AnyRule, {
      logger: log.logger,
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
    await runScheduled(handler);

    const evaluations = sent.flatMap((s) => s.Evaluations ?? []);
    expect(sent.every((s) => s.TestMode === true && s.ResultToken === 'TESTMODE')).toBe(true);
    const ours = evaluations.filter((e) =>
      [orders, billing, clean, rotated].includes(e.ComplianceResourceId as string),
    );
    expect(
      ours.map((e) => [e.ComplianceResourceType, e.ComplianceResourceId, e.ComplianceType, e.OrderingTimestamp]).sort(),
    ).toEqual(
      [
        ['AWS::Lambda::Function', orders, 'NON_COMPLIANT', new Date(SCHEDULED_AT)],
        ['AWS::Lambda::Function', billing, 'NON_COMPLIANT', new Date(SCHEDULED_AT)],
        ['AWS::Lambda::Function', clean, 'COMPLIANT', new Date(SCHEDULED_AT)],
        ['AWS::Lambda::Function', rotated, 'NON_COMPLIANT', new Date(SCHEDULED_AT)],
      ].sort(),
    );
    const ordersEval = ours.find((e) => e.ComplianceResourceId === orders);
    expect(ordersEval?.Annotation).toContain(`The credential in GITHUB_TOKEN is also in function ${billing}`);
    expect(ours.find((e) => e.ComplianceResourceId === rotated)?.Annotation).toMatch(
      /^STRIPE_KEY holds a Stripe live key in plaintext in published version 1 only/,
    );
    const everything = JSON.stringify(sent) + log.text();
    expect(everything).not.toContain(GITHUB);
    expect(everything).not.toContain(DB_PASSWORD);
    expect(everything).not.toContain(STRIPE);
  });

  it('reports a function deleted since the last run NOT_APPLICABLE, at the notification time', async () => {
    /*
     * moto stores nothing from PutEvaluations (TestMode only) and lacks GetComplianceDetailsByConfigRule (500),
     * so the Config client here is the real SDK client with a middleware that answers that one operation from
     * the evaluations the first run delivered; Lambda is moto's.
     */
    const retired = await createFunction(await createRole(), { LOG_LEVEL: 'info' }, 'retired');
    const delivered: { ComplianceResourceType?: string; ComplianceResourceId?: string; ComplianceType?: string }[] = [];
    const sent: PutEvaluationsCommandInput[] = [];
    const handler = createConfigRuleHandler(credentialsNotShared as AnyRule, {
      logger: captureLogger().logger,
      configClient: (target: AccountTarget) => {
        const client: ConfigServiceClient = defaultConfigClient(target);
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'GetComplianceDetailsByConfigRuleCommand') {
              const EvaluationResults = delivered.map((e) => ({
                ComplianceType: e.ComplianceType,
                EvaluationResultIdentifier: {
                  EvaluationResultQualifier: {
                    ConfigRuleName: 'ward-credentials-not-shared',
                    ResourceType: e.ComplianceResourceType,
                    ResourceId: e.ComplianceResourceId,
                  },
                },
              }));
              return { output: { EvaluationResults, $metadata: {} }, response: {} } as never;
            }
            if (context.commandName === 'PutEvaluationsCommand') sent.push(args.input as PutEvaluationsCommandInput);
            return next(args);
          },
          { step: 'initialize', name: 'configMemory' },
        );
        return client;
      },
    });
    const run = async () => {
      sent.length = 0;
      await runScheduled(handler);
      return sent.flatMap((s) => s.Evaluations ?? []);
    };

    const first = await run();
    expect(first.find((e) => e.ComplianceResourceId === retired)?.ComplianceType).toBe('COMPLIANT');
    delivered.push(...first.filter((e) => e.ComplianceType !== 'NOT_APPLICABLE'));

    await lambda.send(new DeleteFunctionCommand({ FunctionName: retired }));
    const second = await run();
    expect(second.filter((e) => e.ComplianceResourceId === retired)).toEqual([
      {
        ComplianceResourceType: 'AWS::Lambda::Function',
        ComplianceResourceId: retired,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: VANISHED_REASON,
        OrderingTimestamp: new Date(SCHEDULED_AT),
      },
    ]);
    // Functions that still exist are judged again, not cleared.
    expect(second.find((e) => e.ComplianceResourceId === orders)?.ComplianceType).toBe('NON_COMPLIANT');
    expect(second.filter((e) => e.ComplianceType === 'NOT_APPLICABLE').map((e) => e.ComplianceResourceId)).toEqual([
      retired,
    ]);
  });

  it('runs from `ward scan --live --rules credentials-not-shared` with JSON output', async () => {
    const chunks: string[] = [];
    const stdout = new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const stderr = new PassThrough();
    const code = await runScan(
      [],
      { live: true, rules: 'credentials-not-shared', format: 'json', region, failOn: 'non-compliant' },
      { stdin: new PassThrough(), stdout, stderr, env: process.env },
    );
    const out = chunks.join('');
    expect(code).toBe(1);
    for (const name of [orders, billing]) expect(out).toContain(name);
    expect(out).toContain('shared-execution-role');
    expect(out).not.toContain(GITHUB);
    expect(out).not.toContain(DB_PASSWORD);
  });
});
