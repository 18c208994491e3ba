import { Validations } from 'aws-cdk-lib';
import { WardChecks } from '../../../cdk';
import { buildFixtureApp } from '../../fixtures/cdk-app/app';

/** `Ward-<rule>[<code>] at <construct path>` for every violation of a scope. */
function violations(pack: WardChecks, scope: Parameters<WardChecks['validateScope']>[0]): string[] {
  return pack
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath} (${v.severity})`))
    .sort();
}

describe('WardChecks, the cdk-nag pack', () => {
  it('reports each rule finding of the fixture app at its construct, with the rule and finding code', () => {
    const { app } = buildFixtureApp();
    expect(violations(new WardChecks(), app)).toEqual([
      'Ward-encrypted-at-rest[unencrypted] at FixtureStack/Plain/Resource (error)',
      'Ward-encrypted-at-rest[unencrypted] at FixtureStack/Storage/Scratch (error)',
      'Ward-no-public-principals[external-principal] at FixtureStack/Storage/Reader/Resource (error)',
      // A code rated below high is a warning, whatever the rule's other codes are.
      'Ward-no-public-principals[trust-without-external-id] at FixtureStack/Storage/Reader/Resource (warning)',
    ]);
  });

  it('honours a cdk-nag acknowledgement of one finding, and leaves the others', () => {
    const { app, stack } = buildFixtureApp();
    const topic = stack.node.findChild('Plain');
    Validations.of(topic).acknowledge({
      id: 'Ward-encrypted-at-rest[unencrypted]',
      reason: 'Public event feed, no data.',
    });
    const found = violations(new WardChecks(), app);
    expect(found).not.toContain('Ward-encrypted-at-rest[unencrypted] at FixtureStack/Plain/Resource (error)');
    expect(found).toHaveLength(3);
  });

  it('uses the rule parameters given (an exempt resource is not reported)', () => {
    const { app } = buildFixtureApp();
    const pack = new WardChecks(undefined, { parameters: { 'encrypted-at-rest': { exemptResourceIds: ['Scratch'] } } });
    expect(violations(pack, app).filter((v) => v.includes('Scratch'))).toEqual([]);
  });

  it('refuses a bad rule parameter when it is built, naming the rule', () => {
    expect(
      () =>
        new WardChecks(undefined, { parameters: { 'encrypted-at-rest': { requireCustomerManagedKey: 'sometimes' } } }),
    ).toThrow(/encrypted-at-rest/);
  });
});

describe('WardChecks on values unknown at synth', () => {
  it('judges an imported action at its worst and says it is unknown', async () => {
    const { App, Fn, Stack } = await import('aws-cdk-lib');
    const iam = await import('aws-cdk-lib/aws-iam');
    const app = new App();
    const stack = new Stack(app, 'Imports', { env: { account: '111122223333', region: 'eu-west-1' } });
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: [Fn.importValue('shared-action')], resources: ['*'] }));
    const pack = new WardChecks();
    const report = pack.validateScope(app);
    const wildcard = report.violations.find((v) => v.ruleName.startsWith('Ward-no-wildcard-actions['));
    expect(wildcard?.violatingResources.map((r) => r.constructPath)).toEqual(['Imports/Worker/Resource']);
  });
});

describe('WardChecks on API Gateway and Lambda function URL constructs', () => {
  it('reports an open REST method, a stage without access logs, a public function URL and a deprecated runtime at their constructs', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const apigw = await import('aws-cdk-lib/aws-apigateway');
    const lambda = await import('aws-cdk-lib/aws-lambda');
    const app = new App();
    const stack = new Stack(app, 'Serverless', { env: { account: '111122223333', region: 'eu-west-1' } });
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
    const pets = api.root.addResource('pets');
    pets.addMethod('GET', new apigw.MockIntegration());
    pets.addMethod('POST', new apigw.MockIntegration(), { authorizationType: apigw.AuthorizationType.IAM });
    pets.addCorsPreflight({ allowOrigins: ['https://example.com'] });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    });
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new lambda.Function(stack, 'Old', {
      runtime: lambda.Runtime.NODEJS_16_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    });
    const serverless = /^Ward-(entry-points|lambda-runtime)/;
    expect(violations(new WardChecks(), app).filter((v) => serverless.test(v))).toEqual([
      'Ward-entry-points-authenticated[open-function-url] at Serverless/Fn/FunctionUrl/Resource (error)',
      'Ward-entry-points-authenticated[open-method] at Serverless/Api/Default/pets/GET/Resource (error)',
      'Ward-entry-points-logged[access-log-missing] at Serverless/Api/DeploymentStage.prod/Resource (warning)',
      'Ward-entry-points-logged[execution-log-off] at Serverless/Api/DeploymentStage.prod/Resource (warning)',
      // Judged at the clock of the synth, as a scan judges at the clock of the run.
      'Ward-lambda-runtime-supported[runtime-deprecated] at Serverless/Old/Resource (error)',
    ]);
  });
});
