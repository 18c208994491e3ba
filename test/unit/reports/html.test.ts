import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { scan, tempDir } from '../scan/scan-harness';

/*
 * The HTML report in a real browser: Debian's chromium (scripts/test.sh installs it when missing), driven by
 * puppeteer-core with that executable (html-browser.mjs); no browser is downloaded. The screenshot is kept in
 * test-output/html-report.png.
 */
const ROOT = join(__dirname, '..', '..', '..');
const SAMPLE = join(ROOT, 'examples', 'config-snapshot.json');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const DRIVER = join(__dirname, 'html-browser.mjs');

type Seen = {
  requests: string[];
  counts: Record<string, number>;
  verdict: string;
  charts: string[];
  shown: number;
  rows: number;
  critical: { shown: number; severities: string[] };
  ruleShown: number;
  textShown: number;
  clearedShown: number;
  sortedRules: string[];
  detail: string;
  expanded: string;
};

function drive(html: string, screenshot: string, search: string): Seen {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/test.sh (apt-get install -y chromium)`);
  return JSON.parse(
    execFileSync(process.execPath, [DRIVER, CHROMIUM, html, screenshot, search], { encoding: 'utf8', timeout: 90_000 }),
  );
}

type Json = {
  summary: { compliance: Record<string, number>; suppressed: number };
  evaluations: { compliance: string; severity: string | null; resourceId: string; rule: string }[];
};

describe('ward scan --format html in headless Chromium', () => {
  let json: Json;
  let seen: Seen;
  const nonCompliant = () => json.evaluations.filter((e) => e.compliance === 'NON_COMPLIANT');

  beforeAll(async () => {
    const file = join(tempDir(), 'report.html');
    const r = await scan([SAMPLE], { format: 'html', output: file, framework: 'aws-fsbp' }, '', rules);
    expect(r.code).toBe(0);
    json = JSON.parse((await scan([SAMPLE], { format: 'json' }, '', rules)).stdout);
    mkdirSync(OUT, { recursive: true });
    seen = drive(file, join(OUT, 'html-report.png'), nonCompliant()[0].resourceId);
    if (process.env.WARD_UPDATE_DOCS_PNG)
      copyFileSync(join(OUT, 'html-report.png'), join(ROOT, 'docs', 'html-report.png'));
  }, 120_000);

  it('loads from file:// without fetching anything', () => {
    expect(seen.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('shows the same counts as the JSON report', () => {
    expect(seen.counts).toEqual({ ...json.summary.compliance, suppressed: json.summary.suppressed });
    expect(seen.shown).toBe(nonCompliant().length);
    expect(seen.rows).toBe(Math.min(200, nonCompliant().length));
    expect(seen.verdict).toContain(`${json.summary.compliance.NON_COMPLIANT} non-compliant`);
    expect(seen.charts.length).toBeGreaterThanOrEqual(3);
  });

  it('filters by severity, rule and text', () => {
    expect(seen.critical.shown).toBe(nonCompliant().filter((e) => e.severity === 'critical').length);
    expect(seen.critical.severities.every((s) => s === 'critical')).toBe(true);
    expect(seen.ruleShown).toBe(nonCompliant().filter((e) => e.rule === 'no-wildcard-actions').length);
    const target = nonCompliant()[0].resourceId.toLowerCase();
    expect(seen.textShown).toBe(nonCompliant().filter((e) => e.resourceId.toLowerCase().includes(target)).length);
    expect(seen.clearedShown).toBe(nonCompliant().length);
  });

  it('sorts by a column header and expands a row with the keyboard', () => {
    expect(seen.sortedRules).toEqual([...seen.sortedRules].sort());
    expect(seen.expanded).toBe('true');
    for (const label of ['Message', 'Path', 'Controls', 'Remediation']) expect(seen.detail).toContain(label);
  });

  it('keeps a screenshot of the report', () => {
    expect(readFileSync(join(OUT, 'html-report.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('stays usable with 10,000 findings: pages 200 rows and filters all of them', async () => {
    const base = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    // A volume the sample shows unencrypted, copied 10,000 times.
    const queue = base.configurationItems.find((i: { resourceId: string }) => i.resourceId === 'vol-0a9b8c7d6e5f40312');
    const items = Array.from({ length: 10_000 }, (_, n) => ({
      ...queue,
      resourceId: `${queue.resourceId}-${n}`,
      resourceName: `big-queue-${n}`,
    }));
    const input = join(tempDir(), 'big.json');
    writeFileSync(input, JSON.stringify({ ...base, configurationItems: items }));
    const html = join(tempDir(), 'big.html');
    const r = await scan([input], { format: 'html', output: html, rules: 'encrypted-at-rest' }, '', rules);
    expect(r.code).toBe(0);
    const big = drive(html, '-', `${queue.resourceId}-9999`);
    expect(big.counts.NON_COMPLIANT).toBe(10_000);
    expect(big.shown).toBe(10_000);
    expect(big.rows).toBe(200);
    expect(big.textShown).toBe(1);
  }, 120_000);
});
