/**
 * Benchmark of the responder: bundle size (esbuild as the CDK app bundles it), the cost of handling one
 * compliance-change event in-process (notify, and auto through a runbook with an in-memory audit store and
 * fake S3 client: ward's own cost, not the network), and decide + formatAlert throughput.
 *
 * Run: npx esbuild bench/responder.bench.ts --bundle --platform=node --target=node20 --external:esbuild \
 *        --outfile=node_modules/.cache/ward-bench/responder.js --log-level=warning && node node_modules/.cache/ward-bench/responder.js
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleLambda, bundleSize } from '../infra/bundling';
import { responderEntry } from '../infra/responder-stack';
import { formatAlert } from '../responder/alert';
import type { AuditStep } from '../responder/audit-steps';
import type { AuditStore } from '../responder/audit-store';
import { decide } from '../responder/decide';
import { parseComplianceChangeEvent } from '../responder/event';
import type { FlapState } from '../responder/flapping';
import { type ResponderDeps, respondToEvent } from '../responder/respond';
import { parseResponderSettings } from '../responder/settings';
import type { StateStore } from '../responder/state-store';
import { createLogger } from '../rules/runtime/logger';
import { findRunbook } from '../runbooks';
import type { RunbookContext } from '../runbooks/types';

const silent = createLogger({}, { write: () => undefined });

/** The audit table in memory, with the same write-once semantics: one entry per response and step. */
function memoryStore(): AuditStore {
  const items = new Map<string, AuditStep>();
  return {
    async append(step: AuditStep) {
      const key = `${step.auditId}#${step.step}`;
      if (items.has(key)) return false;
      items.set(key, step);
      return true;
    },
    async history(auditId: string) {
      return [...items.values()].filter((s) => s.auditId === auditId);
    },
  } as unknown as AuditStore;
}

/** The state table in memory: no kill switch, no cap reached, locks always free. */
function memoryState(): StateStore {
  const flaps = new Map<string, FlapState>();
  return {
    async killSwitchOn() {
      return false;
    },
    async reserveAutoChange() {
      return true;
    },
    async acquireLock() {
      return { acquired: true };
    },
    async releaseLock() {},
    async getFlap(k: string) {
      return flaps.get(k);
    },
    async putFlap(k: string, s: FlapState) {
      flaps.set(k, s);
    },
  } as unknown as StateStore;
}

/** S3 that answers instantly: no encryption until PutBucketEncryption. */
function fakeS3Context(): RunbookContext {
  // What PutBucketEncryption set, per bucket: read back as S3 answers (the responder verifies the change).
  const encrypted = new Map<string, unknown>();
  return {
    logger: silent,
    settings: { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    client<T>(): T {
      return {
        async send(c: {
          constructor: { name: string };
          input: { Bucket: string; ServerSideEncryptionConfiguration?: unknown };
        }) {
          switch (c.constructor.name) {
            case 'GetBucketEncryptionCommand':
              if (!encrypted.has(c.input.Bucket))
                throw Object.assign(new Error('none'), { name: 'ServerSideEncryptionConfigurationNotFoundError' });
              return { ServerSideEncryptionConfiguration: encrypted.get(c.input.Bucket) };
            case 'PutBucketEncryptionCommand':
              encrypted.set(c.input.Bucket, c.input.ServerSideEncryptionConfiguration);
              return {};
            default:
              return { TagSet: [] };
          }
        },
      } as unknown as T;
    },
  };
}

const example = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/events/compliance-change-s3-unencrypted.json'), 'utf8'),
) as Record<string, unknown>;
const eventFor = (i: number) =>
  parseComplianceChangeEvent({
    ...example,
    id: `evt-${i}`,
    detail: {
      ...(example.detail as object),
      resourceId: `bucket-${i}`,
      newEvaluationResult: {
        ...((example.detail as { newEvaluationResult: object }).newEvaluationResult as object),
      },
    },
  });

async function perEvent(mode: 'notify' | 'auto', n: number): Promise<number> {
  const ctx = fakeS3Context();
  const deps: ResponderDeps = {
    settings: parseResponderSettings({ defaultMode: mode }),
    logger: silent,
    store: memoryStore(),
    state: memoryState(),
    publish: async () => 'm',
    contexts: () => ({
      rule: {
        ...ctx,
        mode: 'lambda',
        accountId: '123456789012',
        region: 'us-east-1',
        offline: false,
        keys: { describe: async () => undefined },
        invokedAt: new Date(),
      } as never,
      runbook: ctx,
    }),
  };
  for (let i = 0; i < 200; i++) await respondToEvent(eventFor(-i - 1), deps); // warm up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = await respondToEvent(eventFor(i), deps);
    if (mode === 'auto' && r.outcome !== 'remediated') throw new Error(`expected remediated, got ${r.outcome}`);
  }
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
}

async function main() {
  const dir = bundleLambda(responderEntry());
  const size = bundleSize(dir);
  const gz = gzipSync(readFileSync(join(dir, 'index.js'))).length;
  console.log(
    `responder bundle: ${(size / 1024).toFixed(1)} KiB minified, ${(gz / 1024).toFixed(1)} KiB gzip (limit 400 KiB)`,
  );

  console.log(`respondToEvent, notify: ${(await perEvent('notify', 5000)).toFixed(1)} us/event`);
  console.log(
    `respondToEvent, auto (re-read, re-run rule, apply, audit, alert): ${(await perEvent('auto', 5000)).toFixed(1)} us/event`,
  );

  const rb = findRunbook('s3-enable-default-encryption');
  const e = eventFor(0);
  const n = 100_000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const d = decide({
      newCompliance: 'NON_COMPLIANT',
      oldCompliance: 'COMPLIANT',
      mode: 'auto',
      runbook: rb,
      killSwitch: false,
      rateCapReached: false,
      flapping: false,
    });
    formatAlert({
      kind: 'violation',
      event: e,
      ruleTitle: 'Data stores are encrypted at rest',
      findings: ['x'],
      decision: d,
      outcome: 'o',
      auditId: e.id,
    });
  }
  console.log(`decide + formatAlert: ${(Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(2)} us/event`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
