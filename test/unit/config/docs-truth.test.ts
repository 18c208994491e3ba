import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import type { AnyRule } from '../../../rules/runtime/types';
import { projectRoot } from '../../../infra/paths';
import { scan } from '../scan/scan-harness';

/*
 * Claims in README.md and docs/ that a new user can check, checked against what ward does: the numbers of the
 * scan examples (on the bundled sample), and what the docs say about exit codes and periodic rules on snapshots.
 */
const ROOT = projectRoot();
const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8');
const SAMPLE = join(ROOT, 'examples', 'config-snapshot.json');

interface Summary {
  itemsRead: number;
  evaluations: number;
  compliance: Record<string, number>;
  rules: Record<string, Record<string, number>>;
  inputs: { items: number; layout: string }[];
  skippedRules: { rule: string }[];
  notJudged: { count: number };
}

let summary: Summary;
let code: number;
beforeAll(async () => {
  const r = await scan([SAMPLE], { format: 'json' }, '', rules as readonly AnyRule[]);
  code = r.code;
  summary = (JSON.parse(r.stdout) as { summary: Summary }).summary;
});

describe('docs/scan.md', () => {
  const doc = read('docs', 'scan.md');
  const example = JSON.parse(
    ([...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]).find((b) => b.includes('"summary"')) ?? '{}').replace(/"…": \{\}/g, '"_": {}').replace(/…/g, ''),
  ) as { summary: Summary };

  it('shows the summary that ward scan --format json prints on the bundled sample', () => {
    const s = example.summary;
    expect(s.itemsRead).toBe(summary.itemsRead);
    expect(s.inputs[0].items).toBe(summary.inputs[0].items);
    expect(s.inputs[0].layout).toBe(summary.inputs[0].layout);
    expect(s.evaluations).toBe(summary.evaluations);
    expect(s.compliance).toEqual(summary.compliance);
    expect(s.rules['encrypted-at-rest']).toEqual(summary.rules['encrypted-at-rest']);
    expect(s.notJudged.count).toBe(summary.notJudged.count);
  });

  it('is right that the bundled sample scans completely: exit 0, nothing not judged', () => {
    expect(code).toBe(0);
    expect(summary.notJudged.count).toBe(0);
  });
});

describe('README.md', () => {
  const readme = read('README.md');

  it('shows the no-wildcard-actions counts of the bundled sample in its table example', () => {
    const c = summary.rules['no-wildcard-actions'];
    expect(readme).toContain(
      `  ${c.NON_COMPLIANT} non-compliant, ${c.COMPLIANT} compliant, ${c.NOT_APPLICABLE} not applicable`,
    );
  });

  it('states the bundled sample size the scan reads', () => {
    expect(readme).toContain(`on the bundled sample (${summary.itemsRead} items)`);
  });
});

describe('rules/credentials-not-shared/README.md', () => {
  it('says what a snapshot scan does with the rule: skipped and listed, as the scan does', () => {
    expect(summary.skippedRules.map((s) => s.rule)).toContain('credentials-not-shared');
    expect(read('rules', 'credentials-not-shared', 'README.md')).toMatch(/under "Skipped rules"/);
  });
});

describe('docs/configuration.md', () => {
  it('says synth, diff and deploy work without a configuration file (the toolkit is given none)', () => {
    expect(read('docs', 'configuration.md')).toMatch(/`ward synth`, `ward diff` and `ward deploy` then use them/);
  });
});

describe('every rule README', () => {
  it.each(rules.map((r) => [r.meta.id]))('%s documents unreadable-configuration', (id) => {
    expect(read('rules', id, 'README.md')).toContain('unreadable-configuration');
  });
});

describe('ward respond --mode dry-run (spawns bin/ward; needs `npm run build`)', () => {
  it('takes the region from the event without AWS_REGION, as docs/responder.md says, and exits 2 when AWS is unreachable', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_MAX_ATTEMPTS: '1',
    };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;
    delete env.AWS_PROFILE;
    const event = join(ROOT, 'examples', 'events', 'compliance-change-s3-unencrypted.json');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'ward'), 'respond', '--event', event, '--mode', 'dry-run'],
      {
        encoding: 'utf8',
        env,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/Region is missing/);
    expect(r.stderr).toMatch(/ECONNREFUSED 127\.0\.0\.1:9/);
    expect(read('docs', 'responder.md')).toMatch(/without one, the event's region/);
    expect(read('README.md')).toContain('the region comes from the event when AWS_REGION is unset');
  });
});
