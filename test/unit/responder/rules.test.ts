import { responderRules } from '../../../responder/rules';
import { automatedRunbooks } from '../../../runbooks';
import { rules } from '../../../rules';

describe('the rules the responder re-runs', () => {
  it('are registry rules', () => {
    for (const r of responderRules) expect(rules).toContain(r);
  });

  it('include every registry rule whose findings an automated runbook fixes', () => {
    const fixable = new Set(automatedRunbooks.flatMap((rb) => rb.findingCodes));
    const needed = rules.filter((r) => Object.keys(r.meta.findingCodes).some((c) => fixable.has(c)));
    expect(needed.map((r) => r.meta.id).filter((id) => !responderRules.some((r) => r.meta.id === id))).toEqual([]);
  });
});
