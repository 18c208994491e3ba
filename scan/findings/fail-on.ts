import type { SeverityLevel } from '../../rules/runtime/types';
import { activeSeverity, type ScanEvaluation } from './scan-evaluation';
import { atLeast } from './severity';

/** NON_COMPLIANT evaluations per severity. */
export type SeverityCounts = Record<SeverityLevel, number>;

/** Zero of every severity, most severe first. */
export function zeroSeverities(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, informational: 0 };
}

/**
 * The severity an evaluation adds to the `--fail-on` count, or undefined when it adds nothing: only an
 * unsuppressed NON_COMPLIANT finding counts, and with a baseline only an evaluation that is new.
 */
export function failOnSeverity(se: ScanEvaluation, baselineGiven: boolean): SeverityLevel | undefined {
  if (baselineGiven && se.baseline !== 'new') return undefined;
  return activeSeverity(se);
}

/**
 * True when `--fail-on threshold` makes the scan exit 1: some counted evaluation is at or above the
 * threshold. `undefined` is `--fail-on none`: never.
 */
export function failsOn(threshold: SeverityLevel | undefined, counted: Readonly<SeverityCounts>): boolean {
  if (threshold === undefined) return false;
  return (Object.keys(counted) as SeverityLevel[]).some((s) => counted[s] > 0 && atLeast(s, threshold));
}
