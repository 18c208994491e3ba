import { normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import { describeError } from '../../rules/runtime/errors';
import type { Logger } from '../../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import { type InputLayout, ItemSplitter, type RawItem, SplitError } from './item-splitter';
import { openInput, ScanInputError, type ScanInput } from './resolve';
import { ItemTable, type LocatedItem } from './item-table';
import { INDEXED_TYPES, SnapshotIndex } from './snapshot-index';
import { isAwsLogsPath, LatestCaptures } from './latest-capture';
import type { EvaluationSource, ScanEvaluation } from '../findings/scan-evaluation';
import { ItemJudge } from '../parallel/item-judge';
import type { IndexEntry, LiteWhen } from '../parallel/messages';
import { JudgeWorkerError } from '../parallel/judge-pool';
import { type InputCounts, ParallelJudge, type ParallelJudgeOptions } from '../parallel/parallel-judge';

/** An item of a good file that could not be read; it is skipped and the scan goes on. */
export interface BadItem {
  readonly file: string;
  /** 0-based position of the item in its file. */
  readonly index: number;
  /** 1-based line of the item's first byte, for JSON Lines. */
  readonly line?: number;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly problem: string;
}

/** What was read from one input. */
export interface InputSummary {
  readonly file: string;
  /** A snapshot layout, or the kind of template input (scan/inputs/template-sources.ts). */
  readonly layout: InputLayout | 'cloudformation' | 'cdk-assembly' | 'terraform-plan';
  readonly items: number;
  /**
   * Objects of resource types no selected rule covers: counted, not judged, and not even parsed when the
   * splitter read their type from the bytes (nearly always).
   */
  readonly notCovered?: number;
}

/** Options of {@link scanSnapshots}. */
export interface SnapshotScanOptions {
  readonly inputs: readonly ScanInput[];
  /** Change-triggered rules to run (the caller lists the others as skipped). */
  readonly rules: readonly AnyRule[];
  /** Parsed parameters per rule. */
  readonly params: ReadonlyMap<AnyRule, unknown>;
  readonly logger: Logger;
  /** Each evaluation, with the item judged and where it starts in its file. */
  onEvaluation(rule: AnyRule, evaluation: Evaluation, source: EvaluationSource): void;
  onBadItem(bad: BadItem): void;
  /**
   * An input that could not be read or parsed at all (named by its label): it is left out and the other
   * inputs are scanned. Without this handler the scan throws ScanInputError instead.
   */
  onBadInput?(label: string, problem: string): void;
  /** Raw bytes read so far over both passes, of `total`. */
  onProgress?(done: number, total: number): void;
  /**
   * Judge every capture of an AWSLogs tree; by default (false) each resource of a tree is judged once, from
   * its latest capture across the inputs.
   */
  readonly allCaptures?: boolean;
  /**
   * Judge in this many worker threads (scan/parallel/); 1 or absent: in this thread. Workers are used only
   * with {@link onScanEvaluation}, and only for rules of the registry.
   */
  readonly jobs?: number;
  /**
   * With `jobs` > 1: receives each evaluation, made a ScanEvaluation where the item was judged (instead of
   * `onEvaluation`), in file order. With `prerender`, an evaluation without findings holds only what the
   * report counts, and the JSON text of the evaluations goes to `onJson` after them.
   */
  onScanEvaluation?(se: ScanEvaluation): void;
  /** Workers write the `--format json` text of the evaluations: nothing changes or hides one after them. */
  readonly prerender?: boolean;
  /** Which evaluations workers may send as counts only (scan/parallel/messages.ts); default `never`. */
  readonly liteWhen?: LiteWhen;
  /** With `prerender`: the JSON text of the evaluations just handed over (`count`, joined by `,\n`, UTF-8). */
  onJson?(text: Uint8Array, count: number): void;
  /** With workers: evaluations only counted (scan/parallel/parallel-judge.ts, `onTally`). */
  onTally?: ParallelJudgeOptions['onTally'];
  /** The clock of the run, the rules' `invokedAt` (runtime dates are judged against it); default: now. */
  readonly now?: Date;
}

/** What a snapshot scan read. */
export interface SnapshotScanResult {
  readonly inputs: InputSummary[];
  /** Set when the inputs were read as current state (an AWSLogs tree): older captures not judged. */
  readonly olderCapturesSkipped?: number;
}

/** The one-line form of a bad item, as printed on stderr and kept in the summary. */
export function describeBadItem(bad: BadItem): string {
  const what = [bad.resourceType, bad.resourceId].filter(Boolean).join(' ');
  const where = bad.line !== undefined ? `line ${bad.line} (item ${bad.index})` : `item ${bad.index}`;
  return `${bad.file}: ${where}${what ? ` (${what})` : ''}: ${bad.problem}`;
}

const RESOURCE_TYPE_KEY = Buffer.from('"resourceType"');

const INDEXED = new Set<string>(INDEXED_TYPES);

/** Reads one input through the splitter, handing over the items cut from each chunk as a batch. */
async function readItems(
  input: ScanInput,
  onBytes: (n: number) => void,
  onBatch: (items: RawItem[]) => Promise<void> | void,
): Promise<{ layout: InputLayout; items: number }> {
  let batch: RawItem[] = [];
  const splitter = new ItemSplitter((item) => batch.push(item));
  try {
    for await (const chunk of openInput(input, onBytes)) {
      splitter.push(chunk as Buffer);
      if (batch.length > 0) {
        const ready = batch;
        batch = [];
        await onBatch(ready);
      }
    }
    splitter.end();
  } catch (err) {
    if (err instanceof SplitError) {
      throw new ScanInputError(`${input.label}: not valid JSON at byte ${err.offset}: ${err.message}`, { cause: err });
    }
    if (err instanceof ScanInputError) throw err;
    const code = (err as { code?: string }).code ?? '';
    const what = code.startsWith('Z_') ? 'cannot decompress the gzip file' : 'cannot read the file';
    throw new ScanInputError(`${input.label}: ${what} (${describeError(err)})`, { cause: err });
  }
  if (batch.length > 0) await onBatch(batch);
  return { layout: splitter.layout, items: splitter.items };
}

/**
 * Pass 1: checks that every input is a readable snapshot and indexes the items other items refer to.
 * Only items whose bytes name an indexed type are parsed.
 */
async function indexInputs(
  inputs: readonly ScanInput[],
  index: SnapshotIndex,
  onBytes: (n: number) => void,
  onBadInput: ((label: string, problem: string) => void) | undefined,
  latest: LatestCaptures | undefined,
  replay: ((entry: IndexEntry) => void) | undefined,
): Promise<({ table: ItemTable; layout: InputLayout } | undefined)[]> {
  const located: ({ table: ItemTable; layout: InputLayout } | undefined)[] = [];
  for (const [n, input] of inputs.entries()) {
    try {
      located.push(await indexInput(input, n, index, onBytes, latest, replay));
    } catch (err) {
      if (!(err instanceof ScanInputError) || !onBadInput) throw err;
      // One unreadable input is reported by name; the others are still scanned.
      onBadInput(
        input.label,
        err.message.startsWith(`${input.label}: `) ? err.message.slice(input.label.length + 2) : err.message,
      );
      located.push(undefined);
    }
  }
  return located;
}

async function indexInput(
  input: ScanInput,
  n: number,
  index: SnapshotIndex,
  onBytes: (n: number) => void,
  latest: LatestCaptures | undefined,
  replay: ((entry: IndexEntry) => void) | undefined,
): Promise<{ table: ItemTable; layout: InputLayout }> {
  {
    let typed = 0;
    const table = new ItemTable();
    const { items, layout } = await readItems(input, onBytes, (batch) => {
      for (const raw of batch) {
        table.add(raw);
        if (latest !== undefined && raw.object) {
          try {
            const parsed: unknown = JSON.parse(raw.bytes.toString('utf8'));
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
              latest.consider(n, raw.index, parsed as Record<string, unknown>);
            }
          } catch {
            // Reported in pass 2 as a bad item.
          }
        }
        const type = raw.resourceType;
        if (type !== undefined || raw.bytes.indexOf(RESOURCE_TYPE_KEY) !== -1) typed++;
        // The splitter read the type from the bytes; otherwise look for an indexed type's name in them.
        if (type !== undefined ? !INDEXED.has(type) : !SnapshotIndex.mayHold(raw.bytes)) continue;
        try {
          const item = normalizeConfigurationItem(JSON.parse(raw.bytes.toString('utf8')));
          // Plain files are read back at the item's offset when a rule asks: only the offset is kept.
          const at = input.gzip ? undefined : { path: input.path, start: raw.start };
          // Judge workers index the same items again: from the file where they are in one, else from a copy.
          if (index.add(item, raw.bytes, at) && replay !== undefined) {
            const kept = SnapshotIndex.keptOf(item);
            const entry = at ? { ...at, length: raw.bytes.length } : { bytes: new Uint8Array(raw.bytes) };
            replay(kept ? { ...entry, kept } : entry);
          }
        } catch {
          // Reported in pass 2 as a bad item.
        }
      }
    });
    if (items > 0 && typed === 0) {
      throw new ScanInputError(
        `${input.label}: not a Config snapshot (none of its ${items} JSON objects has a resourceType)`,
      );
    }
    return { table, layout };
  }
}

/**
 * `ward scan` on snapshot files: a first pass indexes KMS keys, aliases and IAM policies (items come in any
 * order), a second pass evaluates each item with the rules that cover its type, in an offline rule context.
 * Files are streamed item by item, so memory stays bounded whatever their size.
 * @throws ScanInputError when a file is missing, not JSON or not a snapshot (before any evaluation).
 */
export async function scanSnapshots(options: SnapshotScanOptions): Promise<SnapshotScanResult> {
  const total = options.inputs.reduce((n, i) => n + i.size, 0) * 2;
  let done = 0;
  const onBytes = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };
  const invokedAt = options.now ?? new Date();
  const parallel =
    (options.jobs ?? 1) > 1 && options.onScanEvaluation !== undefined && ParallelJudge.canRun(options.rules);

  const index = new SnapshotIndex();
  const latest =
    !options.allCaptures && options.inputs.some((i) => isAwsLogsPath(i.path)) ? new LatestCaptures() : undefined;
  // Workers start first: they load the rules while pass 1 reads the files.
  const workers =
    parallel && options.onScanEvaluation !== undefined
      ? new ParallelJudge({
          jobs: options.jobs as number,
          rules: options.rules,
          params: options.params,
          logLevel: options.logger.level,
          invokedAt,
          prerender: options.prerender ?? false,
          liteWhen: options.liteWhen ?? 'never',
          latest,
          onScanEvaluation: options.onScanEvaluation,
          onJson: options.onJson,
          onTally: options.onTally,
        })
      : undefined;
  let located: Awaited<ReturnType<typeof indexInputs>>;
  try {
    // Workers index what pass 1 indexes as it goes (scan/parallel/parallel-judge.ts).
    const replay = workers ? (entry: IndexEntry) => workers.indexed(entry) : undefined;
    located = await indexInputs(options.inputs, index, onBytes, options.onBadInput, latest, replay);
  } catch (err) {
    await workers?.close();
    throw err;
  }

  const judge = new ItemJudge({
    rules: options.rules,
    params: options.params,
    logger: options.logger,
    keys: index.keys,
    resources: index.resources,
    invokedAt,
  });
  // This thread judges too, while the workers are busy (scan/parallel/judge-pool.ts).
  workers?.start(judge);

  /** Judges a batch in this thread: the same ItemJudge as the workers run. */
  const evaluateBatch = async (
    batch: LocatedItem[],
    bad: (at: number, problem: string, raw?: Record<string, unknown>) => void,
    file: string,
    inputIndex: number,
    counts: InputCounts,
  ): Promise<void> => {
    for (const { bytes, index: at, line } of batch) {
      await judge.judge(
        bytes,
        {
          bad: (problem, raw) => bad(at, problem, raw),
          evaluation: (rule, e, item) => options.onEvaluation(rule, e, { item, location: { file, line } }),
          notCovered: () => counts.notCovered++,
        },
        latest === undefined ? undefined : (record) => latest.isLatest(inputIndex, at, record),
      );
    }
  };

  const read: { input: ScanInput; layout: InputLayout; items: number; counts: InputCounts }[] = [];
  try {
    await evaluateInputs();
    await workers?.drain();
  } catch (err) {
    if (err instanceof JudgeWorkerError) throw new ScanInputError(err.message, { cause: err });
    throw err;
  } finally {
    await workers?.close();
    index.close();
  }
  const summaries: InputSummary[] = read.map((r) => ({
    file: r.input.label,
    layout: r.layout,
    items: r.items,
    notCovered: r.counts.notCovered,
  }));
  return { inputs: summaries, ...(latest ? { olderCapturesSkipped: latest.skipped } : {}) };

  async function evaluateInputs(): Promise<void> {
    for (const [n, input] of options.inputs.entries()) {
      const found = located[n];
      if (found === undefined) {
        onBytes(input.size);
        continue;
      }
      const { table, layout } = found;
      const bad = (at: number, problem: string, raw?: Record<string, unknown>) => {
        const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
        options.onBadItem({
          file: input.label,
          index: at,
          line: layout === 'lines' ? table.lineOf(at) : undefined,
          resourceType: str(raw?.resourceType),
          resourceId: str(raw?.resourceId),
          problem,
        });
      };
      const scalars = () => {
        for (let k = 0; k < table.count; k++) if (table.isScalar(k)) bad(k, 'not a JSON object');
      };
      // With workers, in the order a one-thread scan reports them: after the items of the inputs before.
      if (workers) workers.inOrder(scalars);
      else scalars();
      const wanted = (type: string | undefined) => judge.covers(type);
      // Items whose type the splitter read and no rule covers are counted here and never parsed.
      const counts: InputCounts = { notCovered: table.countUnwanted(wanted) };
      read.push({ input, layout, items: table.count, counts });
      // Pass 2 cuts items at the offsets pass 1 found, skipping (unread) the types no rule covers.
      if (table.hasUnknownTypes || table.types.some(wanted)) {
        try {
          await table.cut(openInput(input, onBytes), wanted, (batch) =>
            workers
              ? workers.judge(n, input.label, batch, bad, counts)
              : evaluateBatch(batch, bad, input.label, n, counts),
          );
        } catch (err) {
          if (err instanceof JudgeWorkerError)
            throw new ScanInputError(`${input.label}: ${err.message}`, { cause: err });
          const problem = `cannot read the file again (${describeError(err)})`;
          if (!options.onBadInput) throw new ScanInputError(`${input.label}: ${problem}`, { cause: err });
          options.onBadInput(input.label, problem);
        }
      } else {
        onBytes(input.size);
      }
    }
  }
}
