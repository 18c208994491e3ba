/*
 * Aggregator benchmark: how to read a Config aggregator's configuration items, measured side by side on a
 * stub on 127.0.0.1 that adds realistic latency and throttles the aggregator account (every aggregator call
 * goes to one account and region, so its rate is the bound, not the organization's size).
 *
 *   batch-get           ListAggregateDiscoveredResources + BatchGetAggregateResourceConfig (100 a call):
 *                       what `ward scan --aggregator` does (scanAggregator, real SDK client, adaptive retry)
 *   batch-get + tags    the same with an exemptTag: one SelectAggregateResourceConfig per batch for its tags
 *   select              SelectAggregateResourceConfig alone (`SELECT <every CI field> WHERE resourceType`,
 *                       100 rows a page), rows turned into items and judged by the same rule: the alternative
 *
 * moto has no SelectAggregateResourceConfig: the stub answers it in the real API's shape (Results: one JSON
 * string per row, configuration as an object, numbers as floats, tags as [{key, value, tag}]), as recorded
 * in real responses (the shape test/unit/scan/live-aggregator.test.ts also uses).
 *
 * Usage: node dist/bench/org/aggregator.js [accounts=50] [regions=4] [topicsPerRegion=50]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigServiceClient, SelectAggregateResourceConfigCommand } from '@aws-sdk/client-config-service';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import { normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import { evaluateItem } from '../../rules/runtime/engine';
import { createLogger } from '../../rules/runtime/logger';
import { createRuleContext } from '../../rules/runtime/rule-context';
import type { RuleContext } from '../../rules/runtime/context';
import { createKmsKeyLookup } from '../../rules/runtime/key-lookup';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { AnyRule } from '../../rules/runtime/types';
import { scanAggregator } from '../../scan/inputs/live-aggregator';
import { clientSettings } from '../../scan/inputs/live-org';

const ACCOUNTS = Number(process.argv[2] ?? 50);
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'].slice(0, Number(process.argv[3] ?? 4));
const PER_REGION = Number(process.argv[4] ?? 50);
const HOME = 'us-east-1';
const TYPE = 'AWS::SNS::Topic';
/** Latency of one call: 40 ms plus up to 40 ms (the same for every operation: no figure for Select's own). */
const latency = () => 40 + Math.random() * 40;
/** Aggregator calls a second before ThrottlingException (a token bucket on the aggregator account). */
const RATE = 10;

const rule: AnyRule = {
  ...(encryptedAtRest as AnyRule),
  collect: undefined,
  meta: { ...encryptedAtRest.meta, resourceTypes: [TYPE], trigger: { onChange: true } },
};

interface Resource {
  readonly account: string;
  readonly region: string;
  readonly id: string;
  readonly encrypted: boolean;
}
const resources: Resource[] = [];
for (let a = 0; a < ACCOUNTS; a++) {
  const account = String(100000000000 + a);
  for (const region of REGIONS) {
    for (let i = 0; i < PER_REGION; i++) {
      resources.push({ account, region, id: `arn:aws:sns:${region}:${account}:topic-${i}`, encrypted: i % 2 === 1 });
    }
  }
}
const byId = new Map(resources.map((r) => [r.id, r]));
const calls = new Map<string, number>();
let throttled = 0;
let bucket = { tokens: RATE, at: Date.now() };

function take(): boolean {
  const now = Date.now();
  bucket = { tokens: Math.min(RATE, bucket.tokens + ((now - bucket.at) / 1000) * RATE), at: now };
  if (bucket.tokens < 1) return false;
  bucket.tokens--;
  return true;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((ok) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => ok(body));
  });

/** A Select row in the real shape: configuration an object, numbers floats, tags [{key, value, tag}]. */
function selectRow(r: Resource): string {
  return JSON.stringify({
    resourceId: r.id,
    resourceType: TYPE,
    resourceName: r.id.split(':').pop(),
    arn: r.id,
    accountId: r.account,
    awsRegion: r.region,
    configurationItemCaptureTime: '2026-12-01T00:00:00.000Z',
    configurationItemStatus: 'ResourceDiscovered',
    configuration: {
      TopicArn: r.id,
      SubscriptionsConfirmed: 0.0,
      ...(r.encrypted ? { KmsMasterKeyId: 'alias/aws/sns' } : {}),
    },
    supplementaryConfiguration: {},
    tags: [{ key: 'team', value: 'bench', tag: 'team=bench' }],
    relationships: [],
  });
}

function answer(op: string, input: Record<string, unknown>): unknown {
  if (op === 'ListAggregateDiscoveredResources') {
    const start = Number(input.NextToken ?? 0);
    return {
      ResourceIdentifiers: resources.slice(start, start + 100).map((r) => ({
        SourceAccountId: r.account,
        SourceRegion: r.region,
        ResourceId: r.id,
        ResourceType: TYPE,
      })),
      ...(start + 100 < resources.length ? { NextToken: String(start + 100) } : {}),
    };
  }
  if (op === 'BatchGetAggregateResourceConfig') {
    const ids = input.ResourceIdentifiers as { ResourceId: string }[];
    return {
      // BatchGet's items: configuration a JSON string, no tags, no relationships (the real API's shape).
      BaseConfigurationItems: ids.map(({ ResourceId }) => {
        const r = byId.get(ResourceId) as Resource;
        return {
          version: '1.3',
          accountId: r.account,
          configurationItemCaptureTime: 1764547200,
          configurationItemStatus: 'OK',
          arn: r.id,
          resourceType: TYPE,
          resourceId: r.id,
          awsRegion: r.region,
          configuration: JSON.stringify({
            TopicArn: r.id,
            ...(r.encrypted ? { KmsMasterKeyId: 'alias/aws/sns' } : {}),
          }),
          supplementaryConfiguration: {},
        };
      }),
      UnprocessedResourceIdentifiers: [],
    };
  }
  if (op === 'SelectAggregateResourceConfig') {
    const expression = String(input.Expression);
    const limit = Math.min(100, Number(input.Limit ?? 25));
    const start = Number(input.NextToken ?? 0);
    // The tags query names its ids (IN list); the full query names only the type.
    const named = [...expression.matchAll(/'(arn:[^']+)'/g)].map((m) => m[1]);
    const rows = named.length > 0 ? named.map((id) => byId.get(id) as Resource) : resources;
    return {
      Results: rows.slice(start, start + limit).map(selectRow),
      QueryInfo: { SelectFields: [{ Name: 'resourceId' }] },
      ...(start + limit < rows.length ? { NextToken: String(start + limit) } : {}),
    };
  }
  return undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await read(req);
  await new Promise((r) => setTimeout(r, latency()));
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  calls.set(op, (calls.get(op) ?? 0) + 1);
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  if (!take()) {
    throttled++;
    res.statusCode = 400;
    res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    return;
  }
  const out = answer(op, JSON.parse(body) as Record<string, unknown>);
  if (out === undefined) {
    res.statusCode = 400;
    res.end(JSON.stringify({ __type: 'ValidationException', message: `unsupported ${op}` }));
    return;
  }
  res.end(JSON.stringify(out));
}

const FIELDS =
  'resourceId, resourceType, resourceName, arn, accountId, awsRegion, configurationItemCaptureTime, ' +
  'configurationItemStatus, configuration, supplementaryConfiguration, tags, relationships';

/** The alternative: every item from SelectAggregateResourceConfig, turned into an item and judged. */
async function selectOnly(onEvaluation: () => void): Promise<number> {
  const client = new ConfigServiceClient(clientSettings(HOME));
  const logger = createLogger({}, { write: () => undefined });
  let errors = 0;
  let NextToken: string | undefined;
  do {
    const out = await client.send(
      new SelectAggregateResourceConfigCommand({
        ConfigurationAggregatorName: 'org',
        Expression: `SELECT ${FIELDS} WHERE resourceType = '${TYPE}'`,
        Limit: 100,
        NextToken,
      }),
    );
    for (const text of out.Results ?? []) {
      const row = JSON.parse(text) as Record<string, unknown>;
      const tags = Object.fromEntries(
        ((row.tags as { key: string; value: string }[] | undefined) ?? []).map((t) => [t.key, t.value]),
      );
      try {
        const item = normalizeConfigurationItem({ ...row, tags, version: '1.3' });
        const ctx: RuleContext = createRuleContext({
          mode: 'live',
          accountId: item.accountId,
          region: item.awsRegion,
          logger,
          keys: createKmsKeyLookup(
            (r) => ctx.client(KMSClient, r),
            (keyId) => new DescribeKeyCommand({ KeyId: keyId }),
          ),
        });
        for (let n = (await evaluateItem(rule, item, {}, ctx)).length; n > 0; n--) onEvaluation();
      } catch {
        errors++;
      }
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return errors;
}

async function once(mode: 'batch-get' | 'batch-get + tags' | 'select', concurrency: number) {
  calls.clear();
  throttled = 0;
  bucket = { tokens: RATE, at: Date.now() };
  let evaluations = 0;
  const errors: string[] = [];
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = process.hrtime.bigint();
  if (mode === 'select') {
    const bad = await selectOnly(() => void evaluations++);
    for (let i = 0; i < bad; i++) errors.push('row');
  } else {
    await scanAggregator({
      rules: [rule],
      paramsFor: () => (mode === 'batch-get + tags' ? { exemptTag: 'ward:exempt' } : {}),
      logger: createLogger({}, { write: () => undefined }),
      homeRegion: HOME,
      concurrency,
      aggregator: 'org',
      accounts: new Set(),
      regions: new Set(),
      onEvaluation: () => void evaluations++,
      onError: (m) => errors.push(m),
      onNote: () => undefined,
      onSkipped: () => undefined,
    });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  const total = [...calls.values()].reduce((a, b) => a + b, 0);
  return { mode, seconds, evaluations, apiCalls: total, throttled, errors: errors.length, peakRssMb: peak / 1e6 };
}

async function main(): Promise<void> {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench';
  delete process.env.AWS_PROFILE;
  console.log(
    `aggregator read: ${ACCOUNTS} accounts x ${REGIONS.length} regions x ${PER_REGION} topics ` +
      `(${resources.length} items), stub on ${endpoint}`,
  );
  console.log(`latency 40-80 ms a call, throttling above ${RATE} calls/s on the aggregator account\n`);
  console.log(
    'read               seconds  evaluations  items/s  API calls  calls/1,000 items  throttled  errors  peak RSS MB',
  );
  for (const mode of ['batch-get', 'batch-get + tags', 'select'] as const) {
    const r = await once(mode, 8);
    console.log(
      `${r.mode.padEnd(17)}  ${r.seconds.toFixed(1).padStart(7)}  ${String(r.evaluations).padStart(11)}  ` +
        `${(r.evaluations / r.seconds).toFixed(0).padStart(7)}  ${String(r.apiCalls).padStart(9)}  ` +
        `${((r.apiCalls / resources.length) * 1000).toFixed(1).padStart(17)}  ${String(r.throttled).padStart(9)}  ` +
        `${String(r.errors).padStart(6)}  ${r.peakRssMb.toFixed(0).padStart(11)}`,
    );
  }
  server.close();
}

void main();
