import type { AnyRule } from '../../rules/runtime/types';
import { Compliance } from '../../rules/runtime/types';
import type { ScanEvaluation, ScanFinding } from '../findings/scan-evaluation';
import { severityRank } from '../findings/severity';

/** A finding of a NON_COMPLIANT evaluation, with its place in the order of a SARIF log. */
export interface SarifCandidate {
  /** Severity rank of the finding (0 = critical). */
  readonly rank: number;
  /** The rule's position in the scan's rule list. */
  readonly rule: number;
  /** Arrival of its evaluation. */
  readonly seq: number;
  /** Position among its evaluation's findings. */
  readonly finding: number;
  readonly se: ScanEvaluation;
  readonly f: ScanFinding;
}

/** SARIF order: most severe first, then by rule, then as the evaluations came, then finding by finding. */
export function sarifOrder(a: SarifCandidate, b: SarifCandidate): number {
  return a.rank - b.rank || a.rule - b.rule || a.seq - b.seq || a.finding - b.finding;
}

/**
 * The SARIF results of a scan, kept within a budget: GitHub takes at most 25,000 results per run, so a scan of a
 * whole organization keeps only the `capacity` most severe findings (a heap whose top is the first to go) and
 * counts the rest, instead of holding every NON_COMPLIANT evaluation until the end. What it keeps is exactly the
 * first `capacity` results of all of them in {@link sarifOrder}.
 */
export class SarifResultBudget {
  /** A max-heap in {@link sarifOrder}: the root is the least severe result kept. */
  private readonly heap: SarifCandidate[] = [];
  private readonly ruleIndex: ReadonlyMap<string, number>;
  private seq = 0;
  /** Findings offered, kept or not. */
  total = 0;

  constructor(
    rules: readonly AnyRule[],
    readonly capacity: number,
  ) {
    this.ruleIndex = new Map(rules.map((r, k) => [r.meta.id, k]));
  }

  /** Offers each finding of a NON_COMPLIANT evaluation; other evaluations have none to show. */
  add(se: ScanEvaluation): void {
    if (se.evaluation.compliance !== Compliance.NON_COMPLIANT) return;
    const rule = this.ruleIndex.get(se.rule.meta.id) ?? this.ruleIndex.size;
    const seq = this.seq++;
    se.findings.forEach((f, finding) => this.offer({ rank: severityRank(f.severity), rule, seq, finding, se, f }));
  }

  /** The findings kept, in {@link sarifOrder}. */
  sorted(): SarifCandidate[] {
    return [...this.heap].sort(sarifOrder);
  }

  private offer(c: SarifCandidate): void {
    this.total++;
    const heap = this.heap;
    if (heap.length < this.capacity) {
      heap.push(c);
      this.up(heap.length - 1);
    } else if (heap.length > 0 && sarifOrder(c, heap[0]) < 0) {
      heap[0] = c;
      this.down(0);
    }
  }

  private up(k: number): void {
    const heap = this.heap;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (sarifOrder(heap[k], heap[parent]) <= 0) return;
      [heap[k], heap[parent]] = [heap[parent], heap[k]];
      k = parent;
    }
  }

  private down(k: number): void {
    const heap = this.heap;
    for (;;) {
      let top = k;
      for (const child of [2 * k + 1, 2 * k + 2]) {
        if (child < heap.length && sarifOrder(heap[child], heap[top]) > 0) top = child;
      }
      if (top === k) return;
      [heap[k], heap[top]] = [heap[top], heap[k]];
      k = top;
    }
  }
}
