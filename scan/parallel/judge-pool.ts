import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { WardError } from '../../rules/runtime/errors';
import type { BatchMessage, IndexEntry, IndexMessage, ResultMessage, WorkerSetup } from './messages';

/** A judge worker failed, or could not be started: the scan did not judge everything it read. */
export class JudgeWorkerError extends WardError {}

/** Batches queued per worker: enough to keep it busy while the scan's thread reads, few enough to bound memory. */
const QUEUED_PER_WORKER = 4;

/** Batches judged (or queued) and not yet handed over, beyond which `submit` waits. */
const MAX_PENDING_PER_WORKER = 8;

/** Judges a batch in the scan's own thread, into the answer a worker would give. */
export type LocalJudge = (batch: BatchMessage) => Promise<ResultMessage>;

/**
 * The compiled worker script. Under ts-jest (sources, no .js beside them) the build's copy in dist/ is used.
 * @throws JudgeWorkerError when neither exists.
 */
export function workerScript(): string {
  const here = join(__dirname, 'judge-worker.js');
  if (existsSync(here)) return here;
  const built = resolve(__dirname, '..', '..', 'dist', 'scan', 'parallel', 'judge-worker.js');
  if (existsSync(built)) return built;
  throw new JudgeWorkerError(`cannot start judge workers: ${here} is missing (run \`npm run build\`)`);
}

interface Pending {
  readonly deliver: (result: ResultMessage) => void;
  result?: ResultMessage;
}

/**
 * A fixed set of judge workers (scan/parallel/judge-worker.ts) fed batch by batch, with the scan's own thread
 * as one more judge: a batch goes to the least busy worker, or, when every worker already has
 * {@link QUEUED_PER_WORKER} batches, is judged right there (so that thread works instead of waiting, and a
 * machine of N cores needs only N - 1 workers). `submit` returns once there is room for another batch
 * (back-pressure: the reader never runs ahead of the judges by more than a few batches). Results are handed to
 * each batch's `deliver` in submission order, whatever judge finished first: the report sees the items in file
 * order, as a one-thread scan would.
 */
export class JudgePool {
  private readonly workers: Worker[];
  private readonly load: number[];
  private readonly pending = new Map<number, Pending>();
  private closing = false;
  private nextSeq = 0;
  private nextDelivery = 0;
  private failure: Error | undefined;
  private waiters: (() => void)[] = [];
  private local: LocalJudge | undefined;

  constructor(workers: number, setup: WorkerSetup) {
    const script = workerScript();
    this.workers = Array.from({ length: workers }, () => new Worker(script, { workerData: setup }));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((w, k) => {
      w.on('message', (m: ResultMessage) => this.received(k, m));
      w.on('error', (err) => this.fail(new JudgeWorkerError(`a judge worker failed: ${err.message}`, { cause: err })));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new JudgeWorkerError(`a judge worker stopped (exit code ${code})`));
      });
    });
  }

  /**
   * Sends a part of the index of pass 1 to every worker (they were started before it, to load the rules
   * meanwhile): entries that are copies of bytes are copied to each worker. The last part, `local` given, says
   * the index is complete; batches follow it.
   */
  sendIndex(index: readonly IndexEntry[], local?: LocalJudge): void {
    const done = local !== undefined;
    for (const w of this.workers) w.postMessage({ index, done } satisfies IndexMessage);
    if (done) this.local = local;
  }

  /** The next sequence number (a batch message carries it). */
  seq(): number {
    return this.nextSeq++;
  }

  /**
   * Sends a batch to the least busy worker; resolves when another batch may be sent.
   * @throws JudgeWorkerError when a worker failed.
   */
  async submit(batch: BatchMessage, transfer: ArrayBuffer[], deliver: (result: ResultMessage) => void): Promise<void> {
    if (this.failure) throw this.failure;
    let k = 0;
    for (let j = 1; j < this.load.length; j++) if (this.load[j] < this.load[k]) k = j;
    this.pending.set(batch.seq, { deliver });
    if (this.local !== undefined && this.load[k] >= QUEUED_PER_WORKER) {
      // Every worker has enough to do: judge this one here rather than wait.
      const result = await this.local(batch);
      this.received(-1, result);
    } else {
      this.load[k]++;
      this.workers[k].postMessage(batch, transfer);
    }
    while (this.pending.size >= this.workers.length * MAX_PENDING_PER_WORKER && !this.failure) await this.wait();
    if (this.failure) throw this.failure;
  }

  /**
   * Runs `fn` in delivery order: after every batch submitted so far has been delivered, before any later one
   * (work of the scan's own thread, such as reporting the scalars of the next input, keeps its place).
   */
  inOrder(fn: () => void): void {
    const seq = this.nextSeq++;
    this.pending.set(seq, { deliver: fn, result: { seq, ops: [], full: [], notCovered: 0, older: 0 } });
    this.flush();
  }

  /** Resolves when every batch sent has been delivered. @throws JudgeWorkerError when a worker failed. */
  async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.failure) await this.wait();
    if (this.failure) throw this.failure;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** A batch's answer, from worker `worker` (-1: judged in this thread). */
  private received(worker: number, result: ResultMessage): void {
    if (worker >= 0) this.load[worker]--;
    const p = this.pending.get(result.seq);
    if (p === undefined) return;
    p.result = result;
    this.flush();
  }

  private flush(): void {
    // Deliver in order: a batch that finished early waits for the ones before it.
    for (
      let q = this.pending.get(this.nextDelivery);
      q?.result !== undefined;
      q = this.pending.get(this.nextDelivery)
    ) {
      this.pending.delete(this.nextDelivery);
      this.nextDelivery++;
      if (q.result.error !== undefined) {
        this.fail(new JudgeWorkerError(`a judge worker could not judge a batch: ${q.result.error}`));
        return;
      }
      try {
        q.deliver(q.result);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
    }
    this.wake();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }
}
