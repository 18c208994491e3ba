/*
 * A judge worker (worker_threads): rebuilds the snapshot index from the items pass 1 indexed, then judges the
 * batches the scan's thread sends, with the same ItemJudge as a one-thread scan, and answers each batch with
 * its evaluations (identity and fingerprints computed here, and their JSON text when asked). Loaded only by
 * scan/parallel/judge-pool.ts: nothing in rules/ or in a Lambda bundle imports it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { rules as registry } from '../../rules';
import { normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import { describeError } from '../../rules/runtime/errors';
import { createLogger } from '../../rules/runtime/logger';
import type { AnyRule } from '../../rules/runtime/types';
import { toScanEvaluation } from '../findings/scan-evaluation';
import { resourceKey } from '../inputs/latest-capture';
import { SnapshotIndex } from '../inputs/snapshot-index';
import { evaluationJson } from '../outputs/json';
import { ItemJudge, type JudgeSink } from './item-judge';
import type { ScanEvaluation } from '../findings/scan-evaluation';
import {
  type BatchMessage,
  type IndexEntry,
  type IndexMessage,
  Op,
  type ResultMessage,
  type WorkerSetup,
} from './messages';

function readAt(fds: Map<string, number>, entry: { path: string; start: number; length: number }): Buffer {
  let fd = fds.get(entry.path);
  if (fd === undefined) fds.set(entry.path, (fd = openSync(entry.path, 'r')));
  const buffer = Buffer.allocUnsafe(entry.length);
  let done = 0;
  while (done < entry.length) {
    const n = readSync(fd, buffer, done, entry.length - done, entry.start + done);
    if (n === 0) throw new Error(`${entry.path} changed during the scan`);
    done += n;
  }
  return buffer;
}

/** The index of pass 1, rebuilt in this worker from the same items in the same order. */
function rebuildIndex(entries: readonly IndexEntry[]): SnapshotIndex {
  const index = new SnapshotIndex();
  const fds = new Map<string, number>();
  try {
    for (const entry of entries) {
      const inFile = 'path' in entry;
      const bytes = inFile
        ? readAt(fds, entry)
        : Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.length);
      const item = normalizeConfigurationItem(JSON.parse(bytes.toString('utf8')));
      index.add(item, bytes, inFile ? { path: entry.path, start: entry.start } : undefined);
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  return index;
}

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('judge-worker runs as a worker thread');
  const setup = workerData as WorkerSetup;
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  const rules = setup.ruleIds.map((id) => byId.get(id) as AnyRule);
  const position = new Map(rules.map((r, k) => [r, k]));
  const logger = createLogger({ command: 'scan' });
  logger.level = setup.logLevel;
  let index: SnapshotIndex | undefined;
  let judge: ItemJudge | undefined;

  // The first message is the index (the worker started while pass 1 read the files), then batches come,
  // judged one after the other: the scan's thread keeps a few queued per worker.
  let queue = Promise.resolve();
  port.on('message', (message: IndexMessage | BatchMessage) => {
    if (judge === undefined) {
      index = rebuildIndex((message as IndexMessage).index);
      judge = new ItemJudge({
        rules,
        params: new Map(rules.map((r, k) => [r, setup.params[k]])),
        logger,
        keys: index.keys,
        resources: index.resources,
        invokedAt: new Date(setup.invokedAt),
      });
      return;
    }
    const batch = message as BatchMessage;
    const ready = judge;
    queue = queue.then(async () => {
      let answer: ResultMessage;
      try {
        answer = await judgeBatch(ready, batch, position, setup);
      } catch (err) {
        answer = { seq: batch.seq, ops: [], full: [], notCovered: 0, older: 0, error: describeError(err) };
      }
      port.postMessage(answer, answer.json ? [answer.json.buffer as ArrayBuffer] : []);
    });
  });
  port.once('close', () => index?.close());
}

async function judgeBatch(
  judge: ItemJudge,
  batch: BatchMessage,
  position: ReadonlyMap<AnyRule, number>,
  setup: WorkerSetup,
): Promise<ResultMessage> {
  const ops: (string | number | undefined)[] = [];
  const full: Omit<ScanEvaluation, 'rule'>[] = [];
  let notCovered = 0;
  let older = 0;
  const json = setup.prerender ? new TextSink() : undefined;
  const all = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.length);
  let start = 0;
  for (let k = 0; k < batch.ends.length; k++) {
    const at = batch.indices[k];
    const line = batch.lines[k];
    const bytes = all.subarray(start, batch.ends[k]);
    start = batch.ends[k];
    const sink: JudgeSink = {
      bad: (problem, raw) => {
        const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
        ops.push(Op.BAD, at, problem, str(raw?.resourceType), str(raw?.resourceId));
      },
      evaluation: (rule, e, item) => {
        const se = toScanEvaluation(rule, e, { item, location: { file: batch.file, line } });
        json?.add(evaluationJson(se));
        const r = position.get(rule) as number;
        if (
          setup.liteWhen === 'always' ||
          (setup.liteWhen === 'no-findings' && se.findings.length === 0 && e.findings.length === 0)
        ) {
          const id = se.identity;
          ops.push(Op.LITE, r, e.resourceType, e.resourceId, e.compliance, e.annotation, id.accountId, id.region);
          ops.push(se.findings.length);
          for (const f of se.findings) ops.push(f.code, f.severity, f.message);
        } else {
          const { rule: _rule, ...rest } = se;
          ops.push(Op.FULL, r, full.length);
          full.push(rest);
        }
      },
      notCovered: () => notCovered++,
    };
    const current = batch.latest;
    const isCurrent = current
      ? (record: Record<string, unknown>) => {
          if (current[k] === 1 || resourceKey(record) === undefined) return true;
          older++;
          return false;
        }
      : undefined;
    await judge.judge(bytes, sink, isCurrent);
  }
  return { seq: batch.seq, ops, full, notCovered, older, ...(json ? json.take() : {}) };
}

/**
 * The JSON texts of a batch, encoded as they come into one buffer of its own (transferred to the scan's thread,
 * which writes it as is): no megabyte string to build here, nor to decode and encode again there.
 */
class TextSink {
  private buffer = Buffer.allocUnsafeSlow(1 << 20);
  private used = 0;
  private count = 0;

  add(text: string): void {
    const sep = this.count++ === 0 ? '' : ',\n';
    // A UTF-8 character is at most 3 bytes per UTF-16 code unit.
    const need = this.used + (sep.length + text.length) * 3;
    if (need > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(sep + text, this.used);
  }

  take(): { json: Uint8Array; jsonCount: number } {
    return { json: new Uint8Array(this.buffer.buffer, 0, this.used), jsonCount: this.count };
  }
}

main();
