import type { RunbookEntry } from '../runbooks/types';
import type { ResponseModeType } from './settings';

/** The opt-out tag: a resource tagged `ward:remediation=off` is never changed by the responder. */
export const OPT_OUT_TAG = { key: 'ward:remediation', value: 'off' } as const;

/** What the responder does with one event. */
export const Action = {
  /** Not a transition anyone acts on (NOT_APPLICABLE, first COMPLIANT). */
  IGNORE: 'ignore',
  /** Back to COMPLIANT after being non-compliant: a resolved notice. */
  RESOLVED: 'resolved',
  /** Alert only. */
  NOTIFY: 'notify',
  /** Read the resource, re-run the rule, alert with the plan; change nothing. */
  DRY_RUN: 'dry-run',
  /** Apply the runbook. */
  REMEDIATE: 'remediate',
  /** The re-check found nothing to change (already compliant, or the plan is empty). */
  NO_CHANGE: 'no-change',
  /** An active suppression entry covers the finding: neither alerted nor remediated until it expires. */
  SUPPRESSED: 'suppressed',
} as const;

/** One of {@link Action}. */
export type ActionType = (typeof Action)[keyof typeof Action];

/** What the re-read of the resource found (second stage of {@link decide}). */
export interface RecheckFacts {
  readonly tags: Readonly<Record<string, string>>;
  /** The rule re-run on the live state: compliance and finding codes; `unknown` when it could not be re-run. */
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'unknown';
  readonly findingCodes: readonly string[];
  readonly planChanges: number;
  readonly planBlocked?: string;
}

/** Everything {@link decide} looks at; all of it already read. */
export interface DecisionInput {
  readonly newCompliance: string;
  readonly oldCompliance?: string;
  readonly mode: ResponseModeType;
  readonly runbook?: RunbookEntry;
  readonly killSwitch: boolean;
  readonly rateCapReached: boolean;
  readonly flapping: boolean;
  /** Set when the resource is in another account than the responder's: it never acts across accounts. */
  readonly foreignAccount?: string;
  /** Absent in the first stage; present after the resource was re-read. */
  readonly recheck?: RecheckFacts;
}

/** The decision: the action, the mode asked for, and why the action differs from it when it does. */
export interface Decision {
  readonly action: ActionType;
  readonly requestedMode: ResponseModeType;
  readonly runbookId?: string;
  /** True when the caller must re-read the resource and decide again with `recheck`. */
  readonly needsRecheck: boolean;
  readonly reasons: readonly string[];
}

/**
 * Decides what to do with a compliance change. Pure: the same input gives the same decision. Called twice for
 * dry-run and auto: first without `recheck` (it then asks for one), then with what the re-read found.
 * Fail safe: every doubt falls back to notify; nothing is changed unless every check passed.
 */
export function decide(input: DecisionInput): Decision {
  const base = { requestedMode: input.mode, runbookId: input.runbook?.id };
  const notify = (...reasons: string[]): Decision => ({ ...base, action: Action.NOTIFY, needsRecheck: false, reasons });

  if (input.newCompliance === 'COMPLIANT') {
    return input.oldCompliance === 'NON_COMPLIANT'
      ? { ...base, action: Action.RESOLVED, needsRecheck: false, reasons: ['The resource is compliant again.'] }
      : {
          ...base,
          action: Action.IGNORE,
          needsRecheck: false,
          reasons: ['Compliant, and it was not non-compliant before.'],
        };
  }
  if (input.newCompliance !== 'NON_COMPLIANT')
    return {
      ...base,
      action: Action.IGNORE,
      needsRecheck: false,
      reasons: [`${input.newCompliance} needs no action.`],
    };

  if (input.mode === 'notify') return notify('The rule is in notify mode.');
  const rb = input.runbook;
  if (!rb) return notify('No runbook remediates this rule and resource type.');
  if (!rb.automated) return notify(`Runbook ${rb.id} is a manual playbook.`);
  if (input.foreignAccount)
    return notify(`The resource is in account ${input.foreignAccount}; the responder acts only in its own account.`);
  if (input.killSwitch) return notify('The kill switch is on: the responder changes nothing.');
  if (input.flapping) return notify('The resource is flapping: automatic changes pause until it settles.');

  let target: 'dry-run' | 'auto' = input.mode;
  const reasons: string[] = [];
  if (target === 'auto' && !rb.safeForAuto) {
    target = 'dry-run';
    reasons.push(`Runbook ${rb.id} is not safe for auto: showing the plan instead.`);
  }
  if (target === 'auto' && input.rateCapReached) {
    return notify('The cap on automatic changes per account per hour is reached.');
  }

  const r = input.recheck;
  if (!r)
    return { ...base, action: target === 'auto' ? Action.REMEDIATE : Action.DRY_RUN, needsRecheck: true, reasons };

  if (r.tags[OPT_OUT_TAG.key] === OPT_OUT_TAG.value)
    return notify(`The resource is tagged ${OPT_OUT_TAG.key}=${OPT_OUT_TAG.value}.`);
  if (r.compliance === 'COMPLIANT' || r.compliance === 'NOT_APPLICABLE')
    return {
      ...base,
      action: Action.NO_CHANGE,
      needsRecheck: false,
      reasons: [...reasons, `Re-running the rule on the live resource gives ${r.compliance}.`],
    };
  if (r.compliance === 'NON_COMPLIANT' && !r.findingCodes.some((c) => rb.findingCodes.includes(c)))
    return notify(`Runbook ${rb.id} does not fix the findings (${r.findingCodes.join(', ')}).`);
  if (r.planBlocked) return notify(r.planBlocked);
  if (r.planChanges === 0)
    return {
      ...base,
      action: Action.NO_CHANGE,
      needsRecheck: false,
      reasons: [...reasons, 'The plan has nothing to change.'],
    };
  return { ...base, action: target === 'auto' ? Action.REMEDIATE : Action.DRY_RUN, needsRecheck: false, reasons };
}
