import type { Logger } from '../rules/runtime/logger';
import type { AnyAutomatedRunbook, RunbookResource } from '../runbooks/types';
import type { DecidedStep } from './audit-steps';
import { stepOf } from './audit-steps';
import { describeSafely } from './errors';
import type { Journal, StepInput } from './journal';
import type { ResponderDeps } from './respond';

/**
 * Planned (before-state first), applied, verified; each step skipped when an earlier attempt wrote it. False
 * when a concurrent attempt wrote a step first (it carries on; this one stops).
 */
export async function remediate(
  resource: RunbookResource,
  runbook: AnyAutomatedRunbook,
  decided: DecidedStep,
  decidedNow: boolean,
  journal: Journal,
  deps: ResponderDeps,
  log: Logger,
): Promise<boolean> {
  const ctx = deps.contexts(resource).runbook;
  let planned = stepOf(journal.steps, 'planned');
  const resumed = planned !== undefined;
  if (!planned) {
    // Read again unless the decision's reading is the one just made (a retry re-reads: time has passed).
    const before = decidedNow && decided.state !== undefined ? decided.state : await runbook.readState(resource, ctx);
    const plan = runbook.plan(resource, before, ctx.settings);
    planned = await journal.write({ step: 'planned', plan, before });
    if (!planned) return false;
  }
  let applied = stepOf(journal.steps, 'applied');
  if (!applied) {
    let outcome: StepInput<'applied'>;
    try {
      const out = await runbook.apply(resource, ctx);
      // A retry that finds nothing to change after a recorded plan with changes finds the earlier attempt's change.
      const inPlace = resumed && !out.changed && planned.plan.changes.length > 0;
      outcome = { step: 'applied', ok: true, changed: out.changed || inPlace, ...(inPlace ? { resumed: true } : {}) };
    } catch (err) {
      const error = describeSafely(err);
      log.error({ runbook: runbook.id, err: error }, 'runbook failed');
      const stateAfterFailure = await runbook.readState(resource, ctx).catch(() => undefined);
      outcome = { step: 'applied', ok: false, changed: false, error, stateAfterFailure };
    }
    // Outside the try: a failure to record the change is not a failure of the change (it fails the invocation,
    // and the retry finds the change in place).
    applied = await journal.write(outcome);
    if (!applied) return false;
  }
  if (applied.ok && applied.changed && !stepOf(journal.steps, 'verified')) {
    let check: StepInput<'verified'>;
    try {
      const after = await runbook.readState(resource, ctx);
      const remaining = runbook.plan(resource, after, ctx.settings).changes.map((c) => c.description);
      check = { step: 'verified', ok: remaining.length === 0, after, ...(remaining.length ? { remaining } : {}) };
    } catch (err) {
      const error = describeSafely(err);
      log.error({ runbook: runbook.id, err: error }, 'changed, not verified: the read-back failed');
      check = { step: 'verified', ok: false, error: `read-back failed: ${error}` };
    }
    if (!(await journal.write(check))) return false;
  }
  return true;
}
