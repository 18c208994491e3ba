import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_HOOK_TARGETS, HOOK_ALIAS, HOOK_LOG_GROUP_NAME } from '../../../infra/hook-stack';
import { nagViolations, REGION, synthApp } from './app-fixture';

describe('the hook stack', () => {
  const { app, stacks } = synthApp({ hook: { enabled: true, failureMode: 'WARN' } });
  const stack = stacks[0].hook;

  it('is deployed only when the configuration enables it', () => {
    expect(stack).toBeDefined();
    expect(synthApp({}).stacks[0].hook).toBeUndefined();
  });

  it('declares a Lambda hook on create and update of every type ward judges, with the configured failure mode', () => {
    const t = Template.fromStack(stack!).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const hook = Object.values(t.Resources).find((r) => r.Type === 'AWS::CloudFormation::LambdaHook');
    expect(hook?.Properties).toMatchObject({
      Alias: HOOK_ALIAS,
      FailureMode: 'WARN',
      HookStatus: 'ENABLED',
      TargetOperations: ['RESOURCE'],
    });
    expect(hook?.Properties.TargetFilters).toEqual({
      Actions: ['CREATE', 'UPDATE'],
      InvocationPoints: ['PRE_PROVISION'],
      TargetNames: [...DEFAULT_HOOK_TARGETS],
    });
    expect(DEFAULT_HOOK_TARGETS).toEqual(
      expect.arrayContaining(['AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::IAM::Role']),
    );
    // The serverless rules: stages (and a deployment's stage), methods, routes, function URLs, functions.
    expect(DEFAULT_HOOK_TARGETS).toEqual(
      expect.arrayContaining([
        'AWS::ApiGateway::Stage',
        'AWS::ApiGateway::Deployment',
        'AWS::ApiGatewayV2::Stage',
        'AWS::ApiGatewayV2::Api',
        'AWS::ApiGateway::Method',
        'AWS::ApiGatewayV2::Route',
        'AWS::Lambda::Url',
        'AWS::Lambda::Function',
      ]),
    );
    // CloudFormation accepts at most 50 TargetNames.
    expect(DEFAULT_HOOK_TARGETS.length).toBeLessThanOrEqual(50);
  });

  it('gives the hook an execution role that may only invoke the hook function', () => {
    const t = Template.fromStack(stack!).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const roles = Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    const exec = roles.find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('hooks.cloudformation.amazonaws.com'),
    );
    const statements = JSON.stringify((exec?.[1].Properties.Policies as unknown[]) ?? []);
    expect(statements).toContain('"Action":"lambda:InvokeFunction"');
    expect(statements).not.toContain('"*"');
    expect(exec?.[1].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('encrypts the hook log group with a key that CloudWatch Logs may use for that log group only', () => {
    const t = Template.fromStack(stack!).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const groups = Object.values(t.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0].Properties.LogGroupName).toBe(HOOK_LOG_GROUP_NAME);
    const keyRef = groups[0].Properties.KmsKeyId as { 'Fn::GetAtt': [string, string] };
    const key = t.Resources[keyRef['Fn::GetAtt'][0]];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = (key.Properties.KeyPolicy as { Statement: Array<Record<string, unknown>> }).Statement;
    const logs = statements.find((s) => s.Sid === 'AllowLogsForHookLogGroup');
    expect(JSON.stringify(logs?.Condition)).toContain(`:log-group:${HOOK_LOG_GROUP_NAME}`);
    expect(JSON.stringify(logs?.Condition)).toContain('ArnEquals');
  });

  it('passes cdk-nag AwsSolutions', () => {
    expect(nagViolations(app, stack!)).toEqual([]);
  });

  it('runs in the region configured', () => {
    expect(stack!.region).toBe(REGION);
  });
});
