import { failsOn, zeroSeverities } from '../../../scan/findings/fail-on';
import { parseSeverityOption } from '../../../scan/findings/severity';
import { codeSeverity, evaluationSeverity } from '../../../scan/findings/severity';
import { rules } from '../../../rules';
import type { Evaluation } from '../../../rules/runtime/types';
import { type JsonEval, runWard, SAMPLE } from './findings-harness';

const counts = (c: Partial<ReturnType<typeof zeroSeverities>>) => ({ ...zeroSeverities(), ...c });

describe('--fail-on', () => {
  it.each([
    ['none never fails', undefined, { critical: 3 }, false],
    ['high fails on a critical finding', 'high', { critical: 1 }, true],
    ['high fails on a high finding', 'high', { high: 1 }, true],
    ['high passes with only medium and low findings', 'high', { medium: 4, low: 2 }, false],
    ['informational fails on anything', 'informational', { informational: 1 }, true],
    ['low passes with nothing counted', 'low', {}, false],
  ] as const)('%s', (_name, threshold, counted, expected) => {
    expect(failsOn(threshold, counts(counted))).toBe(expected);
  });

  it('takes severities, non-compliant as an alias of informational, and none; rejects anything else by name', () => {
    expect(parseSeverityOption('HIGH', '--fail-on', true)).toEqual({ ok: true, level: 'high' });
    expect(parseSeverityOption('non-compliant', '--fail-on', true)).toEqual({ ok: true, level: 'informational' });
    expect(parseSeverityOption('none', '--fail-on', true)).toEqual({ ok: true, level: undefined });
    expect(parseSeverityOption('none', '--min-severity', false)).toMatchObject({ ok: false });
    expect(parseSeverityOption('severe', '--fail-on', true)).toEqual({
      ok: false,
      message: 'unknown --fail-on severe (use critical, high, medium, low, informational, non-compliant, none)',
    });
  });

  it('exits 1 on the sample at high (it has critical findings), 0 with none, 2 on an unknown level', async () => {
    expect((await runWard([SAMPLE], { failOn: 'high' })).code).toBe(1);
    expect((await runWard([SAMPLE], { failOn: 'non-compliant' })).code).toBe(1);
    expect((await runWard([SAMPLE], {})).code).toBe(0);
    const bad = await runWard([SAMPLE], { failOn: 'severe' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --fail-on severe/);
  });

  it('passes at critical when the only rule run finds nothing above high', async () => {
    // encrypted-at-rest's most severe code is high.
    const r = await runWard([SAMPLE], { rules: 'encrypted-at-rest', failOn: 'critical', format: 'json' });
    expect(JSON.parse(r.stdout).summary.failOnCounted.critical).toBe(0);
    expect(r.code).toBe(0);
    expect((await runWard([SAMPLE], { rules: 'encrypted-at-rest', failOn: 'high' })).code).toBe(1);
  });
});

describe('severity of findings and evaluations', () => {
  const kms = rules.find((r) => r.meta.id === 'kms-keys-not-shared');
  if (!kms) throw new Error('no kms-keys-not-shared');

  it("rates a finding by its code's declared severity, by its own when the case decided, and an undeclared code as the rule's worst", () => {
    expect(codeSeverity(kms, 'malformed-policy')).toBe('medium');
    expect(codeSeverity(kms, 'evaluation-error')).toBe('critical');
    const e = {
      resourceType: 'AWS::KMS::Key',
      resourceId: 'k',
      compliance: 'NON_COMPLIANT',
      annotation: 'x',
      findings: [
        { code: 'malformed-policy', message: 'm' },
        { code: 'external-grant', message: 'g', severity: 'low' },
      ],
    } as unknown as Evaluation;
    expect(evaluationSeverity(kms, e)).toBe('medium');
  });

  it('sorts the table most severe first and counts by severity in the summary', async () => {
    const r = await runWard([SAMPLE], { format: 'json' });
    const report = JSON.parse(r.stdout);
    const nc = (report.evaluations as JsonEval[]).filter((e) => e.compliance === 'NON_COMPLIANT');
    const bySeverity = zeroSeverities();
    for (const e of nc) bySeverity[e.severity as keyof typeof bySeverity]++;
    expect(report.summary.severity).toEqual(bySeverity);
    for (const e of nc)
      expect(e.severity).toBe(
        ['critical', 'high', 'medium', 'low', 'informational'].find((s) => e.findings.some((f) => f.severity === s)),
      );
    const table = (await runWard([SAMPLE], {})).stdout;
    const listed = [...table.matchAll(/✗ \[(\w+)\]/g)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(10);
    // Within each rule, and within each account and region group of it, the most severe come first.
    const order = ['critical', 'high', 'medium', 'low', 'informational'];
    for (const block of table.split('\n\n')) {
      for (const group of block.split(/\n {2}account /)) {
        const ranks = [...group.matchAll(/✗ \[(\w+)\]/g)].map((m) => order.indexOf(m[1]));
        expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
      }
    }
    expect(table.trimEnd().split('\n').at(-1)).toMatch(/non-compliant \(\d+ critical, \d+ high/);
  });
});

describe('--min-severity', () => {
  it('hides lower findings from the report and still counts them in the summary', async () => {
    const all = JSON.parse((await runWard([SAMPLE], { format: 'json' })).stdout);
    const high = JSON.parse((await runWard([SAMPLE], { format: 'json', minSeverity: 'high' })).stdout);
    const listed = (high.evaluations as JsonEval[]).filter((e) => e.compliance === 'NON_COMPLIANT');
    expect(listed.every((e) => e.severity === 'critical' || e.severity === 'high')).toBe(true);
    const lower = all.summary.severity.medium + all.summary.severity.low + all.summary.severity.informational;
    expect(lower).toBeGreaterThan(0);
    expect(high.summary.hidden).toBe(lower);
    expect(high.summary.severity).toEqual(all.summary.severity);
    expect(high.summary.compliance).toEqual(all.summary.compliance);
    const table = (await runWard([SAMPLE], { minSeverity: 'critical' })).stdout;
    expect(table).not.toMatch(/✗ \[(high|medium|low)\]/);
    expect(table).toMatch(/below --min-severity critical not listed/);
  });
});
