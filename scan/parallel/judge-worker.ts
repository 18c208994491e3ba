/*
 * A judge worker (worker_threads): rebuilds the snapshot index from the items pass 1 indexed, as they come,
 * then judges the batches the scan's thread sends, with the same ItemJudge as a one-thread scan, and answers
 * each batch with its evaluations (identity and fingerprints computed here, and their JSON text when asked).
 * Loaded only by scan/parallel/judge-pool.ts: nothing in rules/ or in a Lambda bundle imports it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { rules as registry } from '../../rules';
import { normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import { describeError } from '../../rules/runtime/errors';
import { createLogger } from '../../rules/runtime/logger';
import type { AnyRule } from '../../rules/runtime/types';
import { SnapshotIndex } from '../inputs/snapshot-index';
import { ItemJudge } from './item-judge';
import { judgeBatch } from './judge-batch';
import type { BatchMessage, IndexEntry, IndexMessage, ResultMessage, WorkerSetup } from './messages';

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

/**
 * Indexes in this worker a part of what pass 1 indexed, in the same order. The files opened to read KMS keys and
 * aliases again are closed before it returns: a scan that stops in pass 1 sends no more parts, and a worker
 * stopped then must not leave descriptors open in the process.
 */
function indexPart(index: SnapshotIndex, entries: readonly IndexEntry[]): void {
  const fds = new Map<string, number>();
  try {
    for (const entry of entries) {
      const inFile = 'path' in entry;
      if (entry.kept !== undefined) {
        // Read back on demand: what pass 1 found of it is all the index needs now.
        index.addKept(
          entry.kept,
          'path' in entry
            ? { path: entry.path, start: entry.start, length: entry.length }
            : Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.length),
        );
        continue;
      }
      const bytes = inFile
        ? readAt(fds, entry)
        : Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.length);
      const item = normalizeConfigurationItem(JSON.parse(bytes.toString('utf8')));
      index.add(item, bytes, inFile ? { path: entry.path, start: entry.start } : undefined);
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('judge-worker runs as a worker thread');
  const setup = workerData as WorkerSetup;
  const byId = new Map(registry.map((r) => [r.meta.id, r]));
  const rules = setup.ruleIds.map((id) => byId.get(id) as AnyRule);
  const position = new Map(rules.map((r, k) => [r, k]));
  // Like the scan thread's, logs go to stderr: stdout may be the report.
  const logger = createLogger({ command: 'scan' }, process.stderr);
  logger.level = setup.logLevel;
  const index = new SnapshotIndex();
  let judge: ItemJudge | undefined;

  // The first messages are the index, in parts as pass 1 finds it (the worker started while pass 1 read the
  // files), then batches come, judged one after the other: the scan's thread keeps a few queued per worker.
  let queue = Promise.resolve();
  port.on('message', (message: IndexMessage | BatchMessage) => {
    if (judge === undefined) {
      const part = message as IndexMessage;
      indexPart(index, part.index);
      if (!part.done) return;
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
  port.once('close', () => index.close());
}

main();
