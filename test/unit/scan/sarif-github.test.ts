import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rules } from '../../../rules';
import { ScanReport } from '../../../scan/findings/report';
import { toScanEvaluation } from '../../../scan/findings/scan-evaluation';
import { projectLinks } from '../../../scan/outputs/project-links';
import { toSarif } from '../../../scan/outputs/sarif';
import type { Evaluation } from '../../../rules/runtime/types';
import { runWard, SAMPLE } from './findings-harness';
import { tempDir } from './scan-harness';

const ROOT = join(__dirname, '..', '..', '..');
const MULTITOOL = join(ROOT, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
const SECURITY_SEVERITY: Record<string, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  informational: '0.0',
};
const LEVEL: Record<string, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  informational: 'note',
};

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
    logicalLocations: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, string>;
  suppressions?: { kind: string; justification: string }[];
}

/** The sample's SARIF, written to a file in the repository root's terms (cwd = ROOT). */
async function sampleSarif(cwd = ROOT) {
  const out = join(tempDir(), 'ward.sarif');
  const r = await runWard([relative(cwd, SAMPLE)], { format: 'sarif', output: out }, { cwd });
  expect(r.code).toBe(0);
  return { file: out, log: JSON.parse(readFileSync(out, 'utf8')) };
}

/**
 * The 1-based line where each item of the sample starts: the sample is pretty-printed with two spaces, so an
 * item opens on a line that is exactly four spaces and `{`, in item order.
 */
function sampleItemLines(): Map<string, number> {
  const text = readFileSync(SAMPLE, 'utf8');
  const opens = text
    .split('\n')
    .map((l, k) => (l === '    {' ? k + 1 : 0))
    .filter((k) => k > 0);
  const items = JSON.parse(text).configurationItems as { resourceId: string }[];
  expect(opens).toHaveLength(items.length);
  return new Map(items.map((item, k) => [item.resourceId, opens[k]]));
}

describe('SARIF for GitHub code scanning', () => {
  it('anchors every result to the input file, repository-relative, at the line where its item starts', async () => {
    const { log } = await sampleSarif();
    const starts = sampleItemLines();
    const results = log.runs[0].results as SarifResult[];
    expect(results.length).toBeGreaterThan(30);
    for (const r of results) {
      const loc = r.locations[0];
      expect(loc.physicalLocation.artifactLocation.uri).toBe('examples/config-snapshot.json');
      expect(loc.physicalLocation.region.startLine).toBe(starts.get(r.properties.resourceId));
    }
  });

  it('gives every result its ARN as a logical location, identity in message and properties, a fingerprint and a level from its severity', async () => {
    const { log } = await sampleSarif();
    const driver = log.runs[0].tool.driver;
    const fingerprints = new Set<string>();
    for (const r of log.runs[0].results as SarifResult[]) {
      const p = r.properties;
      expect(p.accountId).toBe('111122223333');
      expect(p.region).toMatch(/^(us-east-1|global)$/);
      expect(p.arn).toMatch(/^arn:aws:/);
      expect(r.locations[0].logicalLocations[0]).toMatchObject({ fullyQualifiedName: p.arn, kind: 'resource' });
      expect(r.message.text).toContain(p.arn);
      expect(r.message.text).toContain('account 111122223333');
      expect(r.message.text).toContain(`region ${p.region}`);
      expect(r.partialFingerprints['ward/v1']).toMatch(/^[0-9a-f]{32}$/);
      fingerprints.add(r.partialFingerprints['ward/v1']);
      expect(r.level).toBe(LEVEL[p.severity]);
      expect(driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    expect(fingerprints.size).toBe(log.runs[0].results.length);
  });

  it('keeps fingerprints stable across runs and independent of where the file is', async () => {
    const a = (await sampleSarif()).log.runs[0].results as SarifResult[];
    const copy = join(tempDir(), 'moved', 'snapshot.json');
    mkdirSync(join(copy, '..'));
    // The same items, laid out differently: other lines, same findings.
    writeFileSync(copy, JSON.stringify(JSON.parse(readFileSync(SAMPLE, 'utf8'))));
    const out = join(tempDir(), 'b.sarif');
    await runWard([copy], { format: 'sarif', output: out });
    const b = JSON.parse(readFileSync(out, 'utf8')).runs[0].results as SarifResult[];
    const key = (r: SarifResult) => r.partialFingerprints['ward/v1'];
    expect(b.map(key).sort()).toEqual(a.map(key).sort());
    expect(b.every((r) => r.locations[0].physicalLocation.region.startLine === 1)).toBe(true);
  });

  it('describes every rule with help text and markdown, helpUri, security-severity, tags, and the driver with informationUri', async () => {
    const { log } = await sampleSarif();
    const run = log.runs[0];
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    expect(run.automationDetails.id).toBe('ward/examples-config-snapshot.json/');
    for (const d of run.tool.driver.rules) {
      const [ruleId, code] = d.id.split('/');
      const rule = rules.find((r) => r.meta.id === ruleId);
      expect(rule).toBeDefined();
      const severity = rule?.meta.findingCodes[code]?.severity ?? d.properties.severity;
      expect(d.properties['security-severity']).toBe(SECURITY_SEVERITY[severity]);
      expect(d.defaultConfiguration.level).toBe(LEVEL[severity]);
      expect(d.help.text).toContain(`rules/${ruleId}/README.md`);
      expect(d.help.markdown).toContain(`(${d.helpUri})`);
      expect(d.helpUri).toMatch(new RegExp(`^https://.*/rules/${ruleId}/README\\.md$`));
      expect(d.properties.tags).toContain('security');
      expect(d.properties.tags).toContain(ruleId);
      expect(d.properties.tags.length).toBeLessThanOrEqual(20);
      expect(d.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    }
  });

  it('anchors items of a .gz file to their line in the decompressed text', async () => {
    const dir = tempDir();
    const gz = join(dir, 'snapshot.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE)));
    const out = join(dir, 'gz.sarif');
    await runWard([gz], { format: 'sarif', output: out }, { cwd: dir });
    const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results as SarifResult[];
    const starts = sampleItemLines();
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('snapshot.json.gz');
      expect(r.locations[0].physicalLocation.region.startLine).toBe(starts.get(r.properties.resourceId));
    }
  });

  it('refuses stdin with --format sarif, since GitHub rejects a result without a file', async () => {
    const r = await runWard(['-'], { format: 'sarif' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format sarif needs input files/);
  });

  it('cuts results past the limits, most severe kept, and says so', () => {
    const rule = rules.find((r) => r.meta.id === 'kms-keys-not-shared');
    if (!rule) throw new Error('no kms-keys-not-shared');
    const report = new ScanReport([rule], { keepPerRule: Infinity });
    const codes = ['malformed-policy', 'public-key-access', 'external-grant', 'malformed-policy', 'public-key-access'];
    for (const [i, code] of codes.entries()) {
      const e = {
        resourceType: 'AWS::KMS::Key',
        resourceId: `k${i}`,
        compliance: 'NON_COMPLIANT',
        annotation: 'x',
        findings: [{ code, message: code }],
      } as unknown as Evaluation;
      report.add(
        toScanEvaluation(rule, e, {
          accountId: '111122223333',
          region: 'us-east-1',
          location: { file: 'a.json', line: i + 1 },
        }),
      );
    }
    const out = toSarif(report, {
      version: '0',
      links: projectLinks(),
      cwd: '/',
      automationId: 'ward/x/',
      limits: { results: 3, gzipBytes: 10 * 1024 * 1024 },
    });
    const results = (out.log as { runs: { results: SarifResult[] }[] }).runs[0].results;
    expect(results.map((r) => r.ruleId.split('/')[1])).toEqual([
      'public-key-access',
      'public-key-access',
      'external-grant',
    ]);
    expect(out.warnings).toEqual([
      expect.stringMatching(/5 results exceed the limit of 3 per run; the 2 least severe/),
    ]);
    const opts = { version: '0', links: projectLinks(), cwd: '/', automationId: 'ward/x/' };
    const full = gzipSync(JSON.stringify(toSarif(report, opts).log, null, 2)).length;
    const small = toSarif(report, { ...opts, limits: { results: 100, gzipBytes: full - 1 } });
    const kept = (small.log as { runs: { results: SarifResult[] }[] }).runs[0].results;
    expect(kept.length).toBeLessThan(5);
    expect(kept[0].ruleId).toBe('kms-keys-not-shared/public-key-access');
    expect(small.warnings[0]).toMatch(
      new RegExp(`exceeds ${full - 1} bytes gzipped; the ${5 - kept.length} least severe`),
    );
  });

  it('passes the SARIF multitool validator (SARIF and GitHub rules) with no error or warning', async () => {
    // The package ships the binary without the executable bit for everyone.
    if ((statSync(MULTITOOL).mode & 0o111) !== 0o111) chmodSync(MULTITOOL, 0o755);
    const { file } = await sampleSarif();
    const report = join(tempDir(), 'validation.sarif');
    const r = spawnSync(
      MULTITOOL,
      ['validate', file, '-o', report, '--rule-kind', 'Sarif;Ghas', '--level', 'Error;Warning;Note'],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      },
    );
    expect(r.status).toBe(0);
    const found = JSON.parse(readFileSync(report, 'utf8')).runs[0].results as { ruleId: string; level?: string }[];
    // A result without a level is a warning (SARIF's default).
    const serious = found.filter((x) => (x.level ?? 'warning') !== 'note').map((x) => x.ruleId);
    expect(serious).toEqual([]);
  }, 180_000);
});
