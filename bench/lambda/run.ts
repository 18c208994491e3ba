/**
 * Benchmark of every ward Lambda: minified bundle size and local cold start. For each rule (and the
 * responder), a fresh Node process loads the bundle and handles one real-shaped event (resultToken TESTMODE;
 * AWS calls go to a local stub HTTP server, so no network is needed); the median of N runs is reported.
 *
 * "init" is the time to load the bundle (Lambda's Init Duration), "first event" the first invocation, "cold
 * start" their sum; "process" adds Node's own start-up, which Lambda's runtime does before Init. The AWS SDK
 * is the one in node_modules (NODE_PATH), as the Lambda runtime provides its own.
 *
 * Run: npm run build && node dist/bench/lambda/run.js [--runs 20] [--json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLambdas, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../infra/bundling';
import { projectRoot } from '../../infra/paths';
import { rules } from '../../rules';
import { responderEvent, ruleEvent } from './events';
import { startStubServer } from './stub-server';

/** Cold-start target (ms) from the issue: init + first event, locally. */
export const COLD_START_TARGET_MS = 100;

const RUNNER = `
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
const event = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const ctx = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench', awsRequestId: 'bench' };
Promise.resolve(mod.handler(event, ctx)).then(
  () => ({ ok: true }),
  (e) => ({ ok: false, error: String(e && e.message || e).slice(0, 200) }),
).then((r) => {
  const t2 = performance.now();
  process.stderr.write('BENCH ' + JSON.stringify({ ...r, init: t1 - t0, first: t2 - t1 }) + '\\n');
});
`;

interface Run {
  readonly ok: boolean;
  readonly error?: string;
  readonly init: number;
  readonly first: number;
  readonly wall: number;
}

interface Target {
  readonly name: string;
  readonly entry: string;
  readonly event: Record<string, unknown>;
  readonly env: Record<string, string>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function runOnce(bundle: string, eventFile: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', RUNNER, join(bundle, 'index.js'), eventFile], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const wall = performance.now() - started;
      const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`no result from ${bundle}: ${stderr.slice(0, 500)}`));
      resolve({ ...(JSON.parse(line.slice(6)) as Omit<Run, 'wall'>), wall });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 20;
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-lambda-'));

  const targets: Target[] = rules
    .filter((r) => existsSync(ruleHandlerEntry(r.meta.id)))
    .map((r) => ({ name: r.meta.id, entry: ruleHandlerEntry(r.meta.id), event: ruleEvent(r, root), env: {} }));
  const responderEntry = join(root, 'responder', 'handler.ts');
  const snsEvent = responderEvent(root);
  if (existsSync(responderEntry) && snsEvent)
    targets.push({
      name: 'responder',
      entry: responderEntry,
      event: snsEvent,
      env: {
        WARD_AUDIT_TABLE: 'ward-audit',
        WARD_ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
      },
    });

  const bundles = bundleLambdas(targets.map((t) => t.entry));
  const stub = await startStubServer();
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_PATH: join(root, 'node_modules'),
    AWS_ENDPOINT_URL: stub.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_MAX_ATTEMPTS: '1',
    LOG_LEVEL: 'silent',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  };
  const rows: Record<string, unknown>[] = [];
  try {
    for (const t of targets) {
      const eventFile = join(dir, `${t.name}.json`);
      writeFileSync(eventFile, JSON.stringify(t.event));
      const bundle = bundles.get(t.entry) as string;
      const before = stub.calls.get('PutEvaluations') ?? 0;
      const callsBefore = [...stub.calls.values()].reduce((a, b) => a + b, 0);
      const results: Run[] = [];
      for (let i = 0; i < runs; i += 1) results.push(await runOnce(bundle, eventFile, { ...baseEnv, ...t.env }));
      const size = bundleSize(bundle);
      const cold = median(results.map((r) => r.init + r.first));
      rows.push({
        lambda: t.name,
        bundleKB: +(size / 1024).toFixed(1),
        initMs: +median(results.map((r) => r.init)).toFixed(1),
        firstEventMs: +median(results.map((r) => r.first)).toFixed(1),
        coldStartMs: +cold.toFixed(1),
        processMs: +median(results.map((r) => r.wall)).toFixed(1),
        handled: `${results.filter((r) => r.ok).length}/${runs}`,
        putEvaluations: (stub.calls.get('PutEvaluations') ?? 0) - before,
        awsCalls: [...stub.calls.values()].reduce((a, b) => a + b, 0) - callsBefore,
        withinTargets: size < MAX_BUNDLE_BYTES && cold < COLD_START_TARGET_MS,
        ...(results.find((r) => !r.ok)?.error ? { error: results.find((r) => !r.ok)?.error } : {}),
      });
    }
  } finally {
    await stub.close();
  }
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const out = [
    `ward Lambda bundles and cold starts (median of ${runs} fresh Node ${process.version} processes, ${process.arch})`,
    '',
    '| Lambda | bundle (KB) | init (ms) | first event (ms) | cold start (ms) | process (ms) | handled | PutEvaluations | AWS calls | targets met |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.lambda} | ${r.bundleKB} | ${r.initMs} | ${r.firstEventMs} | ${r.coldStartMs} | ${r.processMs} | ${r.handled} | ${r.putEvaluations} | ${r.awsCalls} | ${r.withinTargets ? 'yes' : 'NO'} |`,
    ),
    '',
    `Targets: bundle < ${MAX_BUNDLE_BYTES / 1024} KB, cold start (init + first event) < ${COLD_START_TARGET_MS} ms.`,
  ];
  for (const r of rows) if (r.error) out.push(`${r.lambda}: handler error (measured anyway): ${r.error}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/lambda: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
