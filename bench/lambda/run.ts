/**
 * Benchmark of every ward Lambda: minified bundle size and local cold start. For each rule (and the
 * responder), a fresh Node process loads the bundle and handles one real-shaped event (resultToken TESTMODE;
 * AWS calls go to a local stub HTTP server, so no network is needed); the median of N runs is reported.
 *
 * "init" is the time to load the bundle (Lambda's Init Duration), "first event" the first invocation, "cold
 * start" their sum; "process" adds Node's own start-up, which Lambda's runtime does before Init. The AWS SDK
 * is the one in node_modules (NODE_PATH), as the Lambda runtime provides its own; the time spent loading it
 * is reported on its own. Each rule gets the InputParameters of a default deployment and a change
 * notification of a real item (examples/), the responder the sample SNS message; logs are at the deployed
 * level (info) and go to a pipe.
 *
 * Run: npm run build && node dist/bench/lambda/run.js [--runs 20] [--json] [--only a,b] [--cpu-prof DIR]
 *   [--modules]   also print, per Lambda, the outside modules it loads (median ms, at init or first event)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleLambdas, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../infra/bundling';
import { parseWardConfig, resolveRules } from '../../infra/config/load';
import { projectRoot } from '../../infra/paths';
import { rules } from '../../rules';
import { responderEvent, ruleEvent } from './events';
import { startStubServer } from './stub-server';

/** Cold-start target (ms) from the issue: init + first event, locally. */
export const COLD_START_TARGET_MS = 100;

/*
 * The child: loads the bundle (init), then handles one event (first event). Module loading is wrapped to time
 * the packages the bundle requires from outside itself (the AWS SDK, which the Lambda runtime provides): at
 * init and during the first event (lazy imports). Node built-ins are not counted.
 */
const RUNNER = `
const Module = require('node:module');
const load = Module._load;
let depth = 0, sdk = 0, bundleDepth = 0;
const modules = [];
Module._load = function (request) {
  const outside = depth === bundleDepth && !Module.isBuiltin(request);
  const t = performance.now();
  depth += 1;
  try { return load.apply(this, arguments); } finally {
    depth -= 1;
    if (outside) { const ms = performance.now() - t; sdk += ms; modules.push({ request, ms, first: bundleDepth === 0 }); }
  }
};
bundleDepth = 1;
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
const sdkInit = sdk;
bundleDepth = 0;
const event = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const ctx = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench', awsRequestId: 'bench' };
const t2 = performance.now();
Promise.resolve(mod.handler(event, ctx)).then(
  () => ({ ok: true }),
  (e) => ({ ok: false, error: String(e && e.message || e).slice(0, 200) }),
).then((r) => {
  const t3 = performance.now();
  process.stderr.write('BENCH ' + JSON.stringify({ ...r, init: t1 - t0, first: t3 - t2, sdkInit, sdkFirst: sdk - sdkInit, modules }) + '\\n');
});
`;

interface Run {
  readonly ok: boolean;
  readonly error?: string;
  readonly init: number;
  readonly first: number;
  /** Time spent loading modules from outside the bundle (the AWS SDK), at init and in the first event. */
  readonly sdkInit: number;
  readonly sdkFirst: number;
  readonly wall: number;
  /** JSON log lines the Lambda wrote to stdout. */
  readonly logLines: number;
  /** The outside modules the bundle required, with the time each took and whether in the first event. */
  readonly modules: readonly { request: string; ms: number; first: boolean }[];
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

function runOnce(bundle: string, eventFile: string, env: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, '-e', RUNNER, join(bundle, 'index.js'), eventFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let logLines = 0;
    child.stdout.on('data', (c: Buffer) => {
      for (const b of c) if (b === 10) logLines += 1;
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const wall = performance.now() - started;
      const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`no result from ${bundle}: ${stderr.slice(0, 500)}`));
      resolve({ ...(JSON.parse(line.slice(6)) as Omit<Run, 'wall' | 'logLines'>), wall, logLines });
    });
  });
}

/** Median load time of each outside module over the runs, in load order. */
function moduleTimes(results: readonly Run[]): { request: string; when: string; ms: number }[] {
  const byRequest = new Map<string, { when: string; times: number[] }>();
  for (const [run, r] of results.entries()) {
    for (const m of r.modules) {
      const entry = byRequest.get(m.request) ?? { when: m.first ? 'first event' : 'init', times: [] };
      // A module is required many times (the first loads it): its time in a run is the sum.
      entry.times[run] = (entry.times[run] ?? 0) + m.ms;
      byRequest.set(m.request, entry);
    }
  }
  return [...byRequest].map(([request, e]) => ({ request, when: e.when, ms: median(e.times) }));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 20;
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1].split(',') : undefined;
  const profAt = argv.indexOf('--cpu-prof');
  const nodeArgs = profAt >= 0 ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', argv[profAt + 1]] : [];
  const root = projectRoot();
  const dir = mkdtempSync(join(tmpdir(), 'ward-bench-lambda-'));

  // The InputParameters a default deployment gives each rule (ward.config.json absent).
  const deployed = resolveRules(parseWardConfig({}, rules), rules);
  const targets: Target[] = deployed
    .filter((d) => existsSync(ruleHandlerEntry(d.rule.meta.id)))
    .map((d) => ({
      name: d.rule.meta.id,
      entry: ruleHandlerEntry(d.rule.meta.id),
      event: ruleEvent(d.rule, root, d.inputParameters),
      env: {},
    }));
  const responderEntry = join(root, 'responder', 'handler.ts');
  const snsEvent = responderEvent(root);
  if (existsSync(responderEntry) && snsEvent)
    targets.push({
      name: 'responder',
      entry: responderEntry,
      event: snsEvent,
      env: {
        WARD_AUDIT_TABLE: 'ward-audit',
        WARD_STATE_TABLE: 'ward-state',
        WARD_ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
      },
    });

  const chosen = only ? targets.filter((t) => only.includes(t.name)) : targets;
  const bundles = bundleLambdas(chosen.map((t) => t.entry));
  const stub = await startStubServer();
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_PATH: join(root, 'node_modules'),
    AWS_ENDPOINT_URL: stub.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_MAX_ATTEMPTS: '1',
    LOG_LEVEL: 'info', // as deployed (infra's default); the logs go to a pipe, as in Lambda
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  };
  const rows: Record<string, unknown>[] = [];
  try {
    for (const t of chosen) {
      const eventFile = join(dir, `${t.name}.json`);
      writeFileSync(eventFile, JSON.stringify(t.event));
      const bundle = bundles.get(t.entry) as string;
      const before = stub.calls.get('PutEvaluations') ?? 0;
      const callsBefore = [...stub.calls.values()].reduce((a, b) => a + b, 0);
      const results: Run[] = [];
      for (let i = 0; i < runs; i += 1)
        results.push(await runOnce(bundle, eventFile, { ...baseEnv, ...t.env }, nodeArgs));
      const size = bundleSize(bundle);
      const cold = median(results.map((r) => r.init + r.first));
      rows.push({
        lambda: t.name,
        bundleKB: +(size / 1024).toFixed(1),
        initMs: +median(results.map((r) => r.init)).toFixed(1),
        firstEventMs: +median(results.map((r) => r.first)).toFixed(1),
        coldStartMs: +cold.toFixed(1),
        sdkLoadMs: +median(results.map((r) => r.sdkInit + r.sdkFirst)).toFixed(1),
        logLines: median(results.map((r) => r.logLines)),
        processMs: +median(results.map((r) => r.wall)).toFixed(1),
        handled: `${results.filter((r) => r.ok).length}/${runs}`,
        putEvaluations: (stub.calls.get('PutEvaluations') ?? 0) - before,
        awsCalls: [...stub.calls.values()].reduce((a, b) => a + b, 0) - callsBefore,
        withinTargets: size < MAX_BUNDLE_BYTES && cold < COLD_START_TARGET_MS,
        ...(results.find((r) => !r.ok)?.error ? { error: results.find((r) => !r.ok)?.error } : {}),
        modules: moduleTimes(results),
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
    '| Lambda | bundle (KB) | init (ms) | first event (ms) | cold start (ms) | of which AWS SDK load (ms) | process (ms) | handled | log lines | PutEvaluations | AWS calls | targets met |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.lambda} | ${r.bundleKB} | ${r.initMs} | ${r.firstEventMs} | ${r.coldStartMs} | ${r.sdkLoadMs} | ${r.processMs} | ${r.handled} | ${r.logLines} | ${r.putEvaluations} | ${r.awsCalls} | ${r.withinTargets ? 'yes' : 'NO'} |`,
    ),
    '',
    `Targets: bundle < ${MAX_BUNDLE_BYTES / 1024} KB, cold start (init + first event) < ${COLD_START_TARGET_MS} ms.`,
    'AWS SDK load: time spent requiring modules from outside the bundle (the SDK the Lambda runtime provides), median.',
  ];
  for (const r of rows) if (r.error) out.push(`${r.lambda}: handler error (measured anyway): ${r.error}`);
  if (argv.includes('--modules')) {
    for (const r of rows) {
      out.push('', `${r.lambda}: outside modules (median ms)`);
      for (const m of r.modules as ReturnType<typeof moduleTimes>)
        out.push(`  ${m.ms.toFixed(1).padStart(6)}  ${m.when.padEnd(11)} ${m.request}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/lambda: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
