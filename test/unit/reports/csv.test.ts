import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { CSV_COLUMNS, csvField } from '../../../scan/outputs/csv';
import { scan, tempDir } from '../scan/scan-harness';
import { parseCsv } from './csv-reader';

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'config-snapshot.json');

describe('csvField', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('keeps a crafted resource name from becoming a spreadsheet formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('ward scan --format csv', () => {
  it('writes one record per finding with the documented columns, equal to the JSON report', async () => {
    const csv = await scan([SAMPLE], { format: 'csv' }, '', rules);
    expect(csv.code).toBe(0);
    const [header, ...records] = parseCsv(csv.stdout);
    expect(header).toEqual([...CSV_COLUMNS]);
    const json = JSON.parse((await scan([SAMPLE], { format: 'json' }, '', rules)).stdout);
    const expected = json.evaluations.flatMap(
      (e: {
        accountId: string;
        region: string;
        resourceType: string;
        resourceId: string;
        arn: string | null;
        rule: string;
        compliance: string;
        findings: {
          code: string;
          severity: string;
          message: string;
          path: string | null;
          suppressed?: unknown;
          controls: string[];
        }[];
      }) =>
        e.findings.map((f) => [
          e.accountId,
          e.region,
          e.resourceType,
          e.resourceId,
          e.arn ?? '',
          e.rule,
          f.code,
          f.severity,
          e.compliance,
          f.message,
          f.path ?? '',
          String(f.suppressed !== undefined),
          f.controls.join(' '),
        ]),
    );
    expect(records.length).toBeGreaterThan(0);
    expect(records).toEqual(expected);
    expect(records.every((r) => r[8] === 'NON_COMPLIANT')).toBe(true);
  });

  it('with --framework writes the per-control summary beside the report', async () => {
    const dir = tempDir();
    const out = join(dir, 'report.csv');
    const r = await scan([SAMPLE], { format: 'csv', output: out, framework: 'aws-fsbp' }, '', rules);
    expect(r.code).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(join(dir, 'report.controls.csv'), 'utf8'));
    expect(header.slice(0, 6)).toEqual(['control', 'framework', 'id', 'title', 'passed', 'failed']);
    expect(rows.find((row) => row[0] === 'aws-fsbp:IAM.1')?.[5]).not.toBe('0');
  });

  it('refuses --framework without --output, since a second table would break CSV readers', async () => {
    const r = await scan([SAMPLE], { format: 'csv', framework: 'aws-fsbp' }, '', rules);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs --output FILE');
  });
});
