import fc from 'fast-check';
import { rules } from '../../../rules';
import type { Evaluation, SeverityLevel } from '../../../rules/runtime/types';
import { type ScanEvaluation, toScanEvaluation } from '../../../scan/findings/scan-evaluation';
import { SEVERITY_ORDER } from '../../../rules/runtime/types';
import { type SarifCandidate, SarifResultBudget, sarifOrder } from '../../../scan/outputs/sarif-budget';

/** An evaluation of rule `rule` (index in `rules`) with findings of these severities. */
function evaluation(
  rule: number,
  id: string,
  compliance: string,
  severities: readonly SeverityLevel[],
): ScanEvaluation {
  const e = {
    resourceType: 'AWS::S3::Bucket',
    resourceId: id,
    compliance,
    annotation: 'x',
    findings: severities.map((_, k) => ({ code: `c${k}`, message: `m${k}`, path: `p${k}` })),
  } as unknown as Evaluation;
  const se = toScanEvaluation(rules[rule], e, { accountId: '111122223333', region: 'us-east-1' });
  // The severity is the finding code's in the rule's metadata; these test codes have none, so set it here.
  return { ...se, findings: se.findings.map((f, k) => ({ ...f, severity: severities[k] })) };
}

const key = (c: SarifCandidate) => `${c.se.evaluation.resourceId}/${c.finding}`;

describe('the SARIF result budget', () => {
  it('keeps exactly the first N results of all of them, most severe first, and counts every one', () => {
    const severity = fc.constantFrom(...SEVERITY_ORDER);
    const item = fc.record({
      rule: fc.integer({ min: 0, max: 3 }),
      compliant: fc.boolean(),
      severities: fc.array(severity, { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), fc.integer({ min: 0, max: 40 }), (items, capacity) => {
        const small = new SarifResultBudget(rules, capacity);
        const all = new SarifResultBudget(rules, Number.POSITIVE_INFINITY);
        items.forEach((it, n) => {
          const se = evaluation(it.rule, `r${n}`, it.compliant ? 'COMPLIANT' : 'NON_COMPLIANT', it.severities);
          small.add(se);
          all.add(se);
        });
        const everything = all.sorted();
        expect(small.total).toBe(everything.length);
        expect(small.sorted().map(key)).toEqual(everything.slice(0, capacity).map(key));
      }),
      { seed: 20261206, numRuns: 200 },
    );
  });

  it('orders by severity, then rule, then arrival, then finding', () => {
    const budget = new SarifResultBudget(rules, 10);
    budget.add(evaluation(1, 'late-rule', 'NON_COMPLIANT', ['high']));
    budget.add(evaluation(0, 'low-first', 'NON_COMPLIANT', ['low', 'critical']));
    budget.add(evaluation(0, 'second', 'NON_COMPLIANT', ['high']));
    budget.add(evaluation(0, 'passes', 'COMPLIANT', []));
    const order = budget.sorted().map((c) => `${c.se.evaluation.resourceId}:${c.f.severity}`);
    expect(order).toEqual(['low-first:critical', 'second:high', 'late-rule:high', 'low-first:low']);
    expect(budget.total).toBe(4);
    const [a, b] = budget.sorted();
    expect(sarifOrder(a, b)).toBeLessThan(0);
  });
});
