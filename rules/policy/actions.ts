/**
 * IAM action and resource patterns: case-insensitive action matching with `*` and `?` wildcards, and the tests
 * the wildcard rules need ("is this every action", "is this every resource", "is this `service:*`").
 */

/** IAM's partitions, as they appear in ARNs. */
const PARTITION = /^aws(-[a-z]+)*$/;

const patternCache = new Map<string, RegExp>();

/**
 * The regular expression IAM applies for an action pattern: `*` is any run of characters (colons included),
 * `?` is one character, everything else is literal, and the match ignores case.
 */
export function actionPatternRegExp(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'i');
    // Policies repeat the same few patterns; a bounded cache keeps a long scan from growing without limit.
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re;
}

const STAR = 42;
const QUESTION = 63;

/**
 * True when an action pattern (`s3:Get*`, `*`, `S3:?etObject`) matches an action (`s3:GetObject`). The same
 * answer as {@link actionPatternRegExp}, faster: the literal head of the pattern is compared here (ASCII letters
 * folded as the regular expression's `i` flag folds them), and only a pattern with a wildcard whose head matches,
 * or a character outside ASCII, goes to the regular expression. Most tests are a policy's actions against one
 * action of a rule's list, and differ in their first characters.
 */
export function actionMatches(pattern: string, action: string): boolean {
  const n = pattern.length;
  for (let i = 0; i < n; i++) {
    const p = pattern.charCodeAt(i);
    if (p === STAR || p === QUESTION) return actionPatternRegExp(pattern).test(action);
    if (i >= action.length) return false;
    const a = action.charCodeAt(i);
    if (p === a) continue;
    if (p > 127 || a > 127) return actionPatternRegExp(pattern).test(action);
    const lower = p | 0x20;
    if (lower !== (a | 0x20) || lower < 97 || lower > 122) return false;
  }
  return n === action.length;
}

/** True when a pattern contains a wildcard (`*` or `?`). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** True when an action pattern matches every action: `*`, `*:*` (and degenerate forms such as `**`). */
export function isEveryAction(pattern: string): boolean {
  return /^\*+(:\*+)?$/.test(pattern.trim());
}

/** The service prefix of an action or pattern, lower-cased (`S3:Get*` -> `s3`), or undefined without a colon. */
export function servicePrefix(pattern: string): string | undefined {
  const i = pattern.indexOf(':');
  return i <= 0 ? undefined : pattern.slice(0, i).toLowerCase();
}

/**
 * The service when a pattern is `service:*` (every action of one service; case-insensitive, the service has no
 * wildcard), otherwise undefined.
 */
export function serviceWildcardOf(pattern: string): string | undefined {
  const m = /^([a-z0-9-]+):\*+$/i.exec(pattern.trim());
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * True when a resource pattern covers every resource: `*`, or an ARN pattern whose parts after the partition
 * are only wildcards (`arn:aws:*:*:*:*`, `arn:*:*:*:*:*`, `arn:*`). An empty part (`arn:aws:*::*:*`) only matches
 * ARNs with that part empty, so it is not every resource.
 */
export function isEveryResource(resource: string): boolean {
  const r = resource.trim();
  if (/^\*+$/.test(r)) return true;
  const parts = r.split(':');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'arn') return false;
  const [partition, ...rest] = parts.slice(1);
  if (rest.length === 0) return /^\*+$/.test(partition);
  if (!/^\*+$/.test(partition) && !PARTITION.test(partition)) return false;
  return rest.every((p) => /^\*+$/.test(p));
}

/** True when any of the resources covers every resource. */
export function coversEveryResource(resources: readonly string[] | undefined): boolean {
  return resources !== undefined && resources.some(isEveryResource);
}
