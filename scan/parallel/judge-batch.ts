import { Compliance, type AnyRule } from '../../rules/runtime/types';
import { type ScanEvaluation, toScanEvaluation } from '../findings/scan-evaluation';
import { resourceKey } from '../inputs/latest-capture';
import { evaluationJson } from '../outputs/json';
import type { ItemJudge, JudgeSink } from './item-judge';
import { type BatchMessage, Op, type ResultMessage, type WorkerSetup } from './messages';

/**
 * Judges one batch into the answer a worker sends (messages.ts): bad items and evaluations as tagged records
 * in file order, whole evaluations where the scan's thread may show them, and the JSON text of the batch.
 * Run by the workers, and by the scan's own thread for the batches it takes while the workers are busy.
 */
export async function judgeBatch(
  judge: ItemJudge,
  batch: BatchMessage,
  position: ReadonlyMap<AnyRule, number>,
  setup: Pick<WorkerSetup, 'prerender' | 'liteWhen' | 'tally'>,
): Promise<ResultMessage> {
  const ops: (string | number | undefined)[] = [];
  const tally = setup.tally ? new Uint32Array(position.size * 3) : undefined;
  const tallyAccounts = new Set<string>();
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
        if (tally !== undefined && e.compliance !== Compliance.NON_COMPLIANT && se.findings.length === 0) {
          // Only counted: the report reads nothing else of it (messages.ts).
          tally[3 * r + (e.compliance === Compliance.COMPLIANT ? 0 : 2)]++;
          if (se.identity.accountId) tallyAccounts.add(se.identity.accountId);
        } else if (
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
  return {
    seq: batch.seq,
    ops,
    full,
    ...(tally ? { tally, tallyAccounts: [...tallyAccounts] } : {}),
    notCovered,
    older,
    ...(json ? json.take() : {}),
  };
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
