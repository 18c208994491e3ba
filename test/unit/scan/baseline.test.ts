import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonEval, runWard, SAMPLE } from './findings-harness';
import { tempDir } from './scan-harness';

const LEGACY_ADMIN = 'arn:aws:iam::111122223333:policy/ward-sample-legacy-admin';
/**
 * The principals that attach the legacy admin policy: no-privilege-escalation judges them with it (effective-admin),
 * and without its item in the snapshot as unresolved-policy, so their finding changes with it.
 */
const ITS_HOLDERS = [
  'arn:aws:iam::111122223333:user/ward-sample-ci',
  'arn:aws:iam::111122223333:group/ward-sample-developers',
];

/** The sample without one item, written to a file. */
function sampleWithout(arn: string): string {
  const doc = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  doc.configurationItems = doc.configurationItems.filter((i: { ARN: string }) => i.ARN !== arn);
  const file = join(tempDir(), 'main-snapshot.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

describe('--baseline', () => {
  it('marks findings already in the baseline unchanged, the others new, lists the fixed, and fails on new ones only', async () => {
    const dir = tempDir();
    const main = join(dir, 'main.json');
    // main had everything but the legacy admin policy, plus a finding since fixed (the sample itself).
    writeFileSync(main, (await runWard([sampleWithout(LEGACY_ADMIN)], { format: 'json' })).stdout);
    const r = await runWard([SAMPLE], { format: 'json', baseline: main, failOn: 'high' });
    const report = JSON.parse(r.stdout);
    const nc = (report.evaluations as JsonEval[]).filter((e) => e.compliance === 'NON_COMPLIANT');
    const fresh = nc.filter((e) => e.baseline === 'new');
    expect(fresh.map((e) => [e.rule, e.arn]).sort()).toEqual(
      [
        ['no-wildcard-actions', LEGACY_ADMIN],
        ['no-privilege-escalation', LEGACY_ADMIN],
        ...ITS_HOLDERS.map((arn) => ['no-privilege-escalation', arn]),
      ].sort(),
    );
    expect(nc.filter((e) => e.baseline === 'unchanged')).toHaveLength(nc.length - 4);
    expect(report.summary.baseline).toMatchObject({ file: main, new: 4, unchanged: nc.length - 4, fixed: [] });
    expect(report.summary.failOnCounted).toEqual({ critical: 4, high: 0, medium: 0, low: 0, informational: 0 });
    expect(r.code).toBe(1);
    // Against itself nothing is new: the same scan passes --fail-on high.
    const self = join(dir, 'self.json');
    writeFileSync(self, r.stdout);
    expect((await runWard([SAMPLE], { baseline: self, failOn: 'high' })).code).toBe(0);
  });

  it('lists as fixed what the baseline had non-compliant and the scan no longer has', async () => {
    const dir = tempDir();
    const main = join(dir, 'main.json');
    writeFileSync(main, (await runWard([SAMPLE], { format: 'json' })).stdout);
    const r = await runWard([sampleWithout(LEGACY_ADMIN)], { format: 'json', baseline: main });
    const fixed = JSON.parse(r.stdout).summary.baseline.fixed;
    const gone = (rule: string) => ({
      rule,
      resourceType: 'AWS::IAM::Policy',
      resourceId: 'ANPAYSAMPLELEGACYADM',
      accountId: '111122223333',
      region: 'global',
    });
    // Its holders are not fixed: their finding changed (effective-admin to unresolved-policy), so they are new.
    expect(fixed).toEqual(expect.arrayContaining([gone('no-wildcard-actions'), gone('no-privilege-escalation')]));
    expect(fixed).toHaveLength(2);
    const table = (await runWard([sampleWithout(LEGACY_ADMIN)], { baseline: main })).stdout;
    expect(table).toContain('Fixed since the baseline (2)');
  });

  it('treats a new finding code on a known resource as new', async () => {
    const dir = tempDir();
    const main = JSON.parse((await runWard([SAMPLE], { format: 'json' })).stdout);
    const e = main.evaluations.find(
      (x: JsonEval) => x.resourceName === 'npp-vendor-audit' && x.rule === 'no-public-principals',
    );
    e.findings = e.findings.filter((f: { code: string }) => f.code !== 'trust-without-external-id');
    writeFileSync(join(dir, 'main.json'), JSON.stringify(main));
    const report = JSON.parse((await runWard([SAMPLE], { format: 'json', baseline: join(dir, 'main.json') })).stdout);
    const now = (report.evaluations as JsonEval[]).find(
      (x) => x.resourceName === 'npp-vendor-audit' && x.rule === 'no-public-principals',
    );
    expect(now?.baseline).toBe('new');
  });

  it('sets baselineState on SARIF results', async () => {
    const dir = tempDir();
    const main = join(dir, 'main.json');
    writeFileSync(main, (await runWard([sampleWithout(LEGACY_ADMIN)], { format: 'json' })).stdout);
    const out = join(dir, 'ward.sarif');
    await runWard([SAMPLE], { format: 'sarif', output: out, baseline: main });
    const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results as {
      baselineState: string;
      properties: { arn: string };
    }[];
    expect(new Set(results.filter((r) => r.baselineState === 'new').map((r) => r.properties.arn))).toEqual(
      new Set([LEGACY_ADMIN, ...ITS_HOLDERS]),
    );
    expect(results.every((r) => r.baselineState === 'new' || r.baselineState === 'unchanged')).toBe(true);
  });

  it('exits 2 naming the file when the baseline is not a ward JSON report', async () => {
    const file = join(tempDir(), 'main.json');
    writeFileSync(file, '{"runs": []}');
    const r = await runWard([SAMPLE], { baseline: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--baseline ${file}: not a ward scan --format json report`);
  });
});
