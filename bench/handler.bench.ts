/**
 * Benchmark of the Config rule Lambda path: bundle size of a rule handler (esbuild, as the CDK app bundles it),
 * handler latency per change notification and per 1,000-resource periodic run (in-process, fake Config
 * client: measures ward's own cost, not the network), and the reporter's batching of 10,000 evaluations.
 *
 * Run: npx esbuild bench/handler.bench.ts --bundle --platform=node --target=node20 --external:esbuild \
 *        --outfile=node_modules/.cache/ward-bench/handler.js --log-level=warning && node node_modules/.cache/ward-bench/handler.js
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { encryptedAtRest } from '../rules/encrypted-at-rest/rule';
import { defineRule } from '../rules/runtime/define-rule';
import { compliant } from '../rules/runtime/evaluation';
import { createConfigRuleHandler, type HandlerConfigClient } from '../rules/runtime/handler';
import { createLogger } from '../rules/runtime/logger';
import { putEvaluations, type PutEvaluationsClient } from '../rules/runtime/reporter';
import type { AnyRule } from '../rules/runtime/types';

const ACCOUNT = '123456789012';
const CONTEXT = { invokedFunctionArn: `arn:aws:lambda:us-east-2:${ACCOUNT}:function:ward-bench` };
const silent = createLogger({}, { write: () => undefined });

/** Answers like Config, instantly, counting calls. */
const fakeConfig = () => {
  let calls = 0;
  const client = {
    get calls() {
      return calls;
    },
    async send(command: { constructor: { name: string } }) {
      calls++;
      if (command.constructor.name === 'GetComplianceDetailsByConfigRuleCommand') return { EvaluationResults: [] };
      return { FailedEvaluations: [] };
    },
  };
  return client;
};

function changeEvent(i: number) {
  const arn = `arn:aws:sns:us-east-2:${ACCOUNT}:topic-${i}`;
  return {
    invokingEvent: JSON.stringify({
      messageType: 'ConfigurationItemChangeNotification',
      configurationItem: {
        configurationItemCaptureTime: '2026-11-20T10:15:30.123Z',
        awsAccountId: ACCOUNT,
        configurationItemStatus: 'OK',
        resourceType: 'AWS::SNS::Topic',
        resourceId: arn,
        ARN: arn,
        awsRegion: 'us-east-2',
        tags: { team: 'bench' },
        relationships: [],
        configuration: { TopicArn: arn, ...(i % 2 ? { KmsMasterKeyId: 'alias/aws/sns' } : {}) },
        supplementaryConfiguration: {},
      },
    }),
    ruleParameters: '{}',
    resultToken: 'token',
    configRuleName: 'ward-encrypted-at-rest',
    accountId: ACCOUNT,
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function bundleSize() {
  const root = process.cwd(); // run from the repository root
  for (const external of [[], ['@aws-sdk/*']]) {
    const out = await build({
      entryPoints: [join(root, 'rules/encrypted-at-rest/handler.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      external,
      write: false,
      absWorkingDir: root,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0].contents;
    // Cold-start share of the bundle: how long loading it takes in a fresh node process (median of 5).
    const file = join(root, 'node_modules', '.cache', 'ward-bench', `handler-${external.length ? 'ext' : 'full'}.js`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, code);
    const loads = Array.from({ length: 5 }, () =>
      Number(
        execFileSync(process.execPath, [
          '-e',
          `const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`,
        ]).toString(),
      ),
    );
    const label = external.length ? 'SDK external' : 'SDK bundled ';
    console.log(
      `bundle encrypted-at-rest handler (${label}): ${(code.length / 1024).toFixed(0)} KiB minified, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzip, loads in ${pct(loads, 0.5).toFixed(0)} ms`,
    );
  }
}

async function changeLatency(n: number) {
  const config = fakeConfig();
  const handler = createConfigRuleHandler(encryptedAtRest as AnyRule, {
    logger: silent,
    configClient: () => config as unknown as HandlerConfigClient,
  });
  const events = Array.from({ length: n }, (_, i) => changeEvent(i));
  for (let i = 0; i < 200; i++) await handler(events[i % n], CONTEXT); // warm-up
  const times: number[] = [];
  const all = process.hrtime.bigint();
  for (const e of events) {
    const t = process.hrtime.bigint();
    await handler(e, CONTEXT);
    times.push(ms(t));
  }
  const total = ms(all);
  console.log(
    `change notification: ${n} invocations in ${total.toFixed(0)} ms; p50 ${pct(times, 0.5).toFixed(3)} ms, p99 ${pct(times, 0.99).toFixed(3)} ms per invocation`,
  );
}

async function periodicRun(resources: number) {
  const evaluations = Array.from({ length: resources }, (_, i) =>
    compliant({ resourceType: 'AWS::Logs::LogGroup', resourceId: `/aws/lambda/fn-${i}` }, 'Encrypted.'),
  );
  const rule = defineRule({
    meta: {
      id: 'bench-periodic',
      title: 'Bench',
      rationale: 'Bench.',
      severity: 'low',
      resourceTypes: [],
      trigger: { onChange: false, periodic: 'TwentyFour_Hours' },
      parameters: z.object({}),
      permissions: [],
      findingCodes: {},
    },
    evaluate: () => [],
    collect: async () => evaluations,
  }) as AnyRule;
  const config = fakeConfig();
  const handler = createConfigRuleHandler(rule, {
    logger: silent,
    configClient: () => config as unknown as HandlerConfigClient,
  });
  const event = {
    invokingEvent: JSON.stringify({
      messageType: 'ScheduledNotification',
      notificationCreationTime: '2026-11-20T12:00:00Z',
    }),
    resultToken: 'token',
    configRuleName: 'ward-bench-periodic',
    accountId: ACCOUNT,
  };
  await handler(event, CONTEXT);
  const runs = 20;
  const t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await handler(event, CONTEXT);
  console.log(
    `periodic run of ${resources} resources: ${(ms(t) / runs).toFixed(2)} ms per invocation (${config.calls / (runs + 1)} Config calls each)`,
  );
}

async function reporter(n: number) {
  const evaluations = Array.from({ length: n }, (_, i) =>
    compliant({ resourceType: 'AWS::SNS::Topic', resourceId: `arn:aws:sns:us-east-2:${ACCOUNT}:t${i}` }, 'ok'),
  );
  const client = fakeConfig();
  const t = process.hrtime.bigint();
  await putEvaluations(client as unknown as PutEvaluationsClient, {
    resultToken: 'token',
    evaluations,
    orderingTimestamp: new Date(),
  });
  console.log(`reporter: ${n} evaluations in ${client.calls} PutEvaluations calls, ${ms(t).toFixed(1)} ms`);
}

async function main() {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  await bundleSize();
  await changeLatency(5000);
  await periodicRun(1000);
  await reporter(10_000);
}

void main();
