import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { CSV_COLUMNS, NOT_JUDGED } from '../../../scan/outputs/csv';
import { scan, snapshotOf, tempDir } from '../scan/scan-harness';
import { parseCsv } from './csv-reader';
import { complianceFindingAttrs, validate } from './ocsf-schema';

/*
 * A scan that did not judge everything it was asked (exit 2) must not read as clean in any report: the HTML
 * verdict leads with it, CSV and OCSF carry a record per gap, and the unreadable resource stays a failure.
 */
const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'config-snapshot.json');

const COMPLIANT_TOPIC = 'arn:aws:sns:us-east-1:111122223333:ward-sample-order-events';

/** A topic whose configuration is not valid JSON: encrypted-at-rest cannot judge it. */
const BROKEN_TOPIC = {
  version: '1.3',
  accountId: '111122223333',
  configurationItemCaptureTime: '2026-01-01T00:00:00.000Z',
  configurationItemStatus: 'OK',
  resourceType: 'AWS::SNS::Topic',
  resourceId: 'arn:aws:sns:eu-west-1:111122223333:unreadable',
  resourceName: 'unreadable',
  ARN: 'arn:aws:sns:eu-west-1:111122223333:unreadable',
  awsRegion: 'eu-west-1',
  configuration: '{not json',
  supplementaryConfiguration: {},
  relationships: [],
  tags: {},
};

function inputs(): { clean: string; broken: string; notJson: string } {
  const dir = tempDir();
  const clean = join(dir, 'clean.json');
  const broken = join(dir, 'broken-topic.json');
  const notJson = join(dir, 'not-json.json');
  // One compliant topic of the sample: without the gaps this scan would be clean.
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { configurationItems: { resourceId: string }[] };
  const topic = sample.configurationItems.filter((i) => i.resourceId === COMPLIANT_TOPIC);
  expect(topic).toHaveLength(1);
  writeFileSync(clean, snapshotOf(topic));
  writeFileSync(broken, snapshotOf([BROKEN_TOPIC]));
  writeFileSync(notJson, '{"configurationItems": [');
  return { clean, broken, notJson };
}

describe('reports of an incomplete scan', () => {
  it('HTML leads the verdict with what was not judged and never says the scan is clean', async () => {
    const { clean, notJson } = inputs();
    const out = join(tempDir(), 'r.html');
    const r = await scan([clean, notJson], { format: 'html', output: out }, '', rules);
    expect(r.code).toBe(2);
    const html = readFileSync(out, 'utf8');
    const verdict = /<p class="verdict (\w+)" id="verdict">([^<]*)<\/p>/.exec(html);
    expect(verdict?.[1]).toBe('bad');
    expect(verdict?.[2]).toMatch(/^Incomplete scan: 1 not judged\. No non-compliant resources among those judged\.$/);
    expect(html).toContain('<span data-count="notJudged">1</span>');
    expect(html).toContain(`input: ${notJson}:`);
  });

  it('HTML of a complete clean scan still says so in one line', async () => {
    const { clean } = inputs();
    const out = join(tempDir(), 'r.html');
    const r = await scan([clean], { format: 'html', output: out }, '', rules);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('id="verdict">No non-compliant resources.</p>');
  });

  it('CSV adds a NOT_JUDGED row per gap and keeps the unreadable resource as its NON_COMPLIANT row only', async () => {
    const { broken, notJson } = inputs();
    const r = await scan([broken, notJson], { format: 'csv', rules: 'encrypted-at-rest' }, '', rules);
    expect(r.code).toBe(2);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header).toEqual([...CSV_COLUMNS]);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const failed = rows.filter((x) => x[col('compliance')] === 'NON_COMPLIANT');
    expect(failed.map((x) => [x[col('resourceId')], x[col('code')]])).toEqual([
      [BROKEN_TOPIC.resourceId, 'unreadable-configuration'],
    ]);
    // The engine code fails the controls the rule covers on a topic (fail closed).
    expect(failed[0][col('controls')].split(' ')).toEqual(expect.arrayContaining(['nist-800-53-r5:SC-28']));
    const gaps = rows.filter((x) => x[col('compliance')] === NOT_JUDGED);
    expect(gaps).toHaveLength(1);
    expect(gaps[0][col('resourceId')]).toBe(notJson);
    expect(gaps[0][col('message')]).toMatch(/^not judged \(input\): /);
  });

  it('the CSV control summary of an incomplete scan ends with a NOT_JUDGED row', async () => {
    const { broken, notJson } = inputs();
    const out = join(tempDir(), 'r.csv');
    const r = await scan(
      [broken, notJson],
      { format: 'csv', output: out, framework: 'nist-800-53', rules: 'encrypted-at-rest' },
      '',
      rules,
    );
    expect(r.code).toBe(2);
    const rows = parseCsv(readFileSync(out.replace(/\.csv$/, '.controls.csv'), 'utf8'));
    expect(rows.at(-1)?.[0]).toBe(NOT_JUDGED);
    expect(rows.at(-1)?.[3]).toMatch(/^incomplete scan: 2 not judged;/);
    // The unreadable topic fails the controls its rule covers on a topic.
    expect(rows.find((x) => x[0] === 'nist-800-53-r5:SC-28')?.slice(4, 6)).toEqual(['0', '1']);
  });

  it('OCSF adds a schema-valid Warning finding per gap after the evaluations', async () => {
    const { broken, notJson } = inputs();
    const r = await scan([broken, notJson], { format: 'ocsf', rules: 'encrypted-at-rest' }, '', rules);
    expect(r.code).toBe(2);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const attrs = complianceFindingAttrs();
    expect(lines.flatMap((l, i) => validate(l, attrs).map((p) => `line ${i + 1}${p}`))).toEqual([]);
    expect(lines.map((l) => l.compliance.status)).toEqual(['Fail', 'Warning']);
    expect(lines[1]).toMatchObject({ compliance: { status_id: 2 }, severity_id: 0 });
    expect(lines[1].message).toContain(notJson);
  });

  it('ASFF keeps the unreadable resource FAILED and the scan exits 2', async () => {
    const { broken, notJson } = inputs();
    const r = await scan([broken, notJson], { format: 'asff', rules: 'encrypted-at-rest' }, '', rules);
    expect(r.code).toBe(2);
    const findings = JSON.parse(r.stdout) as { Compliance: { Status: string; RelatedRequirements?: string[] } }[];
    expect(findings.map((f) => f.Compliance.Status)).toEqual(['FAILED']);
    expect(findings[0].Compliance.RelatedRequirements).toContain('nist-800-53-r5:SC-28');
    expect(r.stderr).toContain(notJson);
  });
});
