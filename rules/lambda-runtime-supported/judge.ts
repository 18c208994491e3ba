/**
 * Judges one Lambda function's runtime against the runtime table at a given time (pure: the time is an
 * argument, the clock of the run, never read here).
 */
import type { ConfigurationItem } from '../runtime/configuration-item';
import { daysBetween, utcDay } from '../runtime/data-table';
import { compliant, nonCompliant, notApplicable } from '../runtime/evaluation';
import type { Evaluation, Finding, FindingCodeInfo } from '../runtime/types';
import { unreadable } from '../runtime/unreadable';
import { type RuntimeDates, runtimeDates, runtimeTable } from './table';

/** The resource type this rule judges. */
export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';

/**
 * The finding codes of this rule, with the description and severity the README and `meta.findingCodes` carry.
 * A missing or wrong-typed field is the runtime's `unreadable-configuration` (thrown, see rules/runtime/unreadable.ts).
 */
export const FINDING_CODES = {
  'runtime-deprecated': {
    description: 'The runtime is past its deprecation date: AWS no longer patches it.',
    severity: 'high',
  },
  'runtime-deprecating': {
    description: 'The runtime reaches its deprecation date within warnDays.',
    severity: 'low',
  },
  'runtime-unknown': {
    description: "The runtime is not in ward's runtime table, so it cannot be shown to be supported.",
    severity: 'medium',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

function finding(code: FindingCode, message: string, path: string): Finding {
  return { code, message, path, severity: FINDING_CODES[code].severity };
}

/** The runtime family of an identifier (`nodejs22.x` -> `nodejs`, `provided.al2` -> `provided`). */
export function runtimeFamily(id: string): string {
  return /^[a-z]+/.exec(id)?.[0] ?? id;
}

/** The supported runtime of the same family with the latest deprecation date at `today`, if any. */
export function newestOfFamily(id: string, today: string): RuntimeDates | undefined {
  const family = runtimeFamily(id);
  let best: RuntimeDates | undefined;
  for (const r of runtimeTable()) {
    if (runtimeFamily(r.id) !== family || r.deprecation <= today) continue;
    if (!best || r.deprecation > best.deprecation) best = r;
  }
  return best;
}

function upgradeHint(id: string, today: string): string {
  const newest = newestOfFamily(id, today);
  return newest && newest.id !== id
    ? `upgrade to ${newest.id} (supported until ${newest.deprecation})`
    : 'move to a supported runtime';
}

/** What the block dates mean at `today`, as a clause. */
function blockClause(r: RuntimeDates, today: string): string {
  const parts: string[] = [];
  if (r.blockUpdate !== null && today >= r.blockUpdate) {
    parts.push(`functions on it can no longer be updated since ${r.blockUpdate}`);
  } else if (r.blockCreate !== null && today >= r.blockCreate) {
    parts.push(
      `new functions can no longer be created with it since ${r.blockCreate}` +
        (r.blockUpdate !== null ? `, and updates stop on ${r.blockUpdate}` : ''),
    );
  } else if (r.blockCreate !== null) {
    parts.push(`creating functions with it stops on ${r.blockCreate}`);
  }
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/**
 * Judges the function of `item` at `now`: NOT_APPLICABLE for container-image functions (the runtime is in the
 * image), NON_COMPLIANT `runtime-deprecated` on and after the deprecation day, `runtime-deprecating` within
 * `warnDays` days before it, `runtime-unknown` for a runtime the table lacks, `unreadable-configuration` (thrown) for
 * a missing or wrong-typed field; COMPLIANT otherwise.
 */
export function judgeFunctionRuntime(item: ConfigurationItem, now: Date, warnDays: number): Evaluation {
  const ref = { resourceType: item.resourceType, resourceId: item.resourceId };
  const config = item.configuration ?? {};
  const packageType = config.packageType;
  if (packageType !== undefined && packageType !== null && typeof packageType !== 'string') {
    // ward cannot tell a .zip function from an image.
    unreadable('configuration.packageType', 'a string (Zip or Image)', packageType);
  }
  if (packageType === 'Image') {
    return notApplicable(
      ref,
      'Container-image function: its runtime is part of the image, which Lambda does not patch; rebuild the image on a supported base.',
    );
  }
  const runtime = config.runtime;
  // A .zip function always has a runtime: without one ward cannot show it is supported.
  if (typeof runtime !== 'string' || runtime === '') unreadable('configuration.runtime', 'a runtime identifier', runtime);
  const today = utcDay(now);
  const dates = runtimeDates(runtime);
  if (!dates) {
    return nonCompliant(ref, [
      finding(
        'runtime-unknown',
        `Runtime ${runtime} is not in ward's runtime table: it may be newer than the table or retired long ago; check it against the Lambda runtimes page.`,
        'configuration.runtime',
      ),
    ]);
  }
  const left = daysBetween(today, dates.deprecation);
  if (left <= 0) {
    return nonCompliant(ref, [
      finding(
        'runtime-deprecated',
        `Runtime ${runtime} (${dates.name}) was deprecated on ${dates.deprecation}: AWS no longer patches it${blockClause(dates, today)}; ${upgradeHint(runtime, today)}.`,
        'configuration.runtime',
      ),
    ]);
  }
  if (left <= warnDays) {
    return nonCompliant(ref, [
      finding(
        'runtime-deprecating',
        `Runtime ${runtime} (${dates.name}) is deprecated on ${dates.deprecation}, in ${left} ${left === 1 ? 'day' : 'days'}${blockClause(dates, today)}; ${upgradeHint(runtime, today)}.`,
        'configuration.runtime',
      ),
    ]);
  }
  return compliant(ref, `Runtime ${runtime} is supported until ${dates.deprecation}.`);
}
