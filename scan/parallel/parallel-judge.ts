import { rules as registry } from '../../rules';
import {
  Compliance,
  type AnyRule,
  type ComplianceType,
  type Evaluation,
  type SeverityLevel,
} from '../../rules/runtime/types';
import type { ScanEvaluation, ScanFinding } from '../findings/scan-evaluation';
import type { LocatedItem } from '../inputs/item-table';
import type { LatestCaptures } from '../inputs/latest-capture';
import type { ItemJudge } from './item-judge';
import { judgeBatch } from './judge-batch';
import { JudgePool } from './judge-pool';
import { type IndexEntry, type LiteWhen, Op, packBatch, type ResultMessage, type WorkerSetup } from './messages';

/** Options of {@link ParallelJudge}. */
export interface ParallelJudgeOptions {
  /** Threads judging: the scan's own and `jobs - 1` workers (2 or more). */
  readonly jobs: number;
  readonly rules: readonly AnyRule[];
  readonly params: ReadonlyMap<AnyRule, unknown>;
  readonly logLevel: string;
  readonly invokedAt: Date;
  /** Which evaluations workers send as counts only (messages.ts). */
  readonly liteWhen: LiteWhen;
  /** Workers write each evaluation's `--format json` text. */
  readonly prerender: boolean;
  /** AWSLogs trees read as current state: which items are their resource's latest capture. */
  readonly latest?: LatestCaptures;
  /**
   * Each evaluation, in file order. With `prerender` its JSON text comes after, with those of its batch, to
   * `onJson`; an evaluation without findings then holds only what the report counts (rule, type, id,
   * compliance, annotation, account and region).
   */
  onScanEvaluation(se: ScanEvaluation): void;
  /** With `prerender`: the JSON text of the evaluations just handed over (`count` of them, joined by `,\n`, UTF-8). */
  onJson?(text: Uint8Array, count: number): void;
  /**
   * When given (and `liteWhen` is not `never`), evaluations that are neither NON_COMPLIANT nor with findings come
   * here as counts, per rule and compliance, with the accounts of their resources, instead of one by one to
   * `onScanEvaluation`: for a report that only counts them.
   */
  onTally?(rule: AnyRule, compliance: ComplianceType, count: number, accountIds: readonly string[]): void;
}

/** Indexed items sent to the workers at a time during pass 1. */
const INDEX_PART = 2048;

/** Where an item of a batch is reported as bad: its position in the input, the problem, what it named. */
export type BadItemReporter = (at: number, problem: string, raw?: Record<string, unknown>) => void;

/** Per-input counts the workers report back. */
export interface InputCounts {
  notCovered: number;
}

/**
 * The scan's side of judging in worker threads: packs the items pass 2 cut into batches, sends them to a
 * {@link JudgePool}, and turns the answers back into bad items and evaluations, in file order.
 */
export class ParallelJudge {
  private readonly pool: JudgePool;
  /** Indexed items not yet sent to the workers. */
  private readonly part: IndexEntry[] = [];

  /**
   * True when workers can run these rules: they load rules from the registry by id, so a rule list from
   * elsewhere (tests) is judged in the scan's own thread.
   */
  static canRun(rules: readonly AnyRule[]): boolean {
    return rules.every((r) => registry.includes(r));
  }

  /** How every judge (the workers and this thread) answers a batch. */
  private readonly answer: Pick<WorkerSetup, 'prerender' | 'liteWhen' | 'tally'>;

  constructor(private readonly options: ParallelJudgeOptions) {
    this.answer = {
      prerender: options.prerender,
      liteWhen: options.liteWhen,
      tally: options.onTally !== undefined && options.liteWhen !== 'never',
    };
    this.pool = new JudgePool(options.jobs - 1, {
      ruleIds: options.rules.map((r) => r.meta.id),
      params: options.rules.map((r) => options.params.get(r)),
      logLevel: options.logLevel,
      invokedAt: options.invokedAt.getTime(),
      ...this.answer,
    });
  }

  /**
   * Hands the workers an item pass 1 indexed, in the order indexed: sent in parts as they come, so that the
   * workers index them while pass 1 still reads (and no list of them grows here).
   */
  indexed(entry: IndexEntry): void {
    this.part.push(entry);
    if (this.part.length >= INDEX_PART) this.pool.sendIndex(this.part.splice(0));
  }

  /**
   * Pass 1 is over: the rest of the index goes to the workers, and `local`, the judge of this thread (with the
   * index itself), takes the batches this thread judges.
   */
  start(local: ItemJudge): void {
    const position = new Map(this.options.rules.map((r, k) => [r, k]));
    this.pool.sendIndex(this.part.splice(0), (batch) => judgeBatch(local, batch, position, this.answer));
  }

  /**
   * Sends one batch of input `input` (labelled `file`) to the workers; resolves when another may be sent.
   * @throws JudgeWorkerError when a worker failed.
   */
  async judge(
    input: number,
    file: string,
    items: readonly LocatedItem[],
    bad: BadItemReporter,
    counts: InputCounts,
  ): Promise<void> {
    const { message, transfer } = packBatch(this.pool.seq(), file, items, this.options.latest?.latestOf(input));
    await this.pool.submit(message, transfer, (result) => this.deliver(result, bad, counts));
  }

  /** Runs `fn` after everything sent so far has been reported, before anything sent later. */
  inOrder(fn: () => void): void {
    this.pool.inOrder(fn);
  }

  /** Resolves when every batch sent has been reported. @throws JudgeWorkerError when a worker failed. */
  drain(): Promise<void> {
    return this.pool.drain();
  }

  /** Stops the workers. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private deliver(result: ResultMessage, bad: BadItemReporter, counts: InputCounts): void {
    counts.notCovered += result.notCovered;
    if (result.older > 0) this.options.latest?.addSkipped(result.older);
    const rules = this.options.rules;
    const ops = result.ops;
    let k = 0;
    while (k < ops.length) {
      const op = ops[k];
      if (op === Op.BAD) {
        bad(ops[k + 1] as number, ops[k + 2] as string, { resourceType: ops[k + 3], resourceId: ops[k + 4] });
        k += 5;
      } else if (op === Op.FULL) {
        this.options.onScanEvaluation({ rule: rules[ops[k + 1] as number], ...result.full[ops[k + 2] as number] });
        k += 3;
      } else {
        const n = ops[k + 8] as number;
        this.options.onScanEvaluation(fromLite(rules[ops[k + 1] as number], ops, k));
        k += 9 + 3 * n;
      }
    }
    if (result.tally !== undefined) {
      const accounts = result.tallyAccounts ?? [];
      for (let r = 0; r < rules.length; r++) {
        const compliant = result.tally[3 * r];
        const notApplicable = result.tally[3 * r + 2];
        if (compliant > 0) this.options.onTally?.(rules[r], Compliance.COMPLIANT, compliant, accounts);
        if (notApplicable > 0) this.options.onTally?.(rules[r], Compliance.NOT_APPLICABLE, notApplicable, accounts);
      }
    }
    if (result.json !== undefined && result.jsonCount) this.options.onJson?.(result.json, result.jsonCount);
  }
}

/**
 * The ScanEvaluation of an {@link Op.LITE} record at `k`: what the report counts (the JSON text, when there is
 * one, came from the worker; table and SARIF show only evaluations with findings, which are sent whole).
 */
function fromLite(rule: AnyRule, ops: readonly (string | number | undefined)[], k: number): ScanEvaluation {
  const n = ops[k + 8] as number;
  const findings: ScanFinding[] = [];
  for (let j = 0; j < n; j++) {
    const at = k + 9 + 3 * j;
    findings.push({
      code: ops[at] as string,
      severity: ops[at + 1] as SeverityLevel,
      message: ops[at + 2] as string,
      fingerprint: '',
    });
  }
  const evaluation = {
    resourceType: ops[k + 2],
    resourceId: ops[k + 3],
    compliance: ops[k + 4],
    annotation: ops[k + 5],
    findings: findings.map((f) => ({ code: f.code, message: f.message })),
  } as unknown as Evaluation;
  return { rule, evaluation, identity: { accountId: ops[k + 6] as string, region: ops[k + 7] as string }, findings };
}
