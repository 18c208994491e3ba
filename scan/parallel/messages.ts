/*
 * What the scan's thread and its judge workers send each other. Everything here survives structured cloning:
 * rules travel as their index in the rule list, item bytes as one transferred buffer per batch.
 */
import type { KeptItem } from '../inputs/snapshot-index';
import type { LocatedItem } from '../inputs/item-table';
import type { ScanEvaluation } from '../findings/scan-evaluation';

/**
 * An item the snapshot index holds, for a worker to index again: its bytes, or where they are in a plain file,
 * and, for an item the index reads back on demand, what it keeps of it (the worker then neither reads nor
 * parses it: only KMS keys and aliases are parsed again).
 */
export type IndexEntry = (
  { readonly bytes: Uint8Array } | { readonly path: string; readonly start: number; readonly length: number }
) & { readonly kept?: KeptItem };

/** `workerData` of a judge worker. */
export interface WorkerSetup {
  /** Ids of the rules to run, in the scan's order (results name a rule by its position here). */
  readonly ruleIds: readonly string[];
  /** Each rule's parsed parameters, in the same order. */
  readonly params: readonly unknown[];
  /** The scan's log level (`silent` unless asked). */
  readonly logLevel: string;
  /** The scan's instant, in ms since the epoch (rule contexts share it). */
  readonly invokedAt: number;
  /**
   * Write the `--format json` text of each batch's evaluations in the worker: nothing (suppression, baseline,
   * --min-severity) changes or hides an evaluation after it is judged.
   */
  readonly prerender: boolean;
  /** Which evaluations are sent as counts only. */
  readonly liteWhen: LiteWhen;
  /**
   * Evaluations that are not NON_COMPLIANT and have no findings are only tallied ({@link ResultMessage.tally}):
   * nothing in the scan's thread reads more of them than the report's counts (their JSON text, if any, is in
   * `json`). Set only with a `liteWhen` other than `never`.
   */
  readonly tally: boolean;
}

/**
 * The first messages to a worker: the items pass 1 indexed, in the order they were indexed, in parts sent as
 * pass 1 finds them (the worker indexes them while the files are still being read); `done` on the last part,
 * after which batches come.
 */
export interface IndexMessage {
  readonly index: readonly IndexEntry[];
  readonly done: boolean;
}

/** A batch of items of one input, packed into one buffer that is transferred, not copied. */
export interface BatchMessage {
  readonly seq: number;
  /** The input's label (the file of each evaluation's location). */
  readonly file: string;
  readonly bytes: Uint8Array;
  /** End offset of each item in `bytes` (items follow each other). */
  readonly ends: Uint32Array;
  /** Each item's position in its input. */
  readonly indices: Uint32Array;
  /** Each item's 1-based line. */
  readonly lines: Uint32Array;
  /** AWSLogs trees only: 1 when the item is its resource's latest capture. */
  readonly latest?: Uint8Array;
}

/**
 * Which evaluations a worker sends as counts only (rule, type, id, compliance, annotation, account, region,
 * and each finding's code, severity and message): `always` when their JSON text is written in the worker
 * (nothing else renders them), `no-findings` when only evaluations with findings can be shown (table, SARIF),
 * `never` when the scan's thread renders each one (JSON with suppressions, a baseline or --min-severity).
 */
export type LiteWhen = 'always' | 'no-findings' | 'never';

/** Tags of {@link ResultMessage.ops}, one per bad item or evaluation, in file order. */
export const Op = {
  /** at, problem, resourceType, resourceId */
  BAD: 0,
  /** rule, resourceType, resourceId, compliance, annotation, accountId, region, n, then n x (code, severity, message) */
  LITE: 1,
  /** rule, position in {@link ResultMessage.full} */
  FULL: 2,
} as const;

/** A worker's answer to one batch. */
export interface ResultMessage {
  readonly seq: number;
  /**
   * Bad items and evaluations as one flat list of tagged records ({@link Op}): a list of strings and numbers
   * is cloned between threads many times faster than as many small objects.
   */
  readonly ops: (string | number | undefined)[];
  /** Whole evaluations (without their rule), for {@link Op.FULL}. */
  readonly full: Omit<ScanEvaluation, 'rule'>[];
  /**
   * With {@link WorkerSetup.tally}: evaluations only counted, per rule position r at `3 r` (COMPLIANT) and
   * `3 r + 2` (NOT_APPLICABLE), and the distinct accounts of their resources.
   */
  readonly tally?: Uint32Array;
  readonly tallyAccounts?: string[];
  /** Items of types no rule covers (parsed because their type was not known before). */
  readonly notCovered: number;
  /** Older captures of an AWSLogs tree not judged. */
  readonly older: number;
  /** With `prerender`: the JSON text of the batch's evaluations, in order, joined by `,\n`, UTF-8 (transferred). */
  readonly json?: Uint8Array;
  /** Evaluations in `json`. */
  readonly jsonCount?: number;
  /** Set when the batch could not be judged at all. */
  readonly error?: string;
}

/** Packs located items into one batch message (the buffer is a fresh one, so it can be transferred). */
export function packBatch(seq: number, file: string, items: readonly LocatedItem[], latest?: ReadonlySet<number>) {
  let total = 0;
  for (const it of items) total += it.bytes.length;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(items.length);
  const indices = new Uint32Array(items.length);
  const lines = new Uint32Array(items.length);
  const flags = latest ? new Uint8Array(items.length) : undefined;
  let at = 0;
  items.forEach((it, k) => {
    bytes.set(it.bytes, at);
    at += it.bytes.length;
    ends[k] = at;
    indices[k] = it.index;
    lines[k] = it.line;
    if (flags && latest?.has(it.index)) flags[k] = 1;
  });
  const message: BatchMessage = { seq, file, bytes, ends, indices, lines, ...(flags ? { latest: flags } : {}) };
  return { message, transfer: [bytes.buffer] as ArrayBuffer[] };
}
