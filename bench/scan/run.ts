/*
 * The scan benchmark: side by side in one run, on the same generated snapshots (100k and 1M items by default),
 * each measurement a fresh process (wall time from spawn to exit, CPU of all its threads, peak RSS):
 *   - JSON.parse alone: the whole file in one JSON.parse (only while it fits a V8 string, 512 MB), and each
 *     item as the splitter cuts it (the floor for a streaming JSON-in scanner, at every size);
 *   - `ward scan --format json` with `--jobs 1` (one thread) and with all cores (`--jobs <cores>`);
 *   - cfn-guard on the equivalent encryption checks (bench/scan/encryption.guard) against
 *     `ward scan --rules encrypted-at-rest`, when `cfn-guard` is on PATH (`cargo install cfn-guard`).
 * Then `ward scan` on the bundled sample as a person runs it (cold process).
 *
 * Usage (after `npm run build`): node dist/bench/scan/run.js [--sizes 100000,1000000] [--runs 3] [--rules a,b]
 *   [--guard-max 100000]  cfn-guard reads the whole document into memory: it runs only up to this many items
 * The default rules are every change-triggered rule (no-privilege-escalation included: its group lookups are
 * answered from the snapshot index's names, bench/README.md).
 * Snapshots are generated once into bench/data/ (gitignored). Each figure is the median of --runs runs, the
 * measurements of one size taking turns (so that a drift of the machine's speed moves them all alike).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { rules as registry } from '../../rules';
import { generateSnapshot, packageRoot } from './generate';

interface Measure {
  /** Whole process, spawn to exit. */
  wall: number;
  cpuSeconds: number;
  maxRssMb: number;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

/** V8's longest string (2^29 - 24 one-byte characters): a larger file cannot be parsed in one JSON.parse. */
const MAX_STRING = 2 ** 29 - 24;

/** One measurement in a child process. */
function measure(args: string[]): Measure {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [join(__dirname, 'measure.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const m = JSON.parse(out.trim().split('\n').pop() as string) as Omit<Measure, 'wall'>;
  return { wall, cpuSeconds: m.cpuSeconds, maxRssMb: m.maxRssMb };
}

/** A command run as a whole process (cfn-guard): wall time; its exit status does not matter (findings). */
function timeCommand(cmd: string, args: string[]): Measure {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const [user, sys, rssKb] = (r.stderr.trim().split('\n').pop() ?? '0 0 0').split(' ').map(Number);
  return { wall, cpuSeconds: user + sys, maxRssMb: rssKb / 1024 };
}

/**
 * Runs each measurement `n` times, taking turns (a, b, c, a, b, c, ...), and returns the run with the median wall
 * time of each: the machine's speed may drift over minutes, and in turns it drifts under every figure alike, so
 * the ratios between them hold better than when each is measured in a block of its own.
 */
function mediansInTurn<K extends string>(
  n: number,
  runs: Record<K, (() => Measure) | undefined>,
): Record<K, Measure | undefined> {
  const keys = Object.keys(runs) as K[];
  const all = new Map<K, Measure[]>(keys.map((k) => [k, []]));
  for (let i = 0; i < n; i++) {
    for (const k of keys) {
      const run = runs[k];
      if (run) all.get(k)?.push(run());
    }
  }
  const median = (ms: Measure[]) => [...ms].sort((a, b) => a.wall - b.wall)[Math.floor(ms.length / 2)];
  return Object.fromEntries(keys.map((k) => [k, runs[k] ? median(all.get(k) ?? []) : undefined])) as Record<
    K,
    Measure | undefined
  >;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sec = (m: Measure | undefined) => (m ? m.wall.toFixed(2) : 'n/a');
const ratio = (a: Measure, b: Measure | undefined) => (b ? `${(a.wall / b.wall).toFixed(2)}x` : 'n/a');

function onPath(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const root = packageRoot();
  const sizes = arg('--sizes', '100000,1000000').split(',').map(Number);
  const runs = Number(arg('--runs', '3'));
  const ruleIds = arg(
    '--rules',
    registry
      .filter((r) => r.meta.trigger.onChange)
      .map((r) => r.meta.id)
      .join(','),
  );
  const cores = cpus().length;
  const guard = onPath('cfn-guard');
  const guardMax = Number(arg('--guard-max', '100000'));
  const times: string[] = [
    `| items | file MB | JSON.parse whole file s | JSON.parse per item s | ward --jobs 1 s | ward --jobs ${cores} s | ` +
      `--jobs 1 / JSON.parse | --jobs ${cores} / JSON.parse | items/s --jobs 1 | items/s --jobs ${cores} |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const memory: string[] = [
    `| items | JSON.parse whole file | JSON.parse per item | ward --jobs 1 | ward --jobs ${cores} | CPU s --jobs 1 | CPU s --jobs ${cores} |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const guardRows: string[] = [];
  for (const size of sizes) {
    const file = join(root, 'bench', 'data', `snapshot-${size}.json`);
    if (!existsSync(file)) {
      process.stderr.write(`bench: generating ${file}\n`);
      await generateSnapshot(size, file);
    }
    const bytes = statSync(file).size;
    process.stderr.write(`bench: ${fmt(size)} items (${(bytes / 1e6).toFixed(0)} MB), ${runs} run(s) each\n`);
    const m = mediansInTurn(runs, {
      whole: bytes <= MAX_STRING ? () => measure(['parse-whole', file]) : undefined,
      items: () => measure(['parse-items', file]),
      one: () => measure(['scan', file, '1', ruleIds]),
      all: () => measure(['scan', file, String(cores), ruleIds]),
    });
    const whole = m.whole;
    const items = m.items as Measure;
    const one = m.one as Measure;
    const all = m.all as Measure;
    // The primary JSON.parse figure: the whole file where it fits, else each item.
    const floor = whole ?? items;
    times.push(
      `| ${fmt(size)} | ${(bytes / 1e6).toFixed(0)} | ${sec(whole)} | ${sec(items)} | ${sec(one)} | ${sec(all)} | ` +
        `${ratio(one, floor)} (${ratio(one, items)} per item) | ${ratio(all, floor)} (${ratio(all, items)} per item) | ` +
        `${fmt(size / one.wall)} | ${fmt(size / all.wall)} |`,
    );
    const mb = (m: Measure | undefined) => (m ? `${m.maxRssMb.toFixed(0)} MB` : 'n/a');
    memory.push(
      `| ${fmt(size)} | ${mb(whole)} | ${mb(items)} | ${mb(one)} | ${mb(all)} | ${one.cpuSeconds.toFixed(1)} | ${all.cpuSeconds.toFixed(1)} |`,
    );
    if (guard && size <= guardMax) {
      const rules = join(__dirname, '..', '..', '..', 'bench', 'scan', 'encryption.guard');
      const gm = mediansInTurn(runs, {
        g: () => timeCommand('cfn-guard', ['validate', '--rules', rules, '--data', file, '--show-summary', 'none']),
        w1: () => measure(['scan', file, '1', 'encrypted-at-rest']),
        wn: () => measure(['scan', file, String(cores), 'encrypted-at-rest']),
      });
      const g = gm.g as Measure;
      const w1 = gm.w1 as Measure;
      const wn = gm.wn as Measure;
      guardRows.push(
        `| ${fmt(size)} | ${sec(g)} | ${sec(w1)} | ${sec(wn)} | ${(g.wall / w1.wall).toFixed(1)}x | ${(g.wall / wn.wall).toFixed(1)}x | ${mb(g)} |`,
      );
    }
  }

  // `ward scan` with no arguments, as a person runs it: a cold node process each time.
  const ward = join(root, 'bin', 'ward');
  const cold: number[] = [];
  for (let i = 0; i < Math.max(runs, 5); i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [ward, 'scan'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    cold.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (r.status !== 0) throw new Error(`ward scan exited ${r.status}: ${r.stderr}`);
  }
  cold.sort((a, b) => a - b);
  const out = process.stdout;
  out.write(`Rules: ${ruleIds}\n\n`);
  out.write(
    `Wall time of whole processes (median of ${runs}, measured in turns); ratios to JSON.parse of the whole file where it fits a V8 string, else of each item:\n\n`,
  );
  out.write(`${times.join('\n')}\n\nPeak RSS (all threads) and CPU seconds:\n\n${memory.join('\n')}\n\n`);
  if (guard && guardRows.length > 0) {
    out.write(
      `cfn-guard (bench/scan/encryption.guard) against ward scan --rules encrypted-at-rest:\n\n` +
        `| items | cfn-guard s | ward --jobs 1 s | ward --jobs ${cores} s | ward --jobs 1 faster by | ward --jobs ${cores} faster by | cfn-guard peak RSS |\n` +
        `|---:|---:|---:|---:|---:|---:|---:|\n${guardRows.join('\n')}\n\n`,
    );
  }
  if (!guard) out.write('cfn-guard: skipped (not on PATH; install with `cargo install cfn-guard`)\n\n');
  else if (sizes.some((n) => n > guardMax))
    out.write(`cfn-guard: not run above ${fmt(guardMax)} items (--guard-max)\n\n`);
  out.write(
    `ward scan (bundled sample, cold process): median ${cold[Math.floor(cold.length / 2)].toFixed(2)} s over ${cold.length} runs\n`,
  );
  out.write(
    `node ${process.version}, ${cores} CPUs, load average ${require('node:os')
      .loadavg()
      .map((l: number) => l.toFixed(1))
      .join(' ')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${String(err)}\n`);
  process.exit(1);
});
