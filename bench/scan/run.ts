/*
 * The scan benchmark: configuration items per second of `ward scan` (single process, full rule set,
 * --format json) and its peak memory (maxRSS of a child process running the scan) on generated snapshots of
 * 10k, 100k and 1M items (median of 3 runs each), against plain JSON.parse of the same bytes, and once more
 * confined to one CPU (`taskset -c 0`, where available); then `ward scan` on the bundled sample as a person
 * runs it (cold process, median of several runs).
 *
 * Usage (after `npm run build`): node dist/bench/scan/run.js [--sizes 10000,100000,1000000] [--runs 7]
 * Snapshots are generated once into bench/data/ (gitignored).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateSnapshot, packageRoot } from './generate';

interface Measure {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  parseSeconds?: number;
  items?: number;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** `taskset` (Linux util-linux) confines a process to one CPU; elsewhere the one-CPU column is left out. */
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

/**
 * One measurement in a child process. `oneCpu` runs it under `taskset -c 0`: the scan's JavaScript is one thread
 * either way, but V8's garbage collector and libuv's file reads otherwise use a second core.
 */
function measure(mode: 'scan' | 'parse', file: string, oneCpu = false): Measure {
  const args = [join(__dirname, 'measure.js'), mode, file];
  const [cmd, argv] = oneCpu && TASKSET ? [TASKSET, ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const out = execFileSync(cmd, argv, {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Measure;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The run with the median time of `n` measurements. */
function medianOf(n: number, run: () => Measure, time: (m: Measure) => number = (m) => m.seconds): Measure {
  const all = Array.from({ length: n }, run).sort((a, b) => time(a) - time(b));
  return all[Math.floor(n / 2)];
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const root = packageRoot();
  const sizes = arg('--sizes', '10000,100000,1000000').split(',').map(Number);
  const runs = Number(arg('--runs', '7'));
  const rows: string[] = [
    '| items | file MB | scan wall s | scan CPU s | items/s (wall) | items/s (CPU) | items/s (one CPU) | peak RSS MB | JSON.parse only s | scan / JSON.parse |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const size of sizes) {
    const file = join(root, 'bench', 'data', `snapshot-${size}.json`);
    if (!existsSync(file)) {
      process.stderr.write(`bench: generating ${file}\n`);
      await generateSnapshot(size, file);
    }
    const mb = statSync(file).size / 1e6;
    process.stderr.write(`bench: scanning ${size} items (${mb.toFixed(0)} MB)\n`);
    // Median of 3 runs: a shared machine is noisy (the 1M file then takes about 4 minutes).
    const repeat = 3;
    const scan = medianOf(repeat, () => measure('scan', file));
    const pinned = TASKSET ? medianOf(repeat, () => measure('scan', file, true)) : undefined;
    const parse = medianOf(
      repeat,
      () => measure('parse', file),
      (m) => m.parseSeconds ?? 0,
    );
    rows.push(
      `| ${fmt(size)} | ${mb.toFixed(0)} | ${scan.seconds.toFixed(2)} | ${scan.cpuSeconds.toFixed(2)} | ` +
        `${fmt(size / scan.seconds)} | ${fmt(size / scan.cpuSeconds)} | ` +
        `${pinned ? fmt(size / pinned.seconds) : 'n/a'} | ${scan.maxRssMb.toFixed(0)} | ` +
        `${(parse.parseSeconds ?? 0).toFixed(2)} | ${(scan.cpuSeconds / (parse.parseSeconds ?? 1)).toFixed(1)}x |`,
    );
  }

  // `ward scan` with no arguments, as a person runs it: a cold node process each time.
  const ward = join(root, 'bin', 'ward');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [ward, 'scan'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (r.status !== 0) throw new Error(`ward scan exited ${r.status}: ${r.stderr}`);
  }
  process.stdout.write(`${rows.join('\n')}\n\n`);
  process.stdout.write(
    `ward scan (bundled sample, cold process): median ${median(times).toFixed(2)} s over ${runs} runs ` +
      `(min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)})\n`,
  );
  process.stdout.write(`node ${process.version}, ${require('node:os').cpus().length} CPUs\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${String(err)}\n`);
  process.exit(1);
});
