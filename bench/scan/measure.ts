/*
 * One measurement, run in its own process by bench/scan/run.ts so that its peak memory (maxRSS) is its own:
 *   measure.js scan <file>      the full `ward scan` (all rules, --format json to /dev/null)
 *   measure.js parse <file>     the same bytes cut by the splitter and JSON.parse'd, nothing else
 * Prints one JSON line: { seconds, cpuSeconds, parseSeconds?, items?, maxRssMb }.
 */
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { ItemSplitter } from '../../scan/inputs/item-splitter';
import { runScan } from '../../scan/run';

async function scan(file: string): Promise<Record<string, number>> {
  const sink = new PassThrough();
  sink.resume();
  const started = process.hrtime.bigint();
  const code = await runScan(
    [file],
    { format: 'json', output: '/dev/null' },
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

async function parse(file: string): Promise<Record<string, number>> {
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

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  const cpu = process.cpuUsage();
  const result = mode === 'parse' ? await parse(file) : await scan(file);
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds, maxRssMb })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`measure: ${String(err)}\n`);
  process.exit(1);
});
