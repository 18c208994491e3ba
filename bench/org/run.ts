/*
 * Organization-scan benchmark: a simulated organization of ACCOUNTS x REGIONS served by a stub on 127.0.0.1
 * that answers STS (AssumeRole, GetCallerIdentity) and Config (ListDiscoveredResources,
 * BatchGetResourceConfig) with realistic latency and throttling, scanned by `scanAccounts` with the real SDK
 * clients (adaptive retry) at several --concurrency values. Prints items/s, API calls (and throttled ones),
 * seconds and peak memory per run, side by side.
 *
 * Usage: node dist/bench/org/run.js [accounts=50] [regions=4] [topicsPerRegion=150]
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import { createLogger } from '../../rules/runtime/logger';
import type { AnyRule } from '../../rules/runtime/types';
import { scanAccounts } from '../../scan/inputs/live-org';

const ACCOUNTS = Number(process.argv[2] ?? 50);
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'].slice(0, Number(process.argv[3] ?? 4));
const PER_REGION = Number(process.argv[4] ?? 150);
/** Latency of one call: 40 ms plus up to 40 ms (Config's p50/p90 seen from a nearby region). */
const latency = () => 40 + Math.random() * 40;
/** Per account-region: at most this many calls a second before ThrottlingException (a token bucket). */
const RATE = 10;

const rule: AnyRule = {
  ...(encryptedAtRest as AnyRule),
  collect: undefined,
  meta: { ...encryptedAtRest.meta, resourceTypes: ['AWS::SNS::Topic'], trigger: { onChange: true } },
};

const calls = new Map<string, number>();
let throttled = 0;
const buckets = new Map<string, { tokens: number; at: number }>();

function take(key: string): boolean {
  const now = Date.now();
  const b = buckets.get(key) ?? { tokens: RATE, at: now };
  b.tokens = Math.min(RATE, b.tokens + ((now - b.at) / 1000) * RATE);
  b.at = now;
  buckets.set(key, b);
  if (b.tokens < 1) return false;
  b.tokens--;
  return true;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((ok) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => ok(body));
  });

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await read(req);
  const auth = req.headers.authorization ?? '';
  const key = /Credential=([A-Z0-9]+)\/\d+\/([a-z0-9-]+)\//.exec(auth);
  const account = key && key[1].startsWith('ASIA') ? key[1].slice(4, 16) : '999999999999';
  const region = key?.[2] ?? 'us-east-1';
  await new Promise((r) => setTimeout(r, latency()));
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target) {
    const action = new URLSearchParams(body).get('Action') ?? '';
    calls.set(`sts:${action}`, (calls.get(`sts:${action}`) ?? 0) + 1);
    res.setHeader('content-type', 'text/xml');
    if (action === 'AssumeRole') {
      const arnAccount = /iam%3A%3A(\d{12})%3Arole/.exec(body)?.[1] ?? '000000000000';
      const exp = new Date(Date.now() + 3600_000).toISOString();
      res.end(
        `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA${arnAccount}</AccessKeyId>` +
          `<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>${exp}</Expiration>` +
          '</Credentials></AssumeRoleResult></AssumeRoleResponse>',
      );
    } else {
      res.end(
        `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>${account}</Account>` +
          `<Arn>arn:aws:iam::${account}:user/bench</Arn><UserId>X</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>`,
      );
    }
    return;
  }
  const op = target.split('.')[1];
  calls.set(`config:${op}`, (calls.get(`config:${op}`) ?? 0) + 1);
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  if (!take(`${account}/${region}`)) {
    throttled++;
    res.statusCode = 400;
    res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    return;
  }
  const input = JSON.parse(body) as Record<string, unknown>;
  if (op === 'ListDiscoveredResources') {
    const start = Number(input.nextToken ?? 0);
    const n = Math.min(100, PER_REGION - start);
    res.end(
      JSON.stringify({
        resourceIdentifiers: Array.from({ length: Math.max(0, n) }, (_, i) => ({
          resourceType: 'AWS::SNS::Topic',
          resourceId: `arn:aws:sns:${region}:${account}:topic-${start + i}`,
        })),
        ...(start + 100 < PER_REGION ? { nextToken: String(start + 100) } : {}),
      }),
    );
    return;
  }
  if (op === 'BatchGetResourceConfig') {
    const keys = input.resourceKeys as { resourceId: string }[];
    res.end(
      JSON.stringify({
        baseConfigurationItems: keys.map((k, i) => ({
          version: '1.3',
          accountId: account,
          configurationItemCaptureTime: 1764900000,
          configurationItemStatus: 'OK',
          arn: k.resourceId,
          resourceType: 'AWS::SNS::Topic',
          resourceId: k.resourceId,
          awsRegion: region,
          configuration: JSON.stringify({
            TopicArn: k.resourceId,
            ...(i % 2 ? { KmsMasterKeyId: 'alias/aws/sns' } : {}),
          }),
          supplementaryConfiguration: {},
        })),
        unprocessedResourceKeys: [],
      }),
    );
    return;
  }
  res.statusCode = 400;
  res.end(JSON.stringify({ __type: 'ValidationException', message: `unsupported ${op}` }));
}

async function once(endpoint: string, concurrency: number) {
  calls.clear();
  throttled = 0;
  buckets.clear();
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i));
  let evaluations = 0;
  const errors: string[] = [];
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = process.hrtime.bigint();
  await scanAccounts({
    rules: [rule],
    paramsFor: () => ({}),
    logger: createLogger({}, { write: () => undefined }),
    homeRegion: 'us-east-1',
    concurrency,
    plan: {
      kind: 'roles',
      targets: accounts.map((a) => ({ accountId: a, roleArn: `arn:aws:iam::${a}:role/ward-reader` })),
    },
    regions: REGIONS,
    onEvaluation: () => void evaluations++,
    onError: (m) => errors.push(m),
    onNote: () => undefined,
    onSkipped: () => undefined,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  void endpoint;
  const total = [...calls.values()].reduce((a, b) => a + b, 0);
  return {
    concurrency,
    seconds,
    evaluations,
    itemsPerSecond: evaluations / seconds,
    apiCalls: total,
    throttled,
    errors: errors.length,
    peakRssMb: peak / 1e6,
  };
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
    `organization scan: ${ACCOUNTS} accounts x ${REGIONS.length} regions x ${PER_REGION} topics, stub on ${endpoint}`,
  );
  console.log(`latency 40-80 ms a call, throttling above ${RATE} Config calls/s per account-region\n`);
  console.log('concurrency  seconds  evaluations  items/s  API calls  throttled  errors  peak RSS MB');
  for (const c of [4, 8, 16, 32]) {
    const r = await once(endpoint, c);
    console.log(
      `${String(r.concurrency).padStart(11)}  ${r.seconds.toFixed(1).padStart(7)}  ${String(r.evaluations).padStart(11)}  ` +
        `${r.itemsPerSecond.toFixed(0).padStart(7)}  ${String(r.apiCalls).padStart(9)}  ${String(r.throttled).padStart(9)}  ` +
        `${String(r.errors).padStart(6)}  ${r.peakRssMb.toFixed(0).padStart(11)}`,
    );
  }
  server.close();
}

void main();
