/*
 * The serverless rules on templates: REST methods, HTTP/WebSocket routes and function URLs judged by
 * entry-points-authenticated's own judges, stages by entry-points-logged, functions by lambda-runtime-supported,
 * each finding on the line of its resource or property, in CloudFormation (YAML short form and JSON) and in a
 * Terraform plan; unknown values are reported at their worst, never compliant.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../../rules';
import { controlRefs } from '../../../../rules/runtime/controls';
import { loadTemplates } from '../../../../scan/inputs/template-sources';
import { tempDir } from '../scan-harness';
import { judgeAll, type LocatedEvaluation, plannedResource, writePlanFile } from './judge-harness';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'templates', 'serverless');
const YAML = join(DIR, 'api.yaml');
const JSON_TEMPLATE = join(DIR, 'api.json');
const PLAN = join(DIR, 'plan.json');

const PUBLIC = {
  'entry-points-authenticated': {
    publicRoutes: [
      { pattern: 'PetsApi:GET /health', reason: 'load balancer health check' },
      { pattern: 'pets:GET /health', reason: 'load balancer health check' },
      { pattern: 'pets-webhook', reason: 'signed webhook' },
    ],
  },
};

/** The 1-based line of a resource (`  Id:` or `"Id": {`) in a template, or of its first `prop` line after it. */
function lineOf(file: string, id: string, prop?: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l === `  ${id}:` || l.trimStart().startsWith(`"${id}": {`));
  if (start < 0) throw new Error(`${id} not in ${file}`);
  if (!prop) return start + 1;
  const at = lines.findIndex((l, i) => i > start && (l.trimStart().startsWith(`${prop}:`) || l.includes(`"${prop}":`)));
  return at + 1;
}

async function judged(
  path: string,
  kind: 'cloudformation' | 'terraform-plan',
  params: Record<string, unknown> = PUBLIC,
) {
  const { items, notes, problems } = loadTemplates([{ kind, path }]);
  expect(problems).toEqual([]);
  const results = await judgeAll(items, params);
  return { notes, results, by: (rule: string, id: string, type?: string) => pick(results, rule, id, type) };
}

function pick(results: { rule: string; e: LocatedEvaluation }[], rule: string, id: string, type?: string) {
  const found = results.filter((r) => r.rule === rule && r.e.resourceId === id && (!type || r.e.resourceType === type));
  expect(found).toHaveLength(1);
  return found[0].e;
}

const summary = (e: LocatedEvaluation) => [e.compliance, ...e.findings.map((f) => f.code)].join(' ');

describe('entry points and stages in a CloudFormation YAML template (short-form tags, no SAM)', () => {
  it.each([
    ['entry-points-authenticated', 'ListPets', 'NON_COMPLIANT open-method', 'AuthorizationType'],
    ['entry-points-authenticated', 'CreatePet', 'COMPLIANT', undefined],
    ['entry-points-authenticated', 'PetsPreflight', 'NOT_APPLICABLE', undefined],
    ['entry-points-authenticated', 'Health', 'NOT_APPLICABLE', undefined],
    ['entry-points-authenticated', 'DeletePets', 'NON_COMPLIANT open-method', 'AuthorizationType'],
    ['entry-points-authenticated', 'ListItems', 'NON_COMPLIANT open-route', undefined],
    ['entry-points-authenticated', 'CreateItem', 'COMPLIANT', undefined],
    ['entry-points-authenticated', 'ReportUrl', 'NON_COMPLIANT open-function-url', 'AuthType'],
    ['entry-points-authenticated', 'WebhookUrl', 'NOT_APPLICABLE', undefined],
    ['entry-points-authenticated', 'IamUrl', 'COMPLIANT', undefined],
    ['entry-points-logged', 'PetsProd', 'NON_COMPLIANT access-log-missing', undefined],
    ['entry-points-logged', 'PetsBeta', 'COMPLIANT', undefined],
    ['entry-points-logged', 'ItemsStage', 'NON_COMPLIANT access-log-missing', undefined],
    ['lambda-runtime-supported', 'ReportFn', 'NON_COMPLIANT runtime-deprecated', 'Runtime'],
    ['lambda-runtime-supported', 'PetsFn', 'COMPLIANT', undefined],
  ])('%s judges %s %s, on its line', async (rule, id, verdict, prop) => {
    const { by } = await judged(YAML, 'cloudformation');
    const e = by(rule, id);
    expect(summary(e)).toBe(verdict);
    expect(e.location).toMatchObject({ file: YAML, line: lineOf(YAML, id, prop), logicalId: id });
  });

  it('maps an open route to APIGateway.8 on the route resource of templates as on the API that live scans report it on', () => {
    const rule = rules.find((r) => r.meta.id === 'entry-points-authenticated');
    expect(controlRefs(rule?.meta.controls, 'open-route', 'AWS::ApiGatewayV2::Route')).toEqual([
      'aws-fsbp:APIGateway.8',
      'nist-800-53-r5:AC-3',
    ]);
    expect(controlRefs(rule?.meta.controls, 'open-route', 'AWS::ApiGatewayV2::Api')).toContain('aws-fsbp:APIGateway.8');
  });

  it('reports each entry point as its own resource, named by its type and logical id', async () => {
    const { by } = await judged(YAML, 'cloudformation');
    expect(by('entry-points-authenticated', 'ListPets').resourceType).toBe('AWS::ApiGateway::Method');
    expect(by('entry-points-authenticated', 'ListItems').resourceType).toBe('AWS::ApiGatewayV2::Route');
    expect(by('entry-points-authenticated', 'ReportUrl').resourceType).toBe('AWS::Lambda::Url');
    expect(by('entry-points-authenticated', 'ListPets').findings[0]?.message).toMatch(/^GET \/pets of API pets has no/);
  });

  it('says why an OPTIONS method and a public-by-intent endpoint are not findings', async () => {
    const { by } = await judged(YAML, 'cloudformation');
    expect(by('entry-points-authenticated', 'PetsPreflight').annotation).toMatch(/CORS preflight/);
    expect(by('entry-points-authenticated', 'Health').annotation).toBe(
      'Public by intent (publicRoutes): GET /health (load balancer health check).',
    );
    expect(by('entry-points-authenticated', 'WebhookUrl').annotation).toMatch(/pets-webhook \(signed webhook\)/);
  });

  it('judges the health check open when publicRoutes does not list it', async () => {
    const { by } = await judged(YAML, 'cloudformation', {});
    expect(summary(by('entry-points-authenticated', 'Health'))).toBe('NON_COMPLIANT open-method');
    expect(summary(by('entry-points-authenticated', 'WebhookUrl'))).toBe('NON_COMPLIANT open-function-url');
  });

  it('reports an AuthorizationType from a parameter without a default as unknown, at its worst, never compliant', async () => {
    const { by } = await judged(YAML, 'cloudformation');
    expect(by('entry-points-authenticated', 'DeletePets').findings[0]?.message).toMatch(
      /^Unknown before deploy \(AuthorizationType \{\{unresolved:Ref MethodAuth \(no default\)\}\} may be NONE\): DELETE \/pets/,
    );
  });
});

describe('entry points and stages in a CloudFormation JSON template', () => {
  it.each([
    ['entry-points-authenticated', 'PrivateGet', 'AWS::ApiGateway::Method', 'COMPLIANT', 'PrivateGet', undefined],
    [
      'entry-points-authenticated',
      'GetOrder',
      'AWS::ApiGateway::Method',
      'NON_COMPLIANT open-method',
      'GetOrder',
      'AuthorizationType',
    ],
    ['entry-points-authenticated', 'KeyedOrders', 'AWS::ApiGateway::Method', 'COMPLIANT', 'KeyedOrders', undefined],
    [
      'entry-points-authenticated',
      'OrderPreflight',
      'AWS::ApiGateway::Method',
      'NOT_APPLICABLE',
      'OrderPreflight',
      undefined,
    ],
    [
      'entry-points-logged',
      'PublicDeployment',
      'AWS::ApiGateway::Stage',
      'NON_COMPLIANT access-log-missing execution-log-off',
      'PublicDeployment',
      undefined,
    ],
    [
      'entry-points-authenticated',
      'QuickApi',
      'AWS::ApiGatewayV2::Route',
      'NON_COMPLIANT open-route',
      'QuickApi',
      undefined,
    ],
    [
      'entry-points-logged',
      'QuickApi',
      'AWS::ApiGatewayV2::Stage',
      'NON_COMPLIANT access-log-missing',
      'QuickApi',
      undefined,
    ],
    [
      'entry-points-authenticated',
      'ChatApi',
      'AWS::ApiGatewayV2::Api',
      'NON_COMPLIANT open-route',
      'ChatApi',
      undefined,
    ],
    ['entry-points-authenticated', 'ChatSend', 'AWS::ApiGatewayV2::Route', 'NOT_APPLICABLE', 'ChatSend', undefined],
    [
      'entry-points-authenticated',
      'ReportUrl',
      'AWS::Lambda::Url',
      'NON_COMPLIANT open-function-url',
      'ReportUrl',
      'AuthType',
    ],
  ])('%s judges %s (%s) %s', async (rule, id, type, verdict, at, prop) => {
    const { by, notes } = await judged(JSON_TEMPLATE, 'cloudformation');
    expect(notes).toEqual([]);
    const e = by(rule, id, type);
    expect(summary(e)).toBe(verdict);
    expect(e.location?.line).toBe(lineOf(JSON_TEMPLATE, at, prop));
  });

  it('follows nested resources to the full path, and says when a resource policy limits an open method', async () => {
    const { by } = await judged(JSON_TEMPLATE, 'cloudformation');
    expect(by('entry-points-authenticated', 'GetOrder').findings[0]?.message).toMatch(
      /^GET \/orders\/\{orderId\} of API public/,
    );
    expect(by('entry-points-authenticated', 'PrivateGet').annotation).toMatch(
      /limited by the resource policy \(a Deny outside aws:SourceVpce\)/,
    );
  });

  it('names the alias of a function URL with a Qualifier, and the WebSocket API that has no $connect', async () => {
    const { by } = await judged(JSON_TEMPLATE, 'cloudformation');
    expect(by('entry-points-authenticated', 'ReportUrl').findings[0]?.message).toMatch(
      /^The function URL of alias live/,
    );
    expect(by('entry-points-authenticated', 'ChatApi').findings[0]?.message).toMatch(
      /WebSocket API chat has no \$connect route/,
    );
  });
});

/** A template of the given resources (and parameters, conditions) written to a file. */
function template(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const path = join(tempDir(), 'template.json');
  writeFileSync(
    path,
    JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', ...extra, Resources: resources }, null, 2),
  );
  return path;
}

const API = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } };
const method = (props: Record<string, unknown>) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: {
    RestApiId: { Ref: 'Api' },
    ResourceId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
    HttpMethod: 'GET',
    Integration: { Type: 'MOCK' },
    ...props,
  },
});

/** A REST stage of API abc123 with these properties over the defaults. */
const restStage = (props: Record<string, unknown>) => ({
  Type: 'AWS::ApiGateway::Stage',
  Properties: { RestApiId: 'abc123', DeploymentId: 'dep123', StageName: 'prod', ...props },
});
const ACCESS_LOGS = {
  DestinationArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:api',
  Format: '$context.requestId',
};

describe('values a template leaves unknown, and what ward assumes', () => {
  it.each([
    [
      'an API key flag from a parameter without a default',
      { Api: API, Get: method({ AuthorizationType: 'NONE', ApiKeyRequired: { Ref: 'NeedKey' } }) },
      { Parameters: { NeedKey: { Type: 'String', AllowedValues: ['true', 'false'] } } },
      /^Unknown before deploy \(ApiKeyRequired .* may be false\): GET \/ of API api/,
    ],
    [
      'a resource policy whose VPC endpoint comes from a parameter without a default',
      {
        Api: {
          Type: 'AWS::ApiGateway::RestApi',
          Properties: {
            Name: 'api',
            Policy: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
                {
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource: 'execute-api:/*',
                  Condition: { StringNotEquals: { 'aws:SourceVpce': { Ref: 'Vpce' } } },
                },
              ],
            },
          },
        },
        Get: method({ AuthorizationType: 'NONE' }),
      },
      { Parameters: { Vpce: { Type: 'String' } } },
      /^Unknown before deploy \(the resource policy holds values unknown before deploy, taken as "\*"\): GET \/ of API api .*allows "\*" without a limiting condition/,
    ],
    [
      'an API imported from another stack (its resource policy is not in the template)',
      {
        Get: method({
          RestApiId: { 'Fn::ImportValue': 'shared-api' },
          ResourceId: 'abc123',
          AuthorizationType: 'NONE',
        }),
      },
      {},
      /the resource policy of API .* which is not in the input, is judged as none\): GET \/\{resource outside the template\}/,
    ],
    [
      'a function URL AuthType from a parameter without a default',
      {
        Url: {
          Type: 'AWS::Lambda::Url',
          Properties: {
            TargetFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f',
            AuthType: { Ref: 'Auth' },
          },
        },
      },
      { Parameters: { Auth: { Type: 'String' } } },
      /^Unknown before deploy \(AuthType .* may be NONE\): The function URL of f has AuthType NONE/,
    ],
    [
      'an HTTP route AuthorizationType from a parameter without a default',
      {
        Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'http', ProtocolType: 'HTTP' } },
        Route: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ApiId: { Ref: 'Http' }, RouteKey: 'GET /x', AuthorizationType: { Ref: 'Auth' } },
        },
      },
      { Parameters: { Auth: { Type: 'String' } } },
      /^Unknown before deploy \(AuthorizationType .* may be NONE\): GET \/x of HTTP API http/,
    ],
    [
      'a WebSocket route key from a parameter without a default (it may be $connect)',
      {
        Chat: {
          Type: 'AWS::ApiGatewayV2::Api',
          Properties: { Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' },
        },
        Connect: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ApiId: { Ref: 'Chat' }, RouteKey: '$connect', AuthorizationType: 'AWS_IAM' },
        },
        Other: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ApiId: { Ref: 'Chat' }, RouteKey: { Ref: 'Key' }, AuthorizationType: 'NONE' },
        },
      },
      { Parameters: { Key: { Type: 'String' } } },
      /^Unknown before deploy \(RouteKey .* may be \$connect\): \$connect of WebSocket API chat has authorizationType NONE/,
    ],
    [
      'an HTTP route key that is not a string',
      {
        Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'http', ProtocolType: 'HTTP' } },
        Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Http' }, RouteKey: 42 } },
      },
      {},
      /^Route 0 of API Http has no readable RouteKey\.$/,
    ],
  ])('%s is reported, never compliant, saying what could not be known', async (_name, resources, extra, message) => {
    const { results } = await judged(template(resources, extra), 'cloudformation', {});
    const open = results.filter((r) => r.rule === 'entry-points-authenticated' && r.e.compliance === 'NON_COMPLIANT');
    expect(open).toHaveLength(1);
    expect(open[0]?.e.findings[0]?.message).toMatch(message);
  });

  it('reports an AuthorizationType that is not a string as unreadable, never as authenticated', async () => {
    const { by } = await judged(template({ Api: API, Get: method({ AuthorizationType: 5 }) }), 'cloudformation', {});
    const e = by('entry-points-authenticated', 'Get');
    expect(summary(e)).toBe('NON_COMPLIANT unreadable-configuration');
    expect(e.findings[0]?.message).toBe('GET /: authorizationType is a number.');
  });

  it('reports an entry point the judges cannot read as an evaluation error, not dropped', async () => {
    const { items } = loadTemplates([
      { kind: 'cloudformation', path: template({ Api: API, Get: method({ AuthorizationType: 'NONE' }) }) },
    ]);
    const broken = items.map((t) =>
      t.item.resourceType === 'AWS::ApiGateway::Method'
        ? { ...t, item: { ...t.item, configuration: { ...t.item.configuration, aliases: 5 } } }
        : t,
    );
    const e = pick(await judgeAll(broken), 'entry-points-authenticated', 'Get');
    expect(summary(e)).toBe('NON_COMPLIANT evaluation-error');
  });

  it('judges both branches of an Fn::If AuthorizationType and names the open one', async () => {
    const path = template(
      { Api: API, Get: method({ AuthorizationType: { 'Fn::If': ['IsProd', 'AWS_IAM', 'NONE'] } }) },
      {
        Parameters: { Env: { Type: 'String', Default: 'dev' } },
        Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      },
    );
    const { by } = await judged(path, 'cloudformation', {});
    const e = by('entry-points-authenticated', 'Get');
    expect(summary(e)).toBe('NON_COMPLIANT open-method');
    expect(e.location?.branch).toBe('IsProd=false');
    expect(e.findings[0]?.message).toMatch(/^\[IsProd=false\] GET \/ of API api/);
  });

  it('reads a method override that turns execution logging off, by GetStage key', async () => {
    const path = template({
      Stage: restStage({
        AccessLogSetting: ACCESS_LOGS,
        MethodSettings: [
          { ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'INFO' },
          { ResourcePath: '/~1pets', HttpMethod: 'GET', LoggingLevel: 'OFF' },
        ],
      }),
    });
    const { by } = await judged(path, 'cloudformation', {});
    const e = by('entry-points-logged', 'Stage');
    expect(summary(e)).toBe('NON_COMPLIANT execution-log-off');
    expect(e.findings[0]?.message).toBe('Stage prod turns execution logging off for ~1pets/GET.');
    expect(e.location?.line).toBe(lineOf(path, 'Stage', 'MethodSettings'));
  });

  it('points at the access-log setting without a destination, and at the StageDescription of a deployment', async () => {
    const path = template({
      Stage: restStage({
        AccessLogSetting: { Format: '$context.requestId' },
        MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'ERROR' }],
      }),
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: { RestApiId: 'abc123', StageName: 'live', StageDescription: { LoggingLevel: 'INFO' } },
      },
    });
    const { by } = await judged(path, 'cloudformation', {});
    const stage = by('entry-points-logged', 'Stage');
    expect(stage.findings[0]?.message).toMatch(/has access-log settings but no destination/);
    expect(stage.location?.line).toBe(lineOf(path, 'Stage', 'AccessLogSetting'));
    const deployment = by('entry-points-logged', 'Deployment');
    expect(summary(deployment)).toBe('NON_COMPLIANT access-log-missing');
    expect(deployment.location?.line).toBe(lineOf(path, 'Deployment', 'StageDescription'));
  });

  it('points a resource policy that cannot be read at the API that holds it', async () => {
    const path = template({
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api', Policy: 'not a policy' } },
      Get: method({ AuthorizationType: 'AWS_IAM' }),
    });
    const { by } = await judged(path, 'cloudformation', {});
    const e = by('entry-points-authenticated', 'Get');
    expect(summary(e)).toBe('NON_COMPLIANT unreadable-configuration');
    expect(e.location?.line).toBe(lineOf(path, 'Api'));
  });

  it('takes the stage a deployment creates from its StageDescription', async () => {
    const path = template({
      Deployment: {
        Type: 'AWS::ApiGateway::Deployment',
        Properties: {
          RestApiId: 'abc123',
          StageName: 'live',
          StageDescription: { AccessLogSetting: ACCESS_LOGS, LoggingLevel: 'ERROR' },
        },
      },
      Plain: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: 'abc123' } },
    });
    const { results, by } = await judged(path, 'cloudformation', {});
    expect(summary(by('entry-points-logged', 'Deployment'))).toBe('COMPLIANT');
    expect(results.filter((r) => r.e.resourceId === 'Plain')).toEqual([]);
  });

  it('leaves a container-image function NOT_APPLICABLE rather than asking it for a runtime', async () => {
    const path = template({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          PackageType: 'Image',
          Code: { ImageUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1' },
          Role: 'arn:aws:iam::111122223333:role/r',
        },
      },
    });
    const { by } = await judged(path, 'cloudformation', {});
    expect(by('lambda-runtime-supported', 'Fn').compliance).toBe('NOT_APPLICABLE');
  });

  it('says an API defined by an OpenAPI body was not judged (the scan is incomplete)', async () => {
    const path = template({
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api', Body: { openapi: '3.0.1', paths: {} } } },
    });
    const { notes } = await judged(path, 'cloudformation', {});
    expect(notes).toEqual([
      `${path}: AWS::ApiGateway::RestApi Api defines its methods in an OpenAPI definition (Body/BodyS3Location); its methods were not judged`,
    ]);
  });
});

describe('entry points and stages in a Terraform plan', () => {
  it.each([
    ['entry-points-authenticated', 'aws_api_gateway_method.list_pets', 'NON_COMPLIANT open-method'],
    ['entry-points-authenticated', 'aws_api_gateway_method.create_pet', 'COMPLIANT'],
    ['entry-points-authenticated', 'aws_api_gateway_method.pets_preflight', 'NOT_APPLICABLE'],
    ['entry-points-authenticated', 'aws_api_gateway_method.health', 'NOT_APPLICABLE'],
    ['entry-points-authenticated', 'aws_api_gateway_method.delete_pets', 'NON_COMPLIANT open-method'],
    ['entry-points-authenticated', 'aws_apigatewayv2_route.list_items', 'NON_COMPLIANT open-route'],
    ['entry-points-authenticated', 'aws_apigatewayv2_route.create_item', 'COMPLIANT'],
    ['entry-points-authenticated', 'aws_lambda_function_url.report', 'NON_COMPLIANT open-function-url'],
    ['entry-points-authenticated', 'aws_lambda_function_url.webhook', 'NOT_APPLICABLE'],
    ['entry-points-logged', 'aws_api_gateway_stage.prod', 'NON_COMPLIANT access-log-missing'],
    ['entry-points-logged', 'aws_apigatewayv2_stage.default', 'NON_COMPLIANT access-log-missing'],
    ['lambda-runtime-supported', 'aws_lambda_function.report', 'NON_COMPLIANT runtime-deprecated'],
  ])('%s judges %s %s, at its address', async (rule, address, verdict) => {
    const { by, notes } = await judged(PLAN, 'terraform-plan');
    expect(notes).toEqual([]);
    const e = by(rule, address);
    expect(summary(e)).toBe(verdict);
    const text = readFileSync(PLAN, 'utf8').split('\n');
    expect(text[(e.location?.line ?? 0) - 1]).toContain(`"address": "${address}"`);
  });

  it('follows aws_api_gateway_resource to the path, and the method settings to their stage', async () => {
    const { by } = await judged(PLAN, 'terraform-plan');
    expect(by('entry-points-authenticated', 'aws_api_gateway_method.list_pets').findings[0]?.message).toMatch(
      /^GET \/pets of API pets has no authorization/,
    );
    // The stage's method settings (logging ERROR for */*) come from aws_api_gateway_method_settings.all.
    expect(by('entry-points-logged', 'aws_api_gateway_stage.prod').findings.map((f) => f.code)).toEqual([
      'access-log-missing',
    ]);
  });

  it('reports an authorization known only after apply as unknown at its worst', async () => {
    const { by } = await judged(PLAN, 'terraform-plan');
    expect(by('entry-points-authenticated', 'aws_api_gateway_method.delete_pets').findings[0]?.message).toMatch(
      /^Unknown before deploy \(AuthorizationType .*delete_pets\.authorization \(known after apply\).* may be NONE\)/,
    );
  });

  it('says a REST API defined by an OpenAPI body was not judged', async () => {
    const path = writePlanFile({
      resources: [
        plannedResource('aws_api_gateway_rest_api', 'spec', {
          name: 'spec',
          body: '{"openapi":"3.0.1","paths":{"/":{"get":{}}}}',
        }),
      ],
    });
    const { notes } = await judged(path, 'terraform-plan', {});
    expect(notes).toEqual([
      `${path}: aws_api_gateway_rest_api.spec defines its methods in an OpenAPI body; its methods were not judged`,
    ]);
  });

  it('builds the stage of a deployment, a quick-create API and a WebSocket API without $connect from a plan', async () => {
    const path = writePlanFile({
      resources: [
        plannedResource('aws_api_gateway_deployment', 'v1', { rest_api_id: 'a1b2c3', stage_name: 'v1' }),
        plannedResource('aws_api_gateway_deployment', 'plain', { rest_api_id: 'a1b2c3', stage_name: null }),
        plannedResource('aws_apigatewayv2_api', 'quick', {
          name: 'quick',
          protocol_type: 'HTTP',
          target: 'arn:aws:lambda:eu-west-1:111122223333:function:quick',
        }),
        plannedResource('aws_apigatewayv2_api', 'chat', { name: 'chat', protocol_type: 'WEBSOCKET' }),
        plannedResource('aws_lambda_function_url', 'live', {
          function_name: 'arn:aws:lambda:eu-west-1:111122223333:function:reports',
          qualifier: 'live',
          authorization_type: 'NONE',
        }),
      ],
    });
    const { results } = await judged(path, 'terraform-plan', {});
    const rows = results
      .filter((r) => r.rule.startsWith('entry-points'))
      .map((r) => `${r.e.resourceType} ${r.e.resourceId} ${summary(r.e)}`)
      .sort();
    expect(rows).toEqual([
      'AWS::ApiGateway::Stage aws_api_gateway_deployment.v1 NON_COMPLIANT access-log-missing execution-log-off',
      'AWS::ApiGatewayV2::Api aws_apigatewayv2_api.chat NON_COMPLIANT open-route',
      'AWS::ApiGatewayV2::Route aws_apigatewayv2_api.quick NON_COMPLIANT open-route',
      'AWS::ApiGatewayV2::Stage aws_apigatewayv2_api.quick NON_COMPLIANT access-log-missing',
      'AWS::Lambda::Url aws_lambda_function_url.live NON_COMPLIANT open-function-url',
    ]);
    const url = results.find((r) => r.e.resourceId === 'aws_lambda_function_url.live');
    expect(url?.e.findings[0]?.message).toMatch(/^The function URL of alias live/);
  });
});
