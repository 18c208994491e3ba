import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  describeSuppression,
  entryMatches,
  expiryInstant,
  isExpired,
  type SuppressionEntry,
} from '../scan/findings/suppression-match';
import { describeSafely } from './errors';

/**
 * The environment variable naming the suppressions file packaged with the responder (`suppressions.json` beside
 * the bundle, relative to the Lambda task root). Unset: no suppressions were deployed.
 */
export const SUPPRESSIONS_FILE_ENV = 'WARD_SUPPRESSIONS_FILE';

/** The file name `ward deploy` packages the suppressions under, beside the responder's index.js. */
export const PACKAGED_SUPPRESSIONS_FILE = 'suppressions.json';

/** A malformed suppression set: the responder must not guess (it would alert on everything or on nothing). */
export class ResponderSuppressionsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResponderSuppressionsError';
  }
}

const optionalString = (v: unknown) => v === undefined || (typeof v === 'string' && v !== '');

/** True when `e` has the shape scan/findings/suppression.ts validated at deploy time (a corrupted file fails). */
function isEntry(e: unknown): e is SuppressionEntry {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const s = e as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (!text(s.rule) || !text(s.resource) || !text(s.reason)) return false;
  if (!optionalString(s.code) || !optionalString(s.region) || !optionalString(s.owner)) return false;
  if (s.account !== undefined && !(typeof s.account === 'string' && /^\d{12}$/.test(s.account))) return false;
  // An expiry that is not a date would never expire: refuse it rather than suppress for ever.
  if (s.expires !== undefined && !(typeof s.expires === 'string' && Number.isFinite(expiryInstant(s.expires))))
    return false;
  return true;
}

/**
 * Parses the packaged suppressions: the same `{"suppressions": [...]}` document as `ward.suppressions.json`,
 * already validated by `ward deploy`; checked again here so a damaged file is refused, never half-used.
 * @throws ResponderSuppressionsError when it is not JSON or an entry lacks rule, resource or reason, or has a
 * malformed account or expiry.
 */
export function parseResponderSuppressions(text: string): SuppressionEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ResponderSuppressionsError('not JSON', { cause: err });
  }
  const list = (parsed as { suppressions?: unknown } | null)?.suppressions;
  if (!Array.isArray(list)) throw new ResponderSuppressionsError('expected {"suppressions": [...]}');
  const bad = list.findIndex((e) => !isEntry(e));
  if (bad >= 0)
    throw new ResponderSuppressionsError(
      `suppressions.${bad} is not an entry {rule, resource, reason, code?, account?, region?, expires?, owner?}`,
    );
  return list as SuppressionEntry[];
}

/** The suppressions the responder applies, or why it could not read them (then it applies none: fail closed). */
export interface LoadedSuppressions {
  readonly entries: readonly SuppressionEntry[];
  /** Set when the deployed suppressions could not be read: every change is alerted as if unsuppressed. */
  readonly error?: string;
  /** The file read, for the audit record. */
  readonly file?: string;
}

/**
 * Reads the suppressions named by WARD_SUPPRESSIONS_FILE (relative to the Lambda task root, else the working
 * directory). Never throws: a missing or malformed file gives no entries and an error the responder reports.
 */
export function loadResponderSuppressions(env: NodeJS.ProcessEnv = process.env): LoadedSuppressions {
  const named = env[SUPPRESSIONS_FILE_ENV];
  if (named === undefined || named.trim() === '') return { entries: [] };
  const file = isAbsolute(named) ? named : join(env.LAMBDA_TASK_ROOT ?? process.cwd(), named);
  try {
    return { entries: parseResponderSuppressions(readFileSync(file, 'utf8')), file };
  } catch (err) {
    return { entries: [], file, error: `suppressions ${file} could not be read: ${describeSafely(err)}` };
  }
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

function namesOf(finding: ResponderFinding): string[] {
  return [finding.resourceId, finding.arn, finding.resourceName].filter((v): v is string => Boolean(v));
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
  const names = namesOf(finding);
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

/**
 * Active entries naming a finding code that match the rule and resource: in notify mode the responder does not
 * re-run the rule, so it cannot tell whether they cover the change (it alerts, and says why).
 */
export function codeEntriesNeedingCodes(
  entries: readonly SuppressionEntry[],
  finding: ResponderFinding,
  now: Date,
): SuppressionEntry[] {
  const names = namesOf(finding);
  return entries.filter(
    (e) =>
      e.code !== undefined &&
      !isExpired(e, now) &&
      entryMatches(e, {
        rule: finding.ruleId,
        code: e.code,
        accountId: finding.accountId,
        region: finding.region,
        names,
      }),
  );
}
