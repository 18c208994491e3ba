/**
 * The pure core of suppressions, shared by `ward scan` and the responder: when an entry has expired, and whether
 * it matches a finding. No I/O and no dependencies, so the responder Lambda bundles it cheaply.
 */

/** One suppression entry (validated when the file is loaded: scan/findings/suppression.ts). */
export interface SuppressionEntry {
  readonly rule: string;
  readonly code?: string;
  /** Resource id, ARN or name, or a glob of one (`*` any characters, `?` one). */
  readonly resource: string;
  readonly account?: string;
  readonly region?: string;
  readonly reason: string;
  /** ISO date (the entry suppresses through that day, UTC) or instant. */
  readonly expires?: string;
  readonly owner?: string;
}

/** What a finding is matched on. */
export interface SuppressionTarget {
  readonly rule: string;
  readonly code: string;
  readonly accountId: string;
  readonly region: string;
  /** The resource id, ARN and name (those known). */
  readonly names: readonly string[];
}

/** The instant an entry stops suppressing: the end of its `expires` day (UTC) for a date, else the instant. */
export function expiryInstant(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T00:00:00Z`) + 86_400_000 : Date.parse(expires);
}

/** True when the entry no longer suppresses at `now`. */
export function isExpired(entry: SuppressionEntry, now: Date): boolean {
  return entry.expires !== undefined && expiryInstant(entry.expires) <= now.getTime();
}

const GLOBS = new Map<string, RegExp>();

/** A glob (`*` any run of characters, `?` one) as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = GLOBS.get(glob);
  if (re === undefined) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    if (GLOBS.size < 10_000) GLOBS.set(glob, re);
  }
  return re;
}

/** True when the entry matches the finding (expiry aside): rule, code, account and region when given, resource. */
export function entryMatches(entry: SuppressionEntry, t: SuppressionTarget): boolean {
  if (entry.rule !== t.rule || (entry.code !== undefined && entry.code !== t.code)) return false;
  if (entry.account !== undefined && entry.account !== t.accountId) return false;
  if (entry.region !== undefined && entry.region !== t.region) return false;
  const pattern = globToRegExp(entry.resource);
  return t.names.some((n) => pattern.test(n));
}

/** How an entry is named in warnings and audit records. */
export function describeSuppression(s: SuppressionEntry): string {
  return `${s.rule}${s.code ? `/${s.code}` : ''} ${s.resource}${s.account ? ` in ${s.account}` : ''}${s.region ? ` ${s.region}` : ''}`;
}
