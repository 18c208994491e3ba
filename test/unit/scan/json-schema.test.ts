import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { runWard, SAMPLE } from './findings-harness';
import { tempDir } from './scan-harness';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'scan-report.schema.json'), 'utf8'));

/** A validator of docs/scan-report.schema.json. */
export function reportValidator() {
  return new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
}

describe('the --format json schema (docs/scan-report.schema.json)', () => {
  const validate = reportValidator();

  it('validates the report of the bundled sample', async () => {
    const r = await runWard([SAMPLE], { format: 'json' });
    const report = JSON.parse(r.stdout);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.summary.schemaVersion).toBe(2);
  });

  it('validates a report with suppressions, a baseline and --min-severity', async () => {
    const dir = tempDir();
    const base = join(dir, 'main.json');
    writeFileSync(base, (await runWard([SAMPLE], { format: 'json', rules: 'no-wildcard-actions' })).stdout);
    const supp = join(dir, 'ward.suppressions.json');
    writeFileSync(
      supp,
      JSON.stringify({
        suppressions: [{ rule: 'kms-keys-not-shared', resource: '*', reason: 'accepted for the test', owner: 'sec' }],
      }),
    );
    const r = await runWard([SAMPLE], { format: 'json', baseline: base, minSeverity: 'medium' }, { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.summary.baseline.file).toBe(base);
    expect(report.evaluations.some((e: { suppressed?: object }) => e.suppressed)).toBe(true);
  });

  it('rejects a report that lacks a version 2 field (the schema is not vacuous)', async () => {
    const report = JSON.parse((await runWard([SAMPLE], { format: 'json' })).stdout);
    delete report.evaluations[0].accountId;
    expect(validate(report)).toBe(false);
    report.evaluations[0].accountId = '111122223333';
    report.summary.schemaVersion = 1;
    expect(validate(report)).toBe(false);
  });
});
