import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { responderEvent, ruleEvent } from '../../../bench/lambda/events';
import { type StubServer, startStubServer } from '../../../bench/lambda/stub-server';
import { parseWardConfig, resolveRules } from '../../../infra/config/load';
import { bundleLambdas, ruleHandlerEntry } from '../../../infra/bundling';
import { projectRoot } from '../../../infra/paths';
import { rules } from '../../../rules';

/*
 * The deployed artefact, not the sources: each Lambda bundle runs in a fresh Node process (the SDK from
 * node_modules through NODE_PATH, as the Lambda runtime provides it) on real-shaped events, against a local
 * stub of the AWS endpoints. Catches what ts-jest cannot: SDK clients imported lazily that the bundle cannot
 * load, and zod messages lost in the bundle.
 */

const root = projectRoot();
const deployed = resolveRules(parseWardConfig({}, rules), rules);
const responderEntry = join(root, 'responder', 'handler.ts');
const bundles = bundleLambdas([...deployed.map((d) => ruleHandlerEntry(d.rule.meta.id)), responderEntry]);
const dir = mkdtempSync(join(tmpdir(), 'ward-bundle-test-'));
let stub: StubServer;

beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(() => stub.close());

/** Runs a bundle's handler on one event; returns its JSON log lines and the outcome. */
function invoke(entry: string, event: unknown, env: Record<string, string> = {}) {
  const file = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(event));
  const script = `require(process.argv[1]).handler(JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8')),
    { invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:test', awsRequestId: 'test' })
    .then(() => process.stderr.write('HANDLED\\n'), (e) => process.stderr.write('THREW ' + e.message + '\\n'));`;
  return new Promise<{ logs: Record<string, unknown>[]; stderr: string }>((resolve) => {
    // Asynchronous spawn: the stub server answers in this process.
    const child = spawn(process.execPath, ['-e', script, join(bundles.get(entry) as string, 'index.js'), file], {
      env: {
        PATH: process.env.PATH,
        NODE_PATH: join(root, 'node_modules'),
        AWS_ENDPOINT_URL: stub.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_MAX_ATTEMPTS: '1',
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', () =>
      resolve({
        logs: out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
        stderr: err,
      }),
    );
  });
}

const scheduled = (id: string) => ({
  invokingEvent: JSON.stringify({
    awsAccountId: '111122223333',
    notificationCreationTime: '2026-11-20T12:00:00.373Z',
    messageType: 'ScheduledNotification',
    recordVersion: '1.0',
  }),
  resultToken: 'TESTMODE',
  eventLeftScope: false,
  configRuleName: `ward-${id}`,
  accountId: '111122223333',
});

describe('Lambda bundles', () => {
  it.each(deployed.map((d) => [d.rule.meta.id, d] as const))(
    '%s handles its change or scheduled event and delivers evaluations, logging no error',
    async (_id, d) => {
      const before = stub.calls.get('PutEvaluations') ?? 0;
      const r = await invoke(ruleHandlerEntry(d.rule.meta.id), ruleEvent(d.rule, root, d.inputParameters));
      expect(r.stderr).toContain('HANDLED');
      expect(r.logs.filter((l) => l.level === 'error')).toEqual([]);
      expect(stub.calls.get('PutEvaluations') ?? 0).toBe(before + 1);
    },
  );

  it.each(deployed.filter((d) => d.rule.meta.trigger.periodic).map((d) => [d.rule.meta.id] as const))(
    '%s loads the SDK clients of its periodic collection from the runtime',
    async (id) => {
      const r = await invoke(ruleHandlerEntry(id), scheduled(id));
      expect(r.stderr).toContain('HANDLED');
      expect(r.logs.filter((l) => l.level === 'error')).toEqual([]);
    },
  );

  it('explains a malformed event with zod English messages', async () => {
    const d = deployed[0];
    const r = await invoke(ruleHandlerEntry(d.rule.meta.id), {
      ...ruleEvent(d.rule, root),
      configRuleName: '',
      ruleParameters: JSON.stringify({ trustedAccountIds: 'abc' }),
    });
    const line = r.logs.find((l) => l.msg === 'malformed Config event ignored');
    expect(line?.problem).toContain('configRuleName: Too small: expected string to have >=1 characters');
  });

  it('the responder handles the sample compliance change and publishes one alert', async () => {
    const before = stub.calls.get('Publish') ?? 0;
    const r = await invoke(responderEntry, responderEvent(root), {
      WARD_AUDIT_TABLE: 'ward-audit',
      WARD_STATE_TABLE: 'ward-state',
      WARD_ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
    });
    expect(r.stderr).toContain('HANDLED');
    expect(r.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(stub.calls.get('Publish') ?? 0).toBe(before + 1);
  });
});
