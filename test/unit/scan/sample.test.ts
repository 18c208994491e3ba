import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './scan-harness';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATOR = join(ROOT, 'scripts', 'generate-sample.mjs');
const SAMPLE = join(ROOT, 'examples', 'config-snapshot.json');
const FRAGMENTS = join(ROOT, 'examples', 'sample-account');

function generate(args: string[]) {
  return spawnSync(process.execPath, [GENERATOR, ...args], { encoding: 'utf8' });
}

describe('the bundled sample snapshot', () => {
  it('is in step with examples/sample-account/*.json (run `node scripts/generate-sample.mjs` after editing one)', () => {
    const r = generate(['--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('holds every fragment item, in file-name order, for account 111122223333', () => {
    const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    expect(Object.keys(sample)).toEqual(['fileVersion', 'configSnapshotId', 'configurationItems']);
    const fragments = readdirSync(FRAGMENTS)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .flatMap((n) => JSON.parse(readFileSync(join(FRAGMENTS, n), 'utf8')));
    expect(sample.configurationItems).toEqual(fragments);
    expect(new Set(sample.configurationItems.map((i: { awsAccountId: string }) => i.awsAccountId))).toEqual(
      new Set(['111122223333']),
    );
  });

  it('the generator fails on a duplicate resourceType + resourceId across fragments', () => {
    const dir = tempDir();
    const item = {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b',
      awsAccountId: '111122223333',
      awsRegion: 'us-east-1',
      configurationItemStatus: 'OK',
    };
    writeFileSync(join(dir, '00-a.json'), JSON.stringify([item]));
    writeFileSync(join(dir, '10-b.json'), JSON.stringify([item]));
    const r = generate(['--fragments', dir, '--out', join(dir, 'out.json')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/10-b\.json item 0: duplicate AWS::S3::Bucket b \(also in .*00-a\.json item 0\)/);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });

  it('the generator fails on a fragment that is not an array of items', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '00-a.json'), JSON.stringify({ configurationItems: [] }));
    const r = generate(['--fragments', dir, '--out', join(dir, 'out.json')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/00-a\.json: expected a JSON array of configuration items/);
  });
});

describe('ward scan end to end (spawns bin/ward; needs `npm run build`)', () => {
  const ward = join(ROOT, 'bin', 'ward');
  const built = join(ROOT, 'dist', 'bin', 'commands', 'scan.js');

  it('is built', () => {
    expect(existsSync(built)).toBe(true);
  });

  it('scans the bundled sample with no arguments and prints the table', () => {
    const r = spawnSync(process.execPath, [ward, 'scan'], {
      encoding: 'utf8',
      cwd: tempDir(),
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    expect(r.stdout).toMatch(
      new RegExp(`\\nward scan: ${sample.configurationItems.length} items from 1 input: \\d+ non-compliant`),
    );
    expect(r.stdout).toMatch(/^encrypted-at-rest|no-public-principals|no-wildcard-actions/m);
    expect(r.stdout).toContain('ward-sample-legacy-logs-111122223333');
  });

  it('reads stdin, writes JSON and fails on non-compliant resources', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const out = execFileSync(
      process.execPath,
      [ward, 'scan', '-', '--format', 'json', '--rules', 'encrypted-at-rest'],
      {
        input: readFileSync(SAMPLE),
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(out);
    expect(report.summary.inputs).toEqual([expect.objectContaining({ file: '-', layout: 'snapshot' })]);
    expect(report.summary.compliance.NON_COMPLIANT).toBeGreaterThan(0);
    const failed = spawnSync(process.execPath, [ward, 'scan', SAMPLE, '--fail-on', 'non-compliant'], {
      encoding: 'utf8',
    });
    expect(failed.status).toBe(1);
  });

  it('exits 2 with one line for a missing file', () => {
    const r = spawnSync(process.execPath, [ward, 'scan', 'does-not-exist.json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    // A data table past its age (a rule's runtime table, months from now) adds its own warning line;
    // the error itself stays one line whatever the date.
    const lines = r.stderr
      .split('\n')
      .filter((l) => l !== '' && !/ was taken on \d{4}-\d{2}-\d{2}, \d+ days before this run /.test(l));
    expect(lines).toEqual(['ward scan: does-not-exist.json: no such file or directory']);
  });
});
