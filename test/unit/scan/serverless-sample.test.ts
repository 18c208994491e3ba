import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runtimeTableInfo } from '../../../rules/lambda-runtime-supported/table';
import { runScan } from '../../../scan/run';

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'config-snapshot.json');

/** `ward scan --format json` on the bundled sample, at the given run clock. */
async function scanSample(now: Date, rules = 'lambda-runtime-supported,entry-points-logged') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runScan(
    [SAMPLE],
    { format: 'json', rules },
    { stdin: Readable.from([]), stdout, stderr, env: {}, now },
  );
  return { code, report: JSON.parse(out), stderr: err };
}

const takenPlus = (days: number) => new Date(Date.parse(`${runtimeTableInfo.takenAt}T12:00:00Z`) + days * 86_400_000);

describe('the bundled sample and the serverless rules', () => {
  it('shows the function on a deprecated runtime and the stages without access logs', async () => {
    const { code, report } = await scanSample(new Date());
    expect(code).toBe(0);
    const byId = new Map(
      report.evaluations.map((e: { resourceId: string; findings: { code: string }[] }) => [
        e.resourceId,
        e.findings.map((f) => f.code),
      ]),
    );
    expect(byId.get('sl-report-exporter')).toEqual(['runtime-deprecated']);
    expect(byId.get('arn:aws:apigateway:us-east-1::/restapis/sl0rders01/stages/staging')).toEqual([
      'access-log-missing',
      'execution-log-off',
    ]);
    expect(byId.get('arn:aws:apigateway:us-east-1::/apis/slh77p0001/stages/$default')).toEqual(['access-log-missing']);
  });

  it('judges runtimes at the clock of the run, not the build: python3.9 deprecating before 2025-12-15, deprecated on it', async () => {
    const verdict = async (at: string) => {
      const { report } = await scanSample(new Date(at), 'lambda-runtime-supported');
      const e = report.evaluations.find((x: { resourceId: string }) => x.resourceId === 'sl-report-exporter');
      return [e.compliance, e.findings.map((f: { code: string }) => f.code)];
    };
    expect(await verdict('2025-12-14T12:00:00Z')).toEqual(['NON_COMPLIANT', ['runtime-deprecating']]);
    expect(await verdict('2025-09-15T12:00:00Z')).toEqual(['COMPLIANT', []]);
    expect(await verdict('2025-12-15T00:00:00Z')).toEqual(['NON_COMPLIANT', ['runtime-deprecated']]);
  });

  it('lists the periodic entry-points-authenticated under skipped rules, and exits 2 when it was asked for by name', async () => {
    const { code, report } = await scanSample(new Date(), 'entry-points-logged,entry-points-authenticated');
    expect(report.summary.skippedRules.map((s: { rule: string }) => s.rule)).toEqual(['entry-points-authenticated']);
    expect(report.summary.skippedRules[0].reason).toMatch(/periodic/);
    expect(code).toBe(2);
  });

  it('warns on stderr and in the summary when the run is more than 180 days past the runtime table, not before', async () => {
    const fresh = await scanSample(takenPlus(runtimeTableInfo.maxAgeDays - 1));
    expect(fresh.report.summary.warnings).toEqual([]);
    expect(fresh.stderr).not.toContain('warning');
    const stale = await scanSample(takenPlus(runtimeTableInfo.maxAgeDays + 1));
    expect(stale.report.summary.warnings).toHaveLength(1);
    expect(stale.report.summary.warnings[0]).toContain(`runtime table was taken on ${runtimeTableInfo.takenAt}`);
    expect(stale.stderr).toContain('ward scan: warning: lambda-runtime-supported');
    expect(stale.code).toBe(0);
  });
});
