import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import {
  APIGatewayClient,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import type { ConfigServiceClient, PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { entryPointsAuthenticated } from '../../rules/entry-points-authenticated/rule';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import type { AnyRule } from '../../rules/runtime/types';
import { runScan } from '../../scan/run';
import { scheduledEvent } from '../fixtures/events/config-events';
import { captureLogger } from '../fixtures/events/fakes';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * The periodic path end to end against moto 5.2.5: a REST API with an open GET, an IAM-authorized POST and an
 * OPTIONS preflight; a REST API whose open health check is listed in publicRoutes; an HTTP API with an open
 * route; a function with an AuthType NONE URL. moto does not implement lambda:ListFunctionUrlConfigs (it answers
 * with an HTML 404), so the rule falls back to GetFunctionUrlConfig here and says alias URLs were not read; the
 * ListFunctionUrlConfigs path itself is covered by unit tests on the recorded real response shape
 * (test/fixtures/serverless/responses.ts).
 */

const region = motoRegion(__filename);
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');
const cfg = motoClientConfig(region);
let restore: () => void;
let openApi = '';
let healthApi = '';
let httpApi = '';
let fn = '';
let params: Record<string, unknown> = {};

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  const gw = new APIGatewayClient(cfg);
  const rest = async (name: string, methods: [string, string, string][]) => {
    const api = await gw.send(new CreateRestApiCommand({ name: uniqueName(name) }));
    const root = (await gw.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
    const made = new Map<string, string>();
    for (const [path, httpMethod, authorizationType] of methods) {
      let id = made.get(path);
      if (!id) {
        id = (await gw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: path })))
          .id as string;
        made.set(path, id);
      }
      await gw.send(new PutMethodCommand({ restApiId: api.id, resourceId: id, httpMethod, authorizationType }));
    }
    return api.id as string;
  };
  openApi = await rest('orders', [
    ['orders', 'GET', 'NONE'],
    ['orders', 'POST', 'AWS_IAM'],
    ['orders', 'OPTIONS', 'NONE'],
  ]);
  healthApi = await rest('status', [['health', 'GET', 'NONE']]);
  const v2 = new ApiGatewayV2Client(cfg);
  httpApi = (await v2.send(new CreateApiCommand({ Name: uniqueName('site'), ProtocolType: 'HTTP' }))).ApiId as string;
  await v2.send(new CreateRouteCommand({ ApiId: httpApi, RouteKey: 'GET /open', AuthorizationType: 'NONE' }));
  const role = await new IAMClient(cfg).send(
    new CreateRoleCommand({ RoleName: uniqueName('epa-role'), AssumeRolePolicyDocument: '{}' }),
  );
  fn = uniqueName('epa-webhook');
  const lambda = new LambdaClient(cfg);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: fn,
      Runtime: 'nodejs22.x',
      Role: role.Role?.Arn,
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP },
    }),
  );
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn, AuthType: 'NONE' }));
  params = { publicRoutes: [{ pattern: `${healthApi}:GET /health`, reason: 'load balancer health check' }] };
});
afterAll(() => restore());

type Verdict = { type?: string; id?: string; compliance?: string; annotation?: string };

function expectVerdicts(byId: Map<string, Verdict>): void {
  expect(byId.get(openApi)).toMatchObject({ type: 'AWS::ApiGateway::RestApi', compliance: 'NON_COMPLIANT' });
  expect(byId.get(openApi)?.annotation).toMatch(/^GET \/orders .*no authorization/);
  expect(byId.get(healthApi)).toMatchObject({ compliance: 'NOT_APPLICABLE' });
  expect(byId.get(healthApi)?.annotation).toContain('load balancer health check');
  expect(byId.get(httpApi)).toMatchObject({ type: 'AWS::ApiGatewayV2::Api', compliance: 'NON_COMPLIANT' });
  expect(byId.get(httpApi)?.annotation).toMatch(/^GET \/open of HTTP API/);
  expect(byId.get(fn)).toMatchObject({ type: 'AWS::Lambda::Function', compliance: 'NON_COMPLIANT' });
  expect(byId.get(fn)?.annotation).toMatch(/^Alias URLs were not read.*has AuthType/);
}

describe('entry-points-authenticated against moto', () => {
  it('judges every entry point through the periodic Lambda handler, in TestMode', async () => {
    const sent: PutEvaluationsCommandInput[] = [];
    const handler = createConfigRuleHandler(entryPointsAuthenticated as AnyRule, {
      logger: captureLogger().logger,
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
    await handler(
      scheduledEvent({
        accountId: MOTO_ACCOUNT,
        resultToken: 'TESTMODE',
        ruleParameters: params,
        configRuleName: 'ward-entry-points-authenticated',
      }),
      { invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-entry-points-authenticated` },
    );
    const evaluations = sent.flatMap((s) => s.Evaluations ?? []);
    expect(evaluations.some((e) => e.ComplianceResourceType === 'AWS::::Account')).toBe(false);
    expectVerdicts(
      new Map(
        evaluations.map((e) => [
          e.ComplianceResourceId as string,
          {
            type: e.ComplianceResourceType,
            compliance: e.ComplianceType,
            annotation: e.Annotation,
          },
        ]),
      ),
    );
  });

  it('judges the same from `ward scan --live` with --params', async () => {
    const chunks: string[] = [];
    const stdout = new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'ward-epa-')), 'params.json');
    writeFileSync(file, JSON.stringify({ 'entry-points-authenticated': params }));
    const code = await runScan(
      [],
      {
        live: true,
        rules: 'entry-points-authenticated',
        format: 'json',
        region,
        params: file,
        failOn: 'non-compliant',
      },
      { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: process.env },
    );
    expect(code).toBe(1);
    const report = JSON.parse(chunks.join(''));
    expect(report.summary.errors).toEqual([]);
    // One finding on the REST API: the open GET; the IAM-authorized POST and the OPTIONS preflight are none.
    const rest = report.evaluations.find((e: { resourceId: string }) => e.resourceId === openApi);
    expect(
      rest.findings.map((f: { code: string; message: string }) => [f.code, f.message.split(' of API')[0]]),
    ).toEqual([['open-method', 'GET /orders']]);
    expect(rest.findings[0].severity).toBe('high');
    expectVerdicts(
      new Map(
        report.evaluations.map(
          (e: { resourceType: string; resourceId: string; compliance: string; annotation: string }) => [
            e.resourceId,
            { type: e.resourceType, compliance: e.compliance, annotation: e.annotation },
          ],
        ),
      ),
    );
  });
});
