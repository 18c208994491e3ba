/*
 * Template findings go through the one finding model every input shares (scan/findings): SARIF physical
 * locations at the template file and line, an identity that never reports a stand-in as the resource's
 * account, region or ARN, severity per finding code, suppressions by logical id, and --fail-on by severity.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { buildFixtureApp, FIXTURE_ENV } from '../../../fixtures/cdk-app/app';
import { type JsonEval, runWard } from '../findings-harness';
import { tempDir } from '../scan-harness';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'templates');
const YAML = join(FIXTURES, 'short-form.yaml');
const PLAN = join(FIXTURES, 'plan.json');
const NESTED = join(FIXTURES, 'nested', 'parent.yaml');
const ROOT = join(__dirname, '..', '..', '..', '..');
const MULTITOOL = join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

interface SarifResult {
  ruleId: string;
  level: string;
  locations: {
    physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } };
    logicalLocations: { name: string; fullyQualifiedName: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

async function sarifOf(inputs: string[], cwd: string): Promise<SarifResult[]> {
  const r = await runWard(inputs, { format: 'sarif' }, { cwd });
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { runs: { results: SarifResult[] }[] }).runs[0].results;
}

async function jsonOf(inputs: string[], options: Parameters<typeof runWard>[1] = {}, cwd = tempDir()) {
  const r = await runWard(inputs, { ...options, format: 'json' }, { cwd });
  return {
    code: r.code,
    report: JSON.parse(r.stdout) as { evaluations: JsonEval[]; summary: Record<string, unknown> },
  };
}

const bad = (evaluations: JsonEval[], id: string) =>
  evaluations.find((e) => e.resourceId === id && e.compliance === 'NON_COMPLIANT');

describe('template findings in SARIF', () => {
  it('anchors each result at the template file, relative to the working directory, and the line of the resource', async () => {
    const results = await sarifOf([YAML], FIXTURES);
    const topic = results.find(
      (r) => r.ruleId === 'encrypted-at-rest/unencrypted' && r.properties.resourceId === 'PlainTopic',
    );
    expect(topic?.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'short-form.yaml' },
      region: { startLine: 35 },
    });
    expect(topic?.locations[0].logicalLocations[0]).toMatchObject({
      name: 'PlainTopic',
      fullyQualifiedName: 'AWS::SNS::Topic/PlainTopic',
    });
    expect(topic?.level).toBe('error');
  });

  it('says which Fn::If branch a finding was seen in', async () => {
    const results = await sarifOf([YAML], FIXTURES);
    const volume = results.find((r) => r.properties.resourceId === 'LogVolume');
    expect(volume?.properties.branch).toBe('IsProd=false');
    expect(volume?.locations[0].physicalLocation?.region.startLine).toBe(92);
  });

  it('gives a one-line Terraform plan a column too, so each result points at its own resource', async () => {
    const results = await sarifOf([PLAN], FIXTURES);
    expect(results.length).toBeGreaterThan(1);
    const columns = results.map((r) => r.locations[0].physicalLocation?.region.startColumn);
    for (const c of columns) expect(c).toBeGreaterThan(1);
    // One column per resource (a resource two rules flag has two results at its column).
    expect(new Set(columns).size).toBe(new Set(results.map((r) => r.properties.resourceId)).size);
    expect(new Set(columns).size).toBeGreaterThan(1);
  });

  it('keeps fingerprints when the template moves or its lines shift (they hang on stack and logical id)', async () => {
    const dir = tempDir();
    const moved = join(dir, 'short-form.yaml');
    writeFileSync(moved, `# a comment moves every line down\n${readFileSync(YAML, 'utf8')}`);
    const fingerprints = (rs: SarifResult[]) => rs.map((r) => r.partialFingerprints['ward/v1']).sort();
    expect(fingerprints(await sarifOf([moved], dir))).toEqual(fingerprints(await sarifOf([YAML], FIXTURES)));
  });

  it('tells apart the same logical id in two stacks (one alert each, not one for both)', async () => {
    const dir = tempDir();
    const topic = 'Resources:\n  Feed:\n    Type: AWS::SNS::Topic\n';
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'orders.yaml'), topic);
    writeFileSync(join(dir, 'billing.yaml'), topic);
    const results = await sarifOf([join(dir, 'a', 'orders.yaml'), join(dir, 'billing.yaml')], dir);
    const feed = results.filter((r) => r.ruleId === 'encrypted-at-rest/unencrypted');
    expect(feed.map((r) => r.locations[0].physicalLocation?.artifactLocation.uri).sort()).toEqual([
      'a/orders.yaml',
      'billing.yaml',
    ]);
    expect(new Set(feed.map((r) => r.partialFingerprints['ward/v1'])).size).toBe(2);
  });

  it('gives every finding of templates, nested stacks, plans and CDK assemblies a file and a line', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ward-cdk-out-'));
    try {
      buildFixtureApp(outdir).app.synth();
      const results = await sarifOf([YAML, PLAN, NESTED, outdir], tempDir());
      expect(results.length).toBeGreaterThan(10);
      for (const r of results) {
        expect(r.locations[0].physicalLocation?.artifactLocation.uri).toMatch(/\.(ya?ml|json)$/);
        expect(r.locations[0].physicalLocation?.region.startLine).toBeGreaterThanOrEqual(1);
      }
      const cdk = results.filter((r) => typeof r.properties.cdkPath === 'string');
      expect(cdk.map((r) => r.properties.cdkPath)).toContain('FixtureStack/Storage/Scratch');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('template SARIF for GitHub code scanning', () => {
  it('passes the SARIF multitool validator (SARIF and GitHub rules) with no error or warning', async () => {
    if ((statSync(MULTITOOL).mode & 0o111) !== 0o111) chmodSync(MULTITOOL, 0o755);
    const cwd = tempDir();
    const out = join(cwd, 'ward.sarif');
    for (const f of [YAML, PLAN]) copyFileSync(f, join(cwd, f.split('/').pop() as string));
    const r = await runWard(
      [join(cwd, 'short-form.yaml'), join(cwd, 'plan.json')],
      { format: 'sarif', output: out },
      { cwd },
    );
    expect(r.code).toBe(0);
    const report = join(cwd, 'validation.sarif');
    const v = spawnSync(
      MULTITOOL,
      ['validate', out, '-o', report, '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning;Note'],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } },
    );
    expect(v.status).toBe(0);
    const found = JSON.parse(readFileSync(report, 'utf8')).runs[0].results as { ruleId: string; level?: string }[];
    expect(found.filter((x) => (x.level ?? 'warning') !== 'note').map((x) => x.ruleId)).toEqual([]);
  }, 180_000);
});

describe('the --format json report of templates', () => {
  it('validates against docs/scan-report.schema.json, with every location field templates add', async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const outdir = mkdtempSync(join(tmpdir(), 'ward-cdk-out-'));
    try {
      buildFixtureApp(outdir).app.synth();
      const { report } = await jsonOf([YAML, PLAN, outdir]);
      expect(validate(report) ? [] : validate.errors).toEqual([]);
      const locations = report.evaluations.map((e) => e.location as Record<string, unknown>);
      for (const field of ['column', 'cdkPath', 'branch', 'logicalId']) {
        expect(locations.some((l) => l[field] !== undefined)).toBe(true);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the identity of a template finding', () => {
  it('reports account and region as unknown (empty) and no ARN when the template does not say them', async () => {
    const { report } = await jsonOf([YAML]);
    const topic = bad(report.evaluations, 'PlainTopic');
    expect(topic).toMatchObject({ accountId: '', region: '', arn: null });
    // Its name is built from ${AWS::Region}, unknown before deploy: no ARN is made from the stand-in.
    expect(bad(report.evaluations, 'SharedBucket')).toMatchObject({ accountId: '', region: '', arn: null });
    expect(bad(report.evaluations, 'WorkerRole')).toMatchObject({ accountId: '', region: 'global' });
  });

  it("takes the account and region of a CDK stack's environment", async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'ward-cdk-out-'));
    try {
      buildFixtureApp(outdir).app.synth();
      const { report } = await jsonOf([outdir]);
      const scratch = report.evaluations.find(
        (e) => e.resourceId.startsWith('Scratch') && e.compliance === 'NON_COMPLIANT',
      );
      expect(scratch).toMatchObject({ accountId: FIXTURE_ENV.account, region: FIXTURE_ENV.region });
      expect(scratch?.location).toMatchObject({ cdkPath: 'FixtureStack/Storage/Scratch' });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('takes the region a Terraform provider names', async () => {
    const { report } = await jsonOf([PLAN]);
    expect(bad(report.evaluations, 'aws_sns_topic.alerts')).toMatchObject({ accountId: '', region: 'eu-west-1' });
  });
});

describe('severity, suppressions and --fail-on on templates', () => {
  it('rates each finding by its code', async () => {
    const { report } = await jsonOf([YAML, PLAN]);
    const severityOf = (id: string) => bad(report.evaluations, id)?.findings.map((f) => `${f.code}:${f.severity}`);
    expect(severityOf('EncryptedQueue')).toEqual(['public-principal:critical']);
    expect(severityOf('PlainTopic')).toEqual(['unencrypted:high']);
    expect(severityOf('module.jobs.aws_sqs_queue.this')).toEqual(['malformed-policy:medium']);
  });

  it('fails on the severity asked for: high fails on an unencrypted topic, critical does not', async () => {
    const opts = { rules: 'encrypted-at-rest' };
    expect((await runWard([YAML], { ...opts, failOn: 'high' })).code).toBe(1);
    expect((await runWard([YAML], { ...opts, failOn: 'critical' })).code).toBe(0);
  });

  it('suppresses a template finding by its logical id, and no longer fails on it', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'ward.suppressions.json'),
      JSON.stringify({
        suppressions: [
          { rule: 'encrypted-at-rest', resource: 'PlainTopic', reason: 'public event feed' },
          { rule: 'encrypted-at-rest', resource: 'LogVolume', reason: 'scratch volume in test only' },
        ],
      }),
    );
    const { code, report } = await jsonOf([YAML], { rules: 'encrypted-at-rest', failOn: 'high' }, cwd);
    expect(code).toBe(0);
    expect(bad(report.evaluations, 'PlainTopic')?.suppressed).toEqual({ reason: 'public event feed' });
    expect(report.summary.suppressed).toBe(2);
  });
});
