import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../../bin/cli';
import { EXIT_CODE_TABLE, ExitCode, exitCodeOf, exitCodeOfTool } from '../../../scan/exit-codes';

const ROOT = join(__dirname, '..', '..', '..');
const WARD = join(ROOT, 'bin', 'ward');
const dir = mkdtempSync(join(tmpdir(), 'ward-exit-'));

function ward(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [WARD, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, WARD_CONFIG: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const VERBS = buildProgram().commands.map((c) => c.name());

describe('exit codes of every verb (spawns bin/ward; needs `npm run build`)', () => {
  it('covers every registered verb', () => {
    expect(VERBS).toEqual(
      expect.arrayContaining([
        'rules',
        'scan',
        'respond',
        'audit',
        'rollback',
        'init',
        'synth',
        'diff',
        'deploy',
        'destroy',
        'pack',
      ]),
    );
  });

  // What each verb needs besides the option, so that the unknown option is the only mistake.
  const REQUIRED: Readonly<Record<string, readonly string[]>> = { respond: ['--event', 'e.json'], rollback: ['id'] };

  it.each(VERBS)('%s: an unknown option is a usage error, exit 2 (commander alone would exit 1)', (verb) => {
    const r = ward([verb, ...(REQUIRED[verb] ?? []), '--no-such-option']);
    expect(r.stderr).toMatch(/unknown option '--no-such-option'/);
    expect(r.code).toBe(ExitCode.INCOMPLETE);
  });

  it.each(VERBS)('%s: --help exits 0', (verb) => {
    expect(ward([verb, '--help']).code).toBe(ExitCode.OK);
  });

  it.each([
    ['no verb at all', []],
    ['an unknown verb', ['scna']],
    ['rules with an unknown --format', ['rules', '--format', 'xml']],
    ['scan with --rules ""', ['scan', '--rules', '']],
    ['scan with an unknown rule id in --rules', ['scan', '--rules', 'no-wildcard-action']],
    ['scan with a missing input', ['scan', 'missing.json']],
    ['respond without --event', ['respond']],
    ['respond with an event file that does not exist', ['respond', '--event', 'missing.json']],
    ['audit with --limit 0', ['audit', '--limit', '0']],
    ['rollback without an audit id', ['rollback']],
    ['init over an existing file without --force', ['init', '--file', 'exists.json']],
    ['synth with a configuration file that does not exist', ['synth', '--config', 'missing.json']],
    ['diff with an unknown --mode', ['diff', '--mode', 'everything']],
    ['deploy with a configuration file that does not exist', ['deploy', '--config', 'missing.json']],
    ['destroy with a configuration file that does not exist', ['destroy', '--config', 'missing.json']],
  ])('%s exits 2 with one line on stderr', (_name, args) => {
    writeFileSync(join(dir, 'exists.json'), '{}');
    const r = ward(args);
    expect(r.code).toBe(ExitCode.INCOMPLETE);
    expect(r.stderr.trim()).not.toBe('');
  });

  it('pack --check: 0 when the packs are in step, 1 when they drifted, 2 for a region name that is not one', () => {
    const packs = join(ROOT, 'conformance-packs');
    expect(ward(['pack', '--check', '--dir', packs]).code).toBe(ExitCode.OK);
    expect(
      ward(['pack', '--check', '--dir', packs, '--region', 'us-east-1', 'eu-central-1', 'us-gov-west-1']).code,
    ).toBe(ExitCode.OK);
    const typo = ward(['pack', '--check', '--dir', packs, '--region', 'us-east-one']);
    expect(typo.code).toBe(ExitCode.INCOMPLETE);
    expect(typo.stderr).toMatch(/--region us-east-one: not an AWS region name/);
    expect(ward(['pack', '--check', '--dir', join(dir, 'never-written')]).code).toBe(ExitCode.FINDINGS);
  });

  it('scan: 0 on the bundled sample, 1 with --fail-on non-compliant, 2 when an input is bad (report still written)', () => {
    expect(ward(['scan']).code).toBe(ExitCode.OK);
    expect(ward(['scan', '--fail-on', 'non-compliant']).code).toBe(ExitCode.FINDINGS);
    const bad = join(dir, 'bad.jsonl');
    const items = JSON.parse(readFileSync(join(ROOT, 'examples', 'config-snapshot.json'), 'utf8')).configurationItems;
    writeFileSync(
      bad,
      `${JSON.stringify(items[0])}\n42\n${items
        .slice(1)
        .map((x: unknown) => JSON.stringify(x))
        .join('\n')}\n`,
    );
    const r = ward(['scan', bad, '--format', 'json', '--fail-on', 'non-compliant']);
    expect(r.code).toBe(ExitCode.INCOMPLETE);
    expect(r.stderr).toMatch(/bad\.jsonl: line 2 \(item 1\): not a JSON object/);
    expect(JSON.parse(r.stdout).summary.notJudged.count).toBe(1);
  });

  it.each([[[]], [['--fail-on', 'non-compliant']]])(
    'scan --live against an endpoint it cannot reach exits 2 (%j)',
    (extra) => {
      const r = ward(['scan', '--live', '--region', 'us-east-1', '--format', 'json', ...extra], {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_MAX_ATTEMPTS: '1',
        AWS_PROFILE: '',
      });
      expect(r.code).toBe(ExitCode.INCOMPLETE);
      expect(r.stderr).toMatch(/^ward scan: us-east-1: cannot identify the account/m);
      expect(JSON.parse(r.stdout).summary.notJudged.count).toBeGreaterThan(0);
    },
  );
});

describe('the exit-code table', () => {
  it('is printed by ward --help, row by row', () => {
    const r = ward(['--help']);
    for (const [code, text] of EXIT_CODE_TABLE) expect(r.stdout).toContain(`  ${code}  ${text}`);
  });

  it('is in README.md, row by row', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [code, text] of EXIT_CODE_TABLE) expect(readme).toContain(`| ${code} | ${text} |`);
  });

  it.each([
    [{ incomplete: false, failing: false }, 0],
    [{ incomplete: false, failing: true }, 1],
    [{ incomplete: true, failing: false }, 2],
    [{ incomplete: true, failing: true }, 2],
  ])('maps %j to %d: not done wins over findings', (outcome, code) => {
    expect(exitCodeOf(outcome)).toBe(code);
  });

  it.each([
    [0, 0],
    [1, 2],
    [null, 2],
  ])('maps a toolkit status %p to %d', (status, code) => {
    expect(exitCodeOfTool(status)).toBe(code);
  });
});
