import {
  describeSuppression,
  entryMatches,
  isExpired,
  type SuppressionEntry,
} from '../scan/findings/suppression-match';

/** The environment variable that carries the suppressions to the responder Lambda (JSON array of entries). */
export const SUPPRESSIONS_ENV = 'WARD_SUPPRESSIONS';

/** A malformed WARD_SUPPRESSIONS: the responder must not guess (it would alert on everything or on nothing). */
export class ResponderSuppressionsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResponderSuppressionsError';
  }
}

/**
 * Reads the suppressions `ward deploy` put in the environment (validated at deploy time, from the file named by
 * `ward.config.json`). Absent or empty means none.
 * @throws ResponderSuppressionsError when the value is not a JSON array of entries with rule, resource and reason.
 */
export function readResponderSuppressions(value: string | undefined): SuppressionEntry[] {
  if (value === undefined || value.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new ResponderSuppressionsError(`${SUPPRESSIONS_ENV} is not JSON`, { cause: err });
  }
  const ok = (e: unknown): e is SuppressionEntry =>
    typeof e === 'object' &&
    e !== null &&
    typeof (e as SuppressionEntry).rule === 'string' &&
    typeof (e as SuppressionEntry).resource === 'string' &&
    typeof (e as SuppressionEntry).reason === 'string' &&
    (e as SuppressionEntry).reason.trim() !== '';
  if (!Array.isArray(parsed) || !parsed.every(ok)) {
    throw new ResponderSuppressionsError(`${SUPPRESSIONS_ENV} must be a JSON array of {rule, resource, reason, ...}`);
  }
  return parsed;
}

/** A compliance change the responder is about to act on. */
export interface ResponderFinding {
  readonly ruleId: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  readonly arn?: string;
  readonly resourceName?: string;
  /** The finding codes of the NON_COMPLIANT evaluation (empty when unknown). */
  readonly codes: readonly string[];
}

/** Why the responder leaves a change alone: the entry, and the line its audit record carries. */
export interface ResponderSuppression {
  readonly entry: SuppressionEntry;
  readonly auditNote: string;
}

/**
 * The suppression that covers a NON_COMPLIANT change, or undefined. It covers it only when every finding code of
 * the evaluation is suppressed by an active entry (a finding the entries do not name still alerts), and never
 * when the codes are unknown and the entry names a code (fail closed). Expired entries cover nothing.
 */
export function responderSuppression(
  entries: readonly SuppressionEntry[],
  finding: ResponderFinding,
  now: Date,
): ResponderSuppression | undefined {
  const active = entries.filter((e) => !isExpired(e, now));
  const names = [finding.resourceId, finding.arn, finding.resourceName].filter((v): v is string => Boolean(v));
  const target = (code: string) => ({
    rule: finding.ruleId,
    code,
    accountId: finding.accountId,
    region: finding.region,
    names,
  });
  let first: SuppressionEntry | undefined;
  if (finding.codes.length === 0) {
    // Unknown codes: only an entry for every code of the rule (no `code`) may cover the change.
    first = active.find((e) => e.code === undefined && entryMatches(e, target('')));
  } else {
    for (const code of finding.codes) {
      const hit = active.find((e) => entryMatches(e, target(code)));
      if (!hit) return undefined;
      first ??= hit;
    }
  }
  if (!first) return undefined;
  const until = first.expires ? ` until ${first.expires}` : '';
  const owner = first.owner ? ` (owner ${first.owner})` : '';
  return {
    entry: first,
    auditNote: `Suppressed${until}${owner}: ${first.reason} [${describeSuppression(first)}]; not alerted, not remediated.`,
  };
}
