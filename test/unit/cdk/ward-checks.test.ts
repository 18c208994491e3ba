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
