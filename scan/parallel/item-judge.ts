import { type ConfigurationItem, normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import type { KeyLookup, ResourceLookup, RuleContext } from '../../rules/runtime/context';
import { evaluateItem } from '../../rules/runtime/engine';
import { describeError } from '../../rules/runtime/errors';
import type { Logger } from '../../rules/runtime/logger';
import { createRuleContext } from '../../rules/runtime/rule-context';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';

/** What judging one item produced, handed over as it comes (in the order of the rules). */
export interface JudgeSink {
  /** The item is not a configuration item that can be judged; `raw` when it parsed as an object. */
  bad(problem: string, raw?: Record<string, unknown>): void;
  /** One rule's evaluation of the item. */
  evaluation(rule: AnyRule, evaluation: Evaluation, item: ConfigurationItem): void;
  /** The item is of a type no selected rule covers (it parsed, since its type was not known before). */
  notCovered(): void;
}

/** What an {@link ItemJudge} needs: the same in the scan's own thread and in every worker. */
export interface ItemJudgeOptions {
  /** The rules to run, each on the items of its resource types. */
  readonly rules: readonly AnyRule[];
  readonly params: ReadonlyMap<AnyRule, unknown>;
  readonly logger: Logger;
  /** The snapshot's key lookup and resource index (scan/inputs/snapshot-index.ts). */
  readonly keys: KeyLookup;
  readonly resources: ResourceLookup;
  /** The instant of the scan: one for every rule context, whatever thread judges an item. */
  readonly invokedAt: Date;
}

/** JSON.parse's reason without the excerpt of the input V8 quotes in it (an item may hold a policy document). */
function jsonProblem(err: unknown): string {
  return describeError(err).replace(/,\s*(\.\.\.)?".*"(\.\.\.)?\s+is not valid JSON$/s, '');
}

/**
 * Judges configuration items from their raw bytes: parse, normalise, run each rule that covers the type in the
 * offline rule context of the item's account and region. The one place items are judged, whether the scan
 * runs in one thread or in workers (scan/parallel/judge-worker.ts), so that both give the same evaluations.
 */
export class ItemJudge {
  private readonly byType = new Map<string, AnyRule[]>();
  private readonly contexts = new Map<string, RuleContext>();
  // Items of one account and region come in runs: the last context is reused without building its key.
  private last: { accountId: string; region: string; ctx: RuleContext } | undefined;

  constructor(private readonly options: ItemJudgeOptions) {
    for (const rule of options.rules) {
      for (const type of rule.meta.resourceTypes) this.byType.set(type, [...(this.byType.get(type) ?? []), rule]);
    }
  }

  /** True when some rule covers `type`. */
  covers(type: string | undefined): boolean {
    return type !== undefined && this.byType.has(type);
  }

  /**
   * Judges one item. `isCurrent` (AWSLogs trees read as current state) says whether the parsed item is the
   * capture to judge; an older capture is left without a word to the sink (the caller counts it).
   */
  async judge(bytes: Buffer, sink: JudgeSink, isCurrent?: (record: Record<string, unknown>) => boolean): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      sink.bad(`not valid JSON (${jsonProblem(err)})`);
      return;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      sink.bad('not a JSON object');
      return;
    }
    const record = raw as Record<string, unknown>;
    if (isCurrent !== undefined && !isCurrent(record)) return;
    const rules = typeof record.resourceType === 'string' ? this.byType.get(record.resourceType) : undefined;
    if (!rules) {
      if (typeof record.resourceType !== 'string' || typeof record.resourceId !== 'string') {
        sink.bad('not a configuration item (no resourceType or resourceId)', record);
      } else sink.notCovered();
      return;
    }
    let item: ConfigurationItem;
    try {
      item = normalizeConfigurationItem(record);
    } catch (err) {
      sink.bad(describeError(err), record);
      return;
    }
    const ctx = this.contextFor(item);
    for (const rule of rules) {
      for (const e of await evaluateItem(rule, item, this.options.params.get(rule), ctx)) {
        sink.evaluation(rule, e, item);
      }
    }
  }

  private contextFor(item: ConfigurationItem): RuleContext {
    const last = this.last;
    if (last !== undefined && last.accountId === item.accountId && last.region === item.awsRegion) return last.ctx;
    const key = `${item.accountId}|${item.awsRegion}`;
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = createRuleContext({
        mode: 'snapshot',
        accountId: item.accountId,
        region: item.awsRegion,
        logger: this.options.logger,
        keys: this.options.keys,
        resources: this.options.resources,
        invokedAt: this.options.invokedAt,
      });
      this.contexts.set(key, ctx);
    }
    this.last = { accountId: item.accountId, region: item.awsRegion, ctx };
    return ctx;
  }
}
