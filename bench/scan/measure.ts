/*
 * One measurement, run in its own process by bench/scan/run.ts so that its wall time is a whole process's and
 * its peak memory (maxRSS, which counts every thread) is its own:
 *   measure.js scan <file> [jobs] [rules]  the full `ward scan --format json` to /dev/null (jobs: a number or auto),
 *                                          started again with the CLI's heap limit for a large file
 *   measure.js parse-items <file>          the same bytes cut by the splitter and JSON.parse'd, nothing else
 *   measure.js parse-whole <file>          readFileSync + one JSON.parse of the whole file (what fits a V8 string)
 * Prints one JSON line: { seconds, cpuSeconds, parseSeconds?, items?, maxRssMb }.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { heapLimitFor, namedInputSizes, runWithHeapLimit } from '../../scan/heap-limit';
import { ItemSplitter } from '../../scan/inputs/item-splitter';
import { runScan } from '../../scan/run';

async function scan(file: string, jobs: string, rules: string | undefined): Promise<Record<string, number>> {
  const sink = new PassThrough();
  sink.resume();
  const started = process.hrtime.bigint();
  const code = await runScan(
    [file],
    { format: 'json', output: '/dev/null', jobs, quiet: true, ...(rules ? { rules } : {}) },
    {
      stdin: process.stdin,
      stdout: sink,
      stderr: process.stderr,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`ward scan exited ${code}`);
  return { seconds };
}

async function parseItems(file: string): Promise<Record<string, number>> {
  let parseNs = 0n;
  let items = 0;
  const splitter = new ItemSplitter(({ bytes }) => {
    const text = bytes.toString('utf8');
    const t = process.hrtime.bigint();
    JSON.parse(text);
    parseNs += process.hrtime.bigint() - t;
    items++;
  });
  const started = process.hrtime.bigint();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) splitter.push(chunk as Buffer);
  splitter.end();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, parseSeconds: Number(parseNs) / 1e9, items };
}

function parseWhole(file: string): Record<string, number> {
  const started = process.hrtime.bigint();
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { configurationItems?: unknown[] };
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, items: doc.configurationItems?.length ?? 0 };
}

async function main(): Promise<void> {
  const [mode, file, jobs = '1', rules] = process.argv.slice(2);
  // A scan starts again with the heap limit the CLI would give it (scan/heap-limit.ts), and the measurement is
  // the child's; the wall time (taken by run.ts) includes both starts, as a person running ward waits for both.
  const limit = mode === 'scan' ? heapLimitFor(namedInputSizes([file])) : undefined;
  if (limit !== undefined) {
    process.exitCode = await runWithHeapLimit(limit);
    return;
  }
  const cpu = process.cpuUsage();
  const result =
    mode === 'parse-items'
      ? await parseItems(file)
      : mode === 'parse-whole'
        ? parseWhole(file)
        : await scan(file, jobs, rules);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds, maxRssMb })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`measure: ${String(err)}\n`);
  process.exit(1);
});
