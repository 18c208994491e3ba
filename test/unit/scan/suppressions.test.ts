import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonEval, runWard, SAMPLE } from './findings-harness';
import { tempDir } from './scan-harness';

const LEGACY_ADMIN = 'arn:aws:iam::111122223333:policy/ward-sample-legacy-admin';

function dirWith(name: string, text: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, name), text);
  return dir;
}

const json = (suppressions: object[]) => JSON.stringify({ suppressions });

describe('suppressions', () => {
  it('keeps a suppressed finding in the JSON with its reason, expiry and owner, and does not count it for --fail-on', async () => {
    const dir = dirWith(
      'ward.suppressions.json',
      json([
        {
          rule: 'no-wildcard-actions',
          resource: LEGACY_ADMIN,
          reason: 'break-glass policy, reviewed quarterly',
          expires: '2027-03-31',
          owner: 'platform-team',
        },
      ]),
    );
    const r = await runWard([SAMPLE], { format: 'json', rules: 'no-wildcard-actions' }, { cwd: dir });
    const report = JSON.parse(r.stdout);
    const e = (report.evaluations as JsonEval[]).find((x) => x.arn === LEGACY_ADMIN);
    const mark = { reason: 'break-glass policy, reviewed quarterly', expires: '2027-03-31', owner: 'platform-team' };
    expect(e?.suppressed).toEqual(mark);
    expect(e?.findings.every((f) => JSON.stringify(f.suppressed) === JSON.stringify(mark))).toBe(true);
    expect(report.summary.suppressed).toBe(1);
    const before = JSON.parse((await runWard([SAMPLE], { format: 'json', rules: 'no-wildcard-actions' })).stdout);
    expect(report.summary.failOnCounted.critical).toBe(before.summary.failOnCounted.critical - 1);
  });

  it('hides a suppressed resource from the table and counts it in the summary line', async () => {
    const dir = dirWith(
      'ward.suppressions.yaml',
      `suppressions:\n  - rule: no-wildcard-actions\n    resource: "*legacy-admin"\n    reason: accepted until the migration\n`,
    );
    const table = (await runWard([SAMPLE], { rules: 'no-wildcard-actions' }, { cwd: dir })).stdout;
    expect(table).not.toContain(LEGACY_ADMIN);
    expect(table).toMatch(/1 suppressed/);
  });

  it('marks SARIF results with an external suppression and its justification', async () => {
    const dir = dirWith(
      's.json',
      json([{ rule: 'no-wildcard-actions', resource: LEGACY_ADMIN, reason: 'accepted risk' }]),
    );
    const out = join(dir, 'ward.sarif');
    await runWard([SAMPLE], { format: 'sarif', output: out, suppressions: join(dir, 's.json') }, { cwd: dir });
    const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
    const suppressed = results.filter((r: { suppressions?: unknown }) => r.suppressions);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const r of suppressed) {
      expect(r.properties.arn).toBe(LEGACY_ADMIN);
      expect(r.suppressions).toEqual([{ kind: 'external', justification: 'accepted risk' }]);
    }
  });

  it('suppresses only the code named, by account and region when given', async () => {
    const dir = dirWith(
      'ward.suppressions.json',
      json([
        {
          rule: 'no-public-principals',
          code: 'trust-without-external-id',
          resource: 'npp-vendor-audit',
          reason: 'vendor has no external id',
        },
        { rule: 'no-public-principals', resource: '*', account: '999999999999', reason: 'other account' },
      ]),
    );
    const r = await runWard([SAMPLE], { format: 'json', rules: 'no-public-principals' }, { cwd: dir });
    const e = (JSON.parse(r.stdout).evaluations as JsonEval[]).find((x) => x.resourceName === 'npp-vendor-audit');
    expect(e?.suppressed).toBeUndefined();
    expect(e?.findings.map((f) => [f.code, Boolean(f.suppressed)])).toEqual([
      ['external-principal', false],
      ['trust-without-external-id', true],
    ]);
    expect(r.stderr).toContain('warning: suppression matched nothing: no-public-principals * in 999999999999');
  });

  it('stops suppressing once expired, and warns by name', async () => {
    const dir = dirWith(
      'ward.suppressions.json',
      json([{ rule: 'no-wildcard-actions', resource: LEGACY_ADMIN, reason: 'temporary', expires: '2026-12-04' }]),
    );
    const r = await runWard(
      [SAMPLE],
      { format: 'json', rules: 'no-wildcard-actions', failOn: 'critical' },
      {
        cwd: dir,
        now: new Date('2026-12-05T00:00:01Z'),
      },
    );
    const report = JSON.parse(r.stdout);
    expect(report.summary.suppressed).toBe(0);
    expect(r.code).toBe(1);
    const warning = `suppression expired on 2026-12-04: no-wildcard-actions ${LEGACY_ADMIN} (its findings count again)`;
    expect(r.stderr).toContain(warning);
    expect(report.summary.warnings).toContain(warning);
    // On its last day it still suppresses.
    const lastDay = await runWard(
      [SAMPLE],
      { format: 'json', rules: 'no-wildcard-actions' },
      {
        cwd: dir,
        now: new Date('2026-12-04T23:59:59Z'),
      },
    );
    expect(JSON.parse(lastDay.stdout).summary.suppressed).toBe(1);
  });

  it.each([
    ['an entry without a reason', json([{ rule: 'no-wildcard-actions', resource: '*' }]), /suppressions\.0\.reason/],
    ['an unknown rule', json([{ rule: 'no-such-rule', resource: '*', reason: 'r' }]), /unknown rule no-such-rule/],
    [
      'an unknown code',
      json([{ rule: 'no-wildcard-actions', code: 'nope', resource: '*', reason: 'r' }]),
      /no finding code nope/,
    ],
    [
      'a bad expiry date',
      json([{ rule: 'no-wildcard-actions', resource: '*', reason: 'r', expires: 'soon' }]),
      /expires/,
    ],
    ['an unknown field', json([{ rule: 'no-wildcard-actions', resource: '*', reason: 'r', until: 'x' }]), /until/],
    ['text that is not JSON', '{"suppressions": [', /cannot read it/],
  ])('exits 2 on %s, naming the file and the problem', async (_name, text, problem) => {
    const dir = dirWith('ward.suppressions.json', text);
    const r = await runWard([SAMPLE], {}, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'ward.suppressions.json'));
    expect(r.stderr).toMatch(problem);
    expect(r.stdout).toBe('');
  });
});
