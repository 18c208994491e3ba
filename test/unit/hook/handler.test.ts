import { handleHookRequest, handler } from '../../../hook/handler';
import { MAX_MESSAGE } from '../../../hook/event';
import { defineRule } from '../../../rules/runtime';
import type { AnyRule } from '../../../rules/runtime/types';
import { z } from 'zod';

/** A resource-operation request as CloudFormation sends it to a Lambda hook (values arrive as strings). */
function request(
  targetType: string,
  logicalId: string,
  resourceProperties: Record<string, unknown>,
  point = 'CREATE_PRE_PROVISION',
) {
  return {
    clientRequestToken: 'f2a0c9b8-7e8d-4c5b-9a1e-2b3c4d5e6f70',
    awsAccountId: '111122223333',
    stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1a2345b6-0000-00a0-a123-00abc0abc000',
    changeSetId: null,
    hookTypeName: 'Ward::Compliance::Hook',
    hookTypeVersion: '00000001',
    hookModel: { LambdaFunction: 'arn:aws:lambda:eu-west-1:111122223333:function:ward-hook' },
    actionInvocationPoint: point,
    requestData: {
      targetName: targetType,
      targetType,
      targetLogicalId: logicalId,
      targetModel: { resourceProperties },
    },
    requestContext: { invocation: 1, callbackContext: null },
  };
}

const env = {};

describe('the CloudFormation Lambda hook', () => {
  it('lets an encrypted queue through with one PASSED annotation per rule that judged it', async () => {
    const r = await handleHookRequest(request('AWS::SQS::Queue', 'Jobs', { KmsMasterKeyId: 'alias/app' }), { env });
    expect(r.hookStatus).toBe('SUCCESS');
    expect(r.errorCode).toBeUndefined();
    expect(r.clientRequestToken).toBe('f2a0c9b8-7e8d-4c5b-9a1e-2b3c4d5e6f70');
    expect(r.annotations?.map((a) => [a.annotationName, a.status])).toEqual([
      ['ward-encrypted-at-rest', 'PASSED'],
      ['ward-no-public-principals', 'PASSED'],
    ]);
  });

  it('stops an unencrypted EBS volume with NonCompliant, naming the rule and finding code', async () => {
    const r = await handler(
      request('AWS::EC2::Volume', 'Scratch', { Size: '10', AvailabilityZone: 'eu-west-1a', Encrypted: 'false' }),
    );
    expect(r.hookStatus).toBe('FAILED');
    expect(r.errorCode).toBe('NonCompliant');
    expect(r.message).toMatch(/^ward: Scratch is not compliant: encrypted-at-rest\/unencrypted: /);
    const a = r.annotations?.find((x) => x.annotationName === 'ward-encrypted-at-rest');
    expect(a).toMatchObject({ status: 'FAILED', severityLevel: 'HIGH' });
    expect(a?.remediationLink).toMatch(/encrypted-at-rest\/README\.md$/);
    expect(a?.remediationMessage).toContain('encrypted at rest');
  });

  it("rates each failed annotation by its most severe finding's code, not by the rule", async () => {
    const trust = (principal: object, condition?: object) => ({
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: principal,
            Action: 'sts:AssumeRole',
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      },
    });
    const severityOf = async (properties: Record<string, unknown>) => {
      const r = await handleHookRequest(request('AWS::IAM::Role', 'Partner', properties), { env });
      expect(r.hookStatus).toBe('FAILED');
      return r.annotations?.find((a) => a.annotationName === 'ward-no-public-principals')?.severityLevel;
    };
    // Anyone may assume the role: public-principal, critical.
    expect(await severityOf(trust({ AWS: '*' }))).toBe('CRITICAL');
    // Another account may, without an external id: trust-without-external-id is medium, external-principal high.
    const other = await severityOf(trust({ AWS: 'arn:aws:iam::444455556666:root' }));
    expect(other).toBe('HIGH');
  });

  it('reads the string "true" CloudFormation sends as the boolean it stands for', async () => {
    const r = await handleHookRequest(request('AWS::EC2::Volume', 'Data', { Size: '10', Encrypted: 'true' }), { env });
    expect(r.hookStatus).toBe('SUCCESS');
  });

  it('judges a bucket policy on its bucket: a public grant fails even though the bucket is not in the request', async () => {
    const policy = {
      Bucket: 'app-assets',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-assets/*' }],
      },
    };
    const r = await handleHookRequest(request('AWS::S3::BucketPolicy', 'AssetsPolicy', policy), { env });
    expect(r.hookStatus).toBe('FAILED');
    expect(r.errorCode).toBe('NonCompliant');
    expect(r.message).toContain('no-public-principals/public-principal');
    // The stand-in bucket's own settings are not judged: only the policy's findings count.
    expect(r.message).not.toContain('encrypted-at-rest');
  });

  it('lets a Lambda permission for a service with a source account through, and stops a public one', async () => {
    const base = {
      FunctionName: 'arn:aws:lambda:eu-west-1:111122223333:function:worker',
      Action: 'lambda:InvokeFunction',
    };
    const ok = await handleHookRequest(
      request('AWS::Lambda::Permission', 'FromS3', {
        ...base,
        Principal: 's3.amazonaws.com',
        SourceAccount: '111122223333',
      }),
      { env },
    );
    expect(ok.hookStatus).toBe('SUCCESS');
    const open = await handleHookRequest(request('AWS::Lambda::Permission', 'Open', { ...base, Principal: '*' }), {
      env,
    });
    expect(open.hookStatus).toBe('FAILED');
  });

  it('answers SUCCESS for a delete without judging', async () => {
    const r = await handleHookRequest(request('AWS::EC2::Volume', 'Old', {}, 'DELETE_PRE_PROVISION'), { env });
    expect(r.hookStatus).toBe('SUCCESS');
    expect(r.annotations).toBeUndefined();
  });

  it('uses the deployed rule parameters (an exempt resource passes)', async () => {
    const r = await handleHookRequest(request('AWS::EC2::Volume', 'Scratch', { Size: '10' }), {
      env: { WARD_RULE_PARAMETERS: JSON.stringify({ 'encrypted-at-rest': { exemptResourceIds: ['Scratch'] } }) },
    });
    expect(r.hookStatus).toBe('SUCCESS');
    expect(r.annotations?.find((a) => a.annotationName === 'ward-encrypted-at-rest')?.status).toBe('SKIPPED');
  });

  it('fails closed with InternalFailure on a malformed request, keeping the token', async () => {
    const bad = { ...request('AWS::EC2::Volume', 'X', {}), requestData: { targetName: 'AWS::EC2::Volume' } };
    const r = await handleHookRequest(bad, { env });
    expect(r).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      clientRequestToken: 'f2a0c9b8-7e8d-4c5b-9a1e-2b3c4d5e6f70',
    });
    expect(r.message).toContain('malformed hook request (requestData.targetType');
  });

  it('fails closed with InternalFailure when a rule throws', async () => {
    const broken = defineRule({
      meta: {
        id: 'broken-example',
        title: 'Throws',
        rationale: 'Test rule.',
        severity: 'high',
        resourceTypes: ['AWS::EC2::Volume'],
        trigger: { onChange: true },
        parameters: z.object({}),
        permissions: [],
        findingCodes: { x: { description: 'x', severity: 'high' } },
      },
      evaluate() {
        throw new Error('boom');
      },
    });
    const r = await handleHookRequest(request('AWS::EC2::Volume', 'V', { Encrypted: 'true' }), {
      env,
      rules: [broken as AnyRule],
    });
    expect(r).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(r.message).toContain('boom');
  });

  it('fails closed when the time budget runs out', async () => {
    const slow = defineRule({
      meta: {
        id: 'slow-example',
        title: 'Slow',
        rationale: 'Test rule.',
        severity: 'high',
        resourceTypes: ['AWS::EC2::Volume'],
        trigger: { onChange: true },
        parameters: z.object({}),
        permissions: [],
        findingCodes: { x: { description: 'x', severity: 'high' } },
      },
      gather: () => new Promise((resolve) => setTimeout(resolve, 200)),
      evaluate: ({ item }) => [
        {
          resourceType: item.resourceType,
          resourceId: item.resourceId,
          compliance: 'COMPLIANT',
          annotation: 'ok',
          findings: [],
        },
      ],
    });
    const r = await handleHookRequest(request('AWS::EC2::Volume', 'V', {}), {
      env,
      rules: [slow as AnyRule],
      budgetMs: 20,
    });
    expect(r).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(r.message).toContain('time budget');
  });

  it('keeps the message within 4,096 characters however many findings there are', async () => {
    const statements = Array.from({ length: 200 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: 'Allow',
      Principal: '*',
      Action: 'sqs:SendMessage',
      Resource: '*',
    }));
    const r = await handleHookRequest(
      request('AWS::SQS::QueuePolicy', 'Wide', {
        Queues: ['https://sqs.eu-west-1.amazonaws.com/111122223333/jobs'],
        PolicyDocument: { Version: '2012-10-17', Statement: statements },
      }),
      { env },
    );
    expect(r.hookStatus).toBe('FAILED');
    expect(r.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(r.message.endsWith('…')).toBe(true);
  });
});

describe('the CloudFormation Lambda hook on API Gateway and function URL resources', () => {
  const annotation = (r: Awaited<ReturnType<typeof handleHookRequest>>, rule: string) =>
    r.annotations?.find((a) => a.annotationName === `ward-${rule}`);

  it('stops a REST method without authorization, saying the API resource policy is not in the request', async () => {
    const r = await handleHookRequest(
      request('AWS::ApiGateway::Method', 'ListPets', {
        RestApiId: 'a1b2c3d4e5',
        ResourceId: 'f6g7h8',
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        ApiKeyRequired: 'false',
        Integration: { Type: 'MOCK' },
      }),
      { env },
    );
    expect(r.hookStatus).toBe('FAILED');
    expect(r.errorCode).toBe('NonCompliant');
    expect(r.message).toMatch(
      /entry-points-authenticated\/open-method: Unknown before deploy \(the resource policy of API a1b2c3d4e5, which is not in the input, is judged as none\)/,
    );
    expect(annotation(r, 'entry-points-authenticated')).toMatchObject({ status: 'FAILED', severityLevel: 'HIGH' });
  });

  it('lets an IAM-authorized method, an API-key method and an OPTIONS method through', async () => {
    for (const props of [
      { HttpMethod: 'GET', AuthorizationType: 'AWS_IAM' },
      { HttpMethod: 'GET', AuthorizationType: 'NONE', ApiKeyRequired: 'true' },
      { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' },
    ]) {
      const r = await handleHookRequest(
        request('AWS::ApiGateway::Method', 'M', { RestApiId: 'a1b2c3d4e5', ResourceId: 'f6g7h8', ...props }),
        { env },
      );
      expect([props.HttpMethod, r.hookStatus]).toEqual([props.HttpMethod, 'SUCCESS']);
    }
  });

  it('stops an HTTP API route without authorization and a stage without access logs', async () => {
    const route = await handleHookRequest(
      request('AWS::ApiGatewayV2::Route', 'ListItems', { ApiId: 'x1y2z3', RouteKey: 'GET /items' }),
      { env },
    );
    expect(route.message).toMatch(/entry-points-authenticated\/open-route: GET \/items of HTTP API x1y2z3/);
    const stage = await handleHookRequest(
      request('AWS::ApiGateway::Stage', 'Prod', {
        RestApiId: 'a1b2c3d4e5',
        DeploymentId: 'd3p10y',
        StageName: 'prod',
        MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'ERROR' }],
      }),
      { env },
    );
    expect(stage.hookStatus).toBe('FAILED');
    expect(stage.message).toMatch(/entry-points-logged\/access-log-missing: Stage prod has no access log/);
    expect(annotation(stage, 'entry-points-logged')).toMatchObject({ status: 'FAILED', severityLevel: 'MEDIUM' });
  });

  it('lets a WebSocket API through: its $connect route is a resource of its own, not in the request', async () => {
    const r = await handleHookRequest(
      request('AWS::ApiGatewayV2::Api', 'Chat', {
        Name: 'chat',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
      { env },
    );
    expect(r.hookStatus).toBe('SUCCESS');
  });

  it('stops a quick-create HTTP API: its $default route has no authorization and its stage no access log', async () => {
    const r = await handleHookRequest(
      request('AWS::ApiGatewayV2::Api', 'Quick', {
        Name: 'quick',
        ProtocolType: 'HTTP',
        Target: 'arn:aws:lambda:eu-west-1:111122223333:function:quick',
      }),
      { env },
    );
    expect(r.hookStatus).toBe('FAILED');
    expect(r.message).toMatch(/entry-points-authenticated\/open-route: \$default of HTTP API quick/);
    expect(r.message).toMatch(/entry-points-logged\/access-log-missing/);
  });

  it('stops a function URL with AuthType NONE unless publicRoutes lists the function', async () => {
    const url = request('AWS::Lambda::Url', 'HookUrl', {
      TargetFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:pets-webhook',
      AuthType: 'NONE',
    });
    expect((await handleHookRequest(url, { env })).hookStatus).toBe('FAILED');
    const listed = await handleHookRequest(url, {
      env: {
        WARD_RULE_PARAMETERS: JSON.stringify({
          'entry-points-authenticated': { publicRoutes: [{ pattern: 'pets-webhook', reason: 'signed webhook' }] },
        }),
      },
    });
    expect(listed.hookStatus).toBe('SUCCESS');
    expect(annotation(listed, 'entry-points-authenticated')?.status).toBe('SKIPPED');
  });
});
