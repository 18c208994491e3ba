import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../scan/scan-harness';

const ROOT = join(__dirname, '..', '..', '..');
const WARD = join(ROOT, 'bin', 'ward');
const SAMPLE = join(ROOT, 'examples', 'config-snapshot.json');
const ESC = '\x1b[';

function ward(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['NO_COLOR', 'FORCE_COLOR'].includes(k)),
  );
  return spawnSync(process.execPath, [WARD, ...args], { cwd, encoding: 'utf8', env: { ...clean, ...env } });
}

const rulesRun = (stdout: string) => Object.keys(JSON.parse(stdout).summary.rules);

describe('ward scan on the command line (spawns bin/ward; needs `npm run build`)', () => {
  it('reads ward.config.json from the working directory: enabled rules, parameters and trusted accounts', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'ward.config.json'),
      `// the same file ward deploy reads
      { "trustedAccountIds": ["444455556666"], "rules": { "no-wildcard-actions": { "enabled": false } } }`,
    );
    const r = ward(['scan', SAMPLE, '-f', 'json'], dir);
    expect(r.status).toBe(0);
    expect(rulesRun(r.stdout)).not.toContain('no-wildcard-actions');
    const codes = JSON.parse(r.stdout).evaluations.flatMap((e: { findings: { code: string }[] }) =>
      e.findings.map((f) => f.code),
    );
    expect(codes).not.toContain('external-principal');
    const ignored = ward(['scan', SAMPLE, '-f', 'json', '--no-config'], dir);
    expect(rulesRun(ignored.stdout)).toContain('no-wildcard-actions');
  });

  it('reads --config FILE, its suppressions file, and exits 2 naming an invalid configuration', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'supp.yaml'),
      'suppressions:\n  - rule: no-wildcard-actions\n    resource: "*"\n    reason: test\n',
    );
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ suppressions: 'supp.yaml' }));
    const r = ward(['scan', SAMPLE, '-f', 'json', '--config', join(dir, 'other.json')], tempDir());
    expect(r.status).toBe(0);
    const nwa = JSON.parse(r.stdout).evaluations.filter(
      (e: { rule: string; compliance: string }) => e.rule === 'no-wildcard-actions' && e.compliance === 'NON_COMPLIANT',
    );
    expect(nwa.length).toBeGreaterThan(0);
    expect(nwa.every((e: { suppressed?: object }) => e.suppressed)).toBe(true);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ rules: { 'no-such-rule': {} } }));
    const bad = ward(['scan', SAMPLE, '--config', join(dir, 'bad.json')], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.json');
    expect(bad.stderr).toContain('rules.no-such-rule: no such rule');
  });

  it('takes the short flags -r, -f, -o and -q', () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    const r = ward(['scan', SAMPLE, '-r', 'encrypted-at-rest', '-f', 'json', '-o', out, '-q'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(Object.keys(JSON.parse(readFileSync(out, 'utf8')).summary.rules)).toEqual(['encrypted-at-rest']);
  });

  it('colours the table with --color even through a pipe, and never with NO_COLOR or --no-color', () => {
    const dir = tempDir();
    expect(ward(['scan', SAMPLE, '--color'], dir).stdout).toContain(ESC);
    expect(ward(['scan', SAMPLE, '--color', 'always'], dir).stdout).toContain(ESC);
    expect(ward(['scan', SAMPLE], dir).stdout).not.toContain(ESC);
    expect(ward(['scan', SAMPLE, '--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(ward(['scan', SAMPLE], dir, { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
    const bad = ward(['scan', SAMPLE, '--color', 'sometimes'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown --color sometimes/);
  });

  it('prints bash and zsh completion scripts that name every command and the scan flags', () => {
    for (const shell of ['bash', 'zsh']) {
      const r = ward(['completion', shell], tempDir());
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('complete -F _ward_complete ward');
      for (const word of [
        'scan',
        'rules',
        'deploy',
        'completion',
        '--fail-on',
        '--min-severity',
        '--suppressions',
        '--baseline',
        '-o',
      ])
        expect(r.stdout).toContain(word);
      const check = spawnSync('bash', ['-n'], { input: r.stdout, encoding: 'utf8' });
      expect(check.status).toBe(0);
    }
    const bash = ward(['completion', 'bash'], tempDir()).stdout;
    const words = spawnSync(
      'bash',
      ['-c', `${bash}\nCOMP_WORDS=(ward scan --fail); COMP_CWORD=2; _ward_complete; echo "\${COMPREPLY[@]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(words.stdout.trim()).toBe('--fail-on');
    const bad = ward(['completion', 'fish'], tempDir());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown shell fish/);
  });

  it('prints the CI recipe result: SARIF to a file, exit 1 on a high finding', () => {
    const dir = tempDir();
    const r = ward(['scan', SAMPLE, '--format', 'sarif', '-o', 'ward.sarif', '--fail-on', 'high'], dir);
    expect(r.status).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'ward.sarif'), 'utf8')).runs[0].results.length).toBeGreaterThan(0);
  });
});
