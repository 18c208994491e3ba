/*
 * `ward scan` on templates with API Gateway and function URL resources: entry-points-authenticated runs on
 * template inputs (it is skipped only for snapshots), and its SARIF results point at the method's line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../../rules';
import { PassThrough, Readable } from 'node:stream';
import { runScan } from '../../../../scan/run';
import { BASE_ITEMS, scan, snapshotOf, tempDir } from '../scan-harness';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'templates', 'serverless');
const YAML = join(DIR, 'api.yaml');
const PLAN = join(DIR, 'plan.json');

interface Sarif {
  runs: {
    results: {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      partialFingerprints?: Record<string, string>;
    }[];
  }[];
}

const lineOf = (file: string, text: string, after: string) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.indexOf(after);
  return lines.findIndex((l, i) => i > start && l.includes(text)) + 1;
};

describe('ward scan on templates with APIs and function URLs', () => {
  it('runs entry-points-authenticated on the templates and points SARIF at the open method', async () => {
    const r = await scan([YAML], { format: 'sarif', failOn: 'high' }, '', rules);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/entry-points-authenticated/);
    const sarif = JSON.parse(r.stdout) as Sarif;
    const open = sarif.runs[0]?.results.filter((x) => x.ruleId.startsWith('entry-points-authenticated')) ?? [];
    const lines = open
      .map((x) => x.locations[0]?.physicalLocation.region.startLine)
      .sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(lines).toEqual(
      [
        lineOf(YAML, 'AuthType: NONE', '  ReportUrl:'),
        lineOf(YAML, 'AuthType: NONE', '  WebhookUrl:'),
        lineOf(YAML, 'AuthorizationType: NONE', '  ListPets:'),
        // Health sets no AuthorizationType (NONE by default): the finding is on the resource.
        lineOf(YAML, 'Health:', '  HealthResource:'),
        lineOf(YAML, 'AuthorizationType: !Ref MethodAuth', '  DeletePets:'),
        lineOf(YAML, 'ListItems:', '  JwtAuthorizer:'),
      ].sort((a, b) => a - b),
    );
    expect(open[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toMatch(/serverless\/api\.yaml$/);
  });

  it('lists no skipped rule when only templates are given, and judges a plan the same way', async () => {
    const r = await scan([YAML, PLAN], { format: 'json' }, '', rules);
    const out = JSON.parse(r.stdout) as {
      summary: { skippedRules: { rule: string }[] };
      evaluations: { rule: string; resourceType: string; compliance: string }[];
    };
    expect(out.summary.skippedRules.map((s) => s.rule)).not.toContain('entry-points-authenticated');
    const types = new Set(
      out.evaluations.filter((e) => e.rule === 'entry-points-authenticated').map((e) => e.resourceType),
    );
    expect([...types].sort()).toEqual(['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route', 'AWS::Lambda::Url']);
  });

  it('with a snapshot too, judges the templates and lists the rule as skipped for the snapshot', async () => {
    const snapshot = join(tempDir(), 'snapshot.json');
    writeFileSync(snapshot, snapshotOf(BASE_ITEMS));
    const r = await scan([YAML, snapshot], { format: 'json' }, '', rules);
    const out = JSON.parse(r.stdout) as {
      summary: { skippedRules: { rule: string; reason: string }[] };
      evaluations: { rule: string }[];
    };
    expect(out.summary.skippedRules.find((s) => s.rule === 'entry-points-authenticated')?.reason).toMatch(
      /periodic-only rule.*\(the template inputs were judged\)$/,
    );
    expect(out.evaluations.some((e) => e.rule === 'entry-points-authenticated')).toBe(true);
  });

  it('exits 2 and says so when an API defines its methods in an OpenAPI body', async () => {
    const path = join(tempDir(), 'openapi.yaml');
    writeFileSync(
      path,
      'Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: api\n      Body:\n        openapi: 3.0.1\n        paths: {}\n',
    );
    const r = await scan([path], {}, '', rules);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AWS::ApiGateway::RestApi Api defines its methods in an OpenAPI definition/);
  });

  it('judges template functions at the clock of the run, not the wall clock', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    await runScan(
      [YAML],
      { format: 'json' },
      {
        stdin: Readable.from([]),
        stdout,
        stderr: new PassThrough(),
        env: {},
        registry: rules,
        // 42 days before nodejs16.x's deprecation date (2024-06-12).
        now: new Date('2024-05-01T12:00:00Z'),
      },
    );
    const report = JSON.parse(out) as {
      evaluations: { rule: string; resourceId: string; findings: { code: string }[] }[];
    };
    const fn = report.evaluations.find((e) => e.rule === 'lambda-runtime-supported' && e.resourceId === 'ReportFn');
    expect(fn?.findings.map((f) => f.code)).toEqual(['runtime-deprecating']);
  });
});
