import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { generateSnapshot } from '../../../bench/scan/generate';
import { bundleLambdas, ruleHandlerEntry } from '../../../infra/bundling';
import { rules } from '../../../rules';
import { runScan } from '../../../scan/run';
import { baseItem, snapshotOf, tempDir } from './scan-harness';

/*
 * `ward scan --jobs N` judges items in N worker threads (scan/parallel/). Whatever N, the output is the same
 * bytes: these tests run the built CLI (the workers are compiled scripts) once in the scan's own thread and
 * once with two workers, and compare everything it printed.
 */

const ROOT = join(__dirname, '..', '..', '..');
const WARD = join(ROOT, 'bin', 'ward');
const SAMPLE = join(ROOT, 'examples', 'config-snapshot.json');

function ward(args: string[], cwd = ROOT) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.LOG_LEVEL;
  const r = spawnSync(process.execPath, [WARD, 'scan', ...args], { cwd, encoding: 'utf8', env, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the scan with --jobs 1 and --jobs 2 and expects the same exit code, stdout and stderr. */
function expectSameWithTwoWorkers(args: string[], cwd = ROOT) {
  const one = ward([...args, '--jobs', '1'], cwd);
  const two = ward([...args, '--jobs', '2'], cwd);
  expect(two.stderr).toBe(one.stderr);
  expect(two.status).toBe(one.status);
  expect(two.stdout === one.stdout).toBe(true);
  return one;
}

describe('ward scan --jobs (spawns bin/ward; needs `npm run build`)', () => {
  it.each(['json', 'sarif', 'table'])(
    'prints the same %s report for the sample with one thread or two workers',
    (format) => {
      const r = expectSameWithTwoWorkers([SAMPLE, '--format', format]);
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(1000);
    },
  );

  it.each(['csv', 'ocsf', 'asff', 'html'])(
    'writes the same %s report for the sample with one thread or two workers, at one run clock',
    async (format) => {
      // These formats carry the time of the run: the clock is fixed (in-process, only Date is faked; the
      // workers are the built ones and render none of these formats).
      jest.useFakeTimers({
        now: new Date('2026-12-05T12:00:00.000Z'),
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'requestIdleCallback',
          'cancelIdleCallback',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      const run = async (jobs: string) => {
        let out = '';
        const stdout = new PassThrough();
        stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
        const code = await runScan(
          [SAMPLE],
          { format, jobs, quiet: true, suppressions: false },
          {
            stdin: Readable.from([]),
            stdout,
            stderr: new PassThrough(),
            env: {},
            now: new Date('2026-12-05T12:00:00.000Z'),
          },
        );
        return { code, out };
      };
      let one: { code: number; out: string };
      let two: { code: number; out: string };
      try {
        one = await run('1');
        two = await run('2');
      } finally {
        jest.useRealTimers();
      }
      expect(two.code).toBe(one.code);
      expect(one.out.length).toBeGreaterThan(1000);
      expect(two.out === one.out).toBe(true);
    },
  );

  it('reports bad rows, items of other types and suppressions in the same order with two workers', () => {
    const dir = tempDir();
    const bucket = baseItem('AWS::S3::Bucket');
    const topic = baseItem('AWS::SNS::Topic');
    const lines = (rows: string[]) => `${rows.join('\n')}\n`;
    writeFileSync(
      join(dir, 'a.jsonl'),
      lines([
        JSON.stringify(bucket),
        '42',
        '{"resourceType": "AWS::SNS::Topic", "resourceId": tru}',
        JSON.stringify({ ...bucket, resourceType: 'AWS::EC2::SecurityGroup', resourceId: 'sg-0123456789abcdef0' }),
        JSON.stringify(topic),
      ]),
    );
    writeFileSync(
      join(dir, 'b.jsonl'),
      lines(['"text"', JSON.stringify({ resourceId: 'no-type' }), JSON.stringify(bucket)]),
    );
    writeFileSync(
      join(dir, 'ward.suppressions.json'),
      JSON.stringify({
        suppressions: [{ rule: 'encrypted-at-rest', resource: String(topic.resourceId), reason: 'accepted risk' }],
      }),
    );
    const r = expectSameWithTwoWorkers(['a.jsonl', 'b.jsonl', '--format', 'json'], dir);
    expect(r.status).toBe(2);
    const summary = JSON.parse(r.stdout).summary;
    expect(summary.badItems.count).toBe(4);
    expect(summary.inputs.map((i: { notCovered: number }) => i.notCovered)).toEqual([1, 0]);
  });

  it('lists a baseline finding as fixed with two workers when its rule now judges every resource compliant', () => {
    // Workers only count evaluations that are neither NON_COMPLIANT nor with findings, except with a baseline:
    // it must know every rule that ran to list what was fixed.
    const dir = tempDir();
    const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { configurationItems: Record<string, unknown>[] };
    const bucket = sample.configurationItems.find((i) => i.resourceId === 'ward-sample-static-site-111122223333');
    writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify(bucket)}\n`);
    const args = ['a.jsonl', '--rules', 'encrypted-at-rest'];
    const now = JSON.parse(ward([...args, '--format', 'json', '--jobs', '1'], dir).stdout);
    expect(now.evaluations.map((e: { compliance: string }) => e.compliance)).toEqual(['COMPLIANT']);
    const before = {
      ...now,
      evaluations: [
        { ...now.evaluations[0], compliance: 'NON_COMPLIANT', findings: [{ code: 'not-encrypted', message: 'x' }] },
      ],
    };
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(before));
    for (const format of ['table', 'sarif', 'json']) {
      const r = expectSameWithTwoWorkers([...args, '--format', format, '--baseline', 'baseline.json'], dir);
      expect(r.status).toBe(0);
      if (format === 'json') {
        expect(JSON.parse(r.stdout).summary.baseline.fixed).toEqual([
          expect.objectContaining({ rule: 'encrypted-at-rest', resourceId: 'ward-sample-static-site-111122223333' }),
        ]);
      }
    }
  });

  it('judges only the latest capture of each resource of an AWSLogs tree with two workers', () => {
    const root = tempDir();
    const topic = baseItem('AWS::SNS::Topic');
    const capture = (time: string, keyId: string | undefined) => ({
      ...topic,
      configurationItemCaptureTime: time,
      configuration: { ...(topic.configuration as object), KmsMasterKeyId: keyId },
    });
    const days: [string, object[]][] = [
      ['2026-12-01', [capture('2026-12-01T06:00:00.000Z', undefined), baseItem('AWS::S3::Bucket')]],
      ['2026-12-02', [capture('2026-12-02T09:30:00.000Z', 'arn:aws:kms:us-east-1:111122223333:key/k')]],
    ];
    for (const [day, items] of days) {
      const folder = join(root, 'AWSLogs', '111122223333', 'Config', 'us-east-1', ...day.split('-'), 'ConfigSnapshot');
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        join(folder, `111122223333_Config_us-east-1_ConfigSnapshot_${day}.json.gz`),
        gzipSync(snapshotOf(items)),
      );
    }
    const r = expectSameWithTwoWorkers([root, '--format', 'json']);
    expect(JSON.parse(r.stdout).summary.olderCapturesSkipped).toBe(1);
  });

  it('keeps the logs of --verbose on stderr with two workers: stdout is the same JSON report', () => {
    const one = ward([SAMPLE, '--format', 'json', '--jobs', '1', '--verbose']);
    const two = ward([SAMPLE, '--format', 'json', '--jobs', '2', '--verbose']);
    expect(two.status).toBe(0);
    expect(JSON.parse(two.stdout).summary.itemsRead).toBeGreaterThan(0);
    expect(two.stdout === one.stdout).toBe(true);
  });

  it('counts the items of types no selected rule covers in each input summary', () => {
    const only = rules.find((rule) => rule.meta.id === 'encrypted-at-rest');
    const covered = new Set(only?.meta.resourceTypes);
    const items = JSON.parse(readFileSync(SAMPLE, 'utf8')).configurationItems as { resourceType: string }[];
    const r = ward([SAMPLE, '--format', 'json', '--rules', 'encrypted-at-rest']);
    expect(JSON.parse(r.stdout).summary.inputs[0].notCovered).toBe(
      items.filter((i) => !covered.has(i.resourceType)).length,
    );
  });

  it('leaves the worker machinery out of every rule Lambda bundle', () => {
    const entries = rules.map((r) => ruleHandlerEntry(r.meta.id)).filter((e) => existsSync(e));
    expect(entries.length).toBeGreaterThan(3);
    for (const [entry, dir] of bundleLambdas(entries)) {
      const code = readFileSync(join(dir, 'index.js'), 'utf8');
      // esbuild keeps class names (keepNames): a bundle that reached scan/parallel would name these.
      for (const name of ['JudgePool', 'ItemJudge', 'ParallelJudge', 'judge-worker']) {
        expect([entry, code.includes(name)]).toEqual([entry, false]);
      }
    }
  });

  it('refuses a --jobs that is not a whole number from 1 to 64, naming it', () => {
    for (const bad of ['0', 'two', '65', '1.5']) {
      const r = ward([SAMPLE, '--jobs', bad]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--jobs ${bad}: expected a whole number from 1 to 64, or auto`);
    }
  });

  it('prints the same JSON report for a generated 100,000-item snapshot with one thread or two workers', async () => {
    const dir = tempDir();
    const file = join(dir, 'snapshot-100000.json');
    await generateSnapshot(100_000, file);
    try {
      // no-privilege-escalation included: workers index IAM items from what pass 1 kept of them (never parsed
      // again), and find users' groups by name (the generated users belong to generated groups).
      const rules =
        'encrypted-at-rest,no-public-principals,no-wildcard-actions,kms-keys-not-shared,no-privilege-escalation';
      const one = ward([file, '--format', 'json', '--rules', rules, '--jobs', '1', '--output', join(dir, 'one.json')]);
      const two = ward([file, '--format', 'json', '--rules', rules, '--jobs', '2', '--output', join(dir, 'two.json')]);
      expect([one.status, two.status]).toEqual([0, 0]);
      const a = readFileSync(join(dir, 'one.json'));
      const b = readFileSync(join(dir, 'two.json'));
      const report = JSON.parse(a.toString('utf8')) as {
        summary: { itemsRead: number };
        evaluations: { rule: string; findings: { message: string }[] }[];
      };
      expect(report.summary.itemsRead).toBe(100_000);
      // Groups found by name: some user's escalation comes through a generated group's policies.
      const throughGroups = report.evaluations.filter(
        (e) =>
          e.rule === 'no-privilege-escalation' &&
          e.findings.some((f) => / group "ward-sample-[a-z]+-\d+"/.test(f.message)),
      );
      expect(throughGroups.length).toBeGreaterThan(0);
      expect(b.equals(a)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
