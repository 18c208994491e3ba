import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCloudAssembly, readCloudAssembly } from '../../../../scan/inputs/cdk-assembly';
import { buildFixtureApp, FIXTURE_ENV } from '../../../fixtures/cdk-app/app';
import { findingRows, judgeAll } from './judge-harness';

describe('CDK cloud assemblies as configuration items', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'ward-cdk-out-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  buildFixtureApp(outdir).app.synth();
  const { items, notes, templates } = readCloudAssembly(outdir);
  const item = (logicalIdStart: string) => items.find((t) => t.item.resourceId.startsWith(logicalIdStart));

  it('reads every stack and nested stack of the manifest', () => {
    expect(isCloudAssembly(outdir)).toBe(true);
    expect(templates.map((t) => t.split('/').pop())).toEqual([
      'FixtureStack.template.json',
      expect.stringMatching(/^FixtureStackStorage[0-9A-F]+\.nested\.template\.json$/),
    ]);
    expect(notes).toEqual([]);
  });

  it("takes each stack's account and region from its environment", () => {
    expect(item('Jobs')?.item.accountId).toBe(FIXTURE_ENV.account);
    expect(item('Jobs')?.item.awsRegion).toBe(FIXTURE_ENV.region);
  });

  it('keeps the construct path and the template line of every item', () => {
    for (const t of items) {
      expect(t.location.cdkPath).toMatch(/^FixtureStack\//);
      expect(t.location.line).toBeGreaterThan(1);
    }
    expect(item('Scratch')?.location.cdkPath).toBe('FixtureStack/Storage/Scratch');
    expect(item('Scratch')?.location.file).toMatch(/\.nested\.template\.json$/);
  });

  it('resolves what a parent passes its nested stack (the bucket ARN in the reader policy)', () => {
    const role = item('Reader');
    expect(role?.unresolved).toEqual([]);
    const policies = role?.item.configuration?.rolePolicyList as { policyDocument: string }[];
    expect(decodeURIComponent(policies[0].policyDocument)).toContain('arn:aws:s3:::');
  });

  it.each([
    ['encrypted-at-rest', 'Plain', 'unencrypted'],
    ['encrypted-at-rest', 'Scratch', 'unencrypted'],
    ['no-public-principals', 'Reader', 'external-principal'],
  ])('%s flags %s with %s', async (rule, id, code) => {
    const rows = findingRows(await judgeAll(items));
    expect(rows.some((r) => r.startsWith(`${rule} ${id}`) && r.includes(` ${code} `))).toBe(true);
  });

  it('finds nothing else: the key, queue and bucket are compliant', async () => {
    const rows = findingRows(await judgeAll(items)).map((r) =>
      r
        .split(' ')
        .slice(0, 3)
        .join(' ')
        .replace(/[0-9A-F]{8}\b/, ''),
    );
    expect(rows).toEqual([
      'encrypted-at-rest Plain unencrypted',
      'encrypted-at-rest Scratch unencrypted',
      'no-public-principals Reader external-principal',
      'no-public-principals Reader trust-without-external-id',
    ]);
  });
});

describe('a CDK cloud assembly with a REST API and a function URL', () => {
  it('judges the synthesized method, stage and URL with their construct paths', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const apigw = await import('aws-cdk-lib/aws-apigateway');
    const lambda = await import('aws-cdk-lib/aws-lambda');
    const outdir = mkdtempSync(join(tmpdir(), 'ward-cdk-out-'));
    try {
      const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
      const stack = new Stack(app, 'Api', { env: FIXTURE_ENV });
      const api = new apigw.RestApi(stack, 'Pets', { cloudWatchRole: false });
      api.root.addResource('pets').addMethod('GET', new apigw.MockIntegration());
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      });
      fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      app.synth();
      const rows = (await judgeAll(readCloudAssembly(outdir).items))
        .filter((r) => r.rule.startsWith('entry-points') && r.e.compliance === 'NON_COMPLIANT')
        .map((r) => `${r.rule} ${r.e.findings.map((f) => f.code).join(',')} ${r.e.location?.cdkPath ?? '?'}`)
        .sort();
      expect(rows).toEqual([
        'entry-points-authenticated open-function-url Api/Fn/FunctionUrl/Resource',
        'entry-points-authenticated open-method Api/Pets/Default/pets/GET/Resource',
        'entry-points-logged access-log-missing,execution-log-off Api/Pets/DeploymentStage.prod/Resource',
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
