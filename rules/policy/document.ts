/**
 * IAM policy documents as they appear in configuration items: decoding of every encoding Config uses, and
 * normalisation of statements into one shape. Shared by every rule that reads policies.
 */

/** Principals of a statement, normalised. `wildcard` is true for `"*"` and `{"AWS": "*"}`. */
export interface PrincipalSet {
  /** `Principal: "*"` (string form). */
  readonly anyone: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

/** Condition block: operator -> key -> values (single values normalised to arrays, all as strings). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** One statement, normalised: single values become arrays, absent elements are undefined. */
export interface PolicyStatement {
  /** Position in the document's Statement list (0-based). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principals?: PrincipalSet;
  readonly notPrincipals?: PrincipalSet;
  readonly conditions: ConditionBlock;
  /** True when the statement has at least one condition. */
  readonly conditional: boolean;
}

/** A decoded, normalised policy document. */
export interface PolicyDocument {
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

/** The result of decoding: a document, or the reason it is malformed (never an exception). */
export type DecodeResult =
  { readonly ok: true; readonly document: PolicyDocument } | { readonly ok: false; readonly error: string };

/** Finding code for a document that cannot be decoded. */
export const MALFORMED_POLICY = 'malformed-policy';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Turns any of Config's encodings into a JSON value: an object as is; a JSON string; a JSON string inside a
 * JSON string; a URL-encoded (RFC 3986) JSON string. Returns undefined for empty input (null, '', '{}' is kept).
 * @throws Error with a short reason when the text is not JSON in any of those encodings.
 */
export function decodePolicyValue(raw: unknown): unknown {
  let v: unknown = raw;
  for (let depth = 0; depth < 4 && typeof v === 'string'; depth++) {
    const s = v.trim();
    if (s === '' || s === 'null') return undefined;
    if (s.startsWith('{') || s.startsWith('[') || s.startsWith('"')) {
      try {
        v = JSON.parse(s);
        continue;
      } catch {
        throw new Error('document is not valid JSON');
      }
    }
    if (s.startsWith('%')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        throw new Error('document has invalid URL encoding');
      }
      v = decoded;
      continue;
    }
    throw new Error('document is neither JSON nor URL-encoded JSON');
  }
  if (typeof v === 'string') throw new Error('document is encoded too many times');
  return v ?? undefined;
}

function strings(v: unknown, what: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new Error(`${what} must be a string or a list of strings`);
}

function principalSet(v: unknown, what: string): PrincipalSet | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return { anyone: true, aws: [], service: [], federated: [], canonicalUser: [] };
  if (!isRecord(v)) throw new Error(`${what} must be "*" or an object`);
  const known = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
  for (const k of Object.keys(v)) if (!known.has(k)) throw new Error(`${what} has unknown principal type ${k}`);
  return {
    anyone: false,
    aws: strings(v.AWS, `${what}.AWS`) ?? [],
    service: strings(v.Service, `${what}.Service`) ?? [],
    federated: strings(v.Federated, `${what}.Federated`) ?? [],
    canonicalUser: strings(v.CanonicalUser, `${what}.CanonicalUser`) ?? [],
  };
}

function conditionBlock(v: unknown, what: string): ConditionBlock {
  if (v === undefined) return {};
  if (!isRecord(v)) throw new Error(`${what} must be an object`);
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, keys] of Object.entries(v)) {
    if (!isRecord(keys)) throw new Error(`${what}.${op} must be an object`);
    const inner: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(keys)) {
      const list = Array.isArray(values) ? values : [values];
      inner[key] = list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    }
    out[op] = inner;
  }
  return out;
}

function statement(raw: unknown, index: number): PolicyStatement {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) throw new Error(`${where} is not an object`);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') throw new Error(`${where}.Effect must be Allow or Deny`);
  const conditions = conditionBlock(raw.Condition, `${where}.Condition`);
  return {
    index,
    sid: typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : undefined,
    effect,
    actions: strings(raw.Action, `${where}.Action`),
    notActions: strings(raw.NotAction, `${where}.NotAction`),
    resources: strings(raw.Resource, `${where}.Resource`),
    notResources: strings(raw.NotResource, `${where}.NotResource`),
    principals: principalSet(raw.Principal, `${where}.Principal`),
    notPrincipals: principalSet(raw.NotPrincipal, `${where}.NotPrincipal`),
    conditions,
    conditional: Object.values(conditions).some((keys) => Object.keys(keys).length > 0),
  };
}

/** Options of {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /**
   * The document must be there (an IAM policy version, an inline policy, a role's trust policy, a key policy):
   * absent, null, `""` or `"null"` is then malformed, never an empty document that grants nothing.
   */
  readonly required?: boolean;
}

/**
 * Decodes and normalises a policy document in any encoding found in configuration items. Never throws:
 * a malformed document yields `{ ok: false, error }` for the caller to report as `malformed-policy`.
 * An absent document (null, empty string, `{}` without statements) is an empty document, unless `required`.
 */
export function parsePolicy(raw: unknown, options: ParsePolicyOptions = {}): DecodeResult {
  // Several rules read the same document of one item (and policies repeat across items): the decoded result of a
  // long string is kept, a few at once. Results are read-only, so sharing them is safe.
  if (typeof raw !== 'string' || raw.length < CACHED_FROM) return decode(raw, options);
  let hit = decoded.get(raw);
  if (hit === undefined) {
    hit = decode(raw, options);
    // Only results that do not depend on `required` are kept (a document with statements, or malformed).
    if (hit.ok ? hit.document.statements.length === 0 : ABSENT.has(hit.error)) return hit;
    if (raw.length > CACHE_CHARS / 16) return hit;
    cachedChars += raw.length;
    while (decoded.size >= CACHE_SIZE || cachedChars > CACHE_CHARS) {
      const oldest = decoded.keys().next().value as string;
      decoded.delete(oldest);
      cachedChars -= oldest.length;
    }
  } else decoded.delete(raw);
  decoded.set(raw, hit);
  return hit;
}

/** Documents shorter than this are decoded again: a lookup would cost about as much. */
const CACHED_FROM = 64;
/**
 * Decoded documents kept (least recently used dropped first): the rules of one item, and the documents that repeat
 * across a scan (a customer-managed policy attached to many principals, the same trust policy on many roles).
 * 1,024 took 2.5% off the CPU of a 100k-item scan against 128 (4,096: no better, more memory).
 */
const CACHE_SIZE = 1024;
/**
 * And at most this many characters of document text (about 2.3 times as much again in decoded objects): a warm
 * Lambda keeps the cache between invocations, and key or bucket policies may be tens of kilobytes each.
 */
const CACHE_CHARS = 2_000_000;
const decoded = new Map<string, DecodeResult>();
let cachedChars = 0;
/** The errors of a document that is not there, which `required` decides. */
const ABSENT: ReadonlySet<string> = new Set(['document is missing', 'document is empty', 'document has no Statement']);

function decode(raw: unknown, options: ParsePolicyOptions): DecodeResult {
  try {
    const value = decodePolicyValue(raw);
    if (value === undefined) {
      if (options.required) return { ok: false, error: `document is ${raw === undefined ? 'missing' : 'empty'}` };
      return { ok: true, document: { statements: [] } };
    }
    if (!isRecord(value)) return { ok: false, error: 'document is not a JSON object' };
    const rawStatements = value.Statement;
    if (rawStatements === undefined) {
      if (Object.keys(value).length === 0 && !options.required) return { ok: true, document: { statements: [] } };
      return { ok: false, error: 'document has no Statement' };
    }
    const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
    return {
      ok: true,
      document: {
        version: typeof value.Version === 'string' ? value.Version : undefined,
        id: typeof value.Id === 'string' ? value.Id : undefined,
        statements: list.map((s, i) => statement(s, i)),
      },
    };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** A short label for a statement in messages: its Sid, or its index. */
export function statementLabel(s: PolicyStatement): string {
  return s.sid ? `statement "${s.sid}"` : `statement #${s.index}`;
}
