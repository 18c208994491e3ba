/**
 * Whether a REST API's resource policy limits who can call it, with the shared policy engine (rules/policy):
 * an API whose policy only allows `Principal: *` under a network condition (`aws:SourceVpce`, `aws:SourceVpc`,
 * `aws:SourceIp`) or a caller condition, or denies `*` outside a network, is not open to the internet; an
 * allow-all policy limits nothing.
 */
import { actionMatches } from '../policy/actions';
import { analyzeConditions, parseOperator } from '../policy/conditions';
import { type PolicyStatement, parsePolicy } from '../policy/document';
import { PrincipalKind, listPrincipals } from '../policy/principals';

/** What a resource policy says about callers. */
export type PolicyLimit =
  | { readonly kind: 'none' }
  | { readonly kind: 'limits'; readonly by: string }
  | { readonly kind: 'open' }
  | { readonly kind: 'malformed'; readonly error: string };

const INVOKE = 'execute-api:Invoke';
const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip']);
const NEGATIVE_NETWORK_OPERATORS = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NotIpAddress',
]);

const coversInvoke = (s: PolicyStatement) => s.actions !== undefined && s.actions.some((a) => actionMatches(a, INVOKE));
const toAnyone = (s: PolicyStatement) => listPrincipals(s.principals).some((p) => p.kind === PrincipalKind.ANYONE);

/** A `Deny` to anyone unless the request comes from a named network: the private-API pattern. */
function networkDeny(s: PolicyStatement): string | undefined {
  if (s.effect !== 'Deny' || !toAnyone(s) || !coversInvoke(s)) return undefined;
  for (const [operator, keys] of Object.entries(s.conditions)) {
    const op = parseOperator(operator);
    if (op.ifExists || !NEGATIVE_NETWORK_OPERATORS.has(op.base)) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (
        NETWORK_KEYS.has(key.toLowerCase()) &&
        values.length > 0 &&
        !values.some((v) => v === '*' || v === '0.0.0.0/0')
      ) {
        return `a Deny outside ${key}`;
      }
    }
  }
  return undefined;
}

/**
 * REST API policies come back from GetRestApis with their quotes escaped (`{\"Version\":...}`), Config and
 * moto give plain JSON: both are read.
 */
function unescape(raw: string): string | undefined {
  if (!raw.includes('\\"')) return undefined;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}

/** Judges an API's resource policy (undefined, null or '' when it has none). */
export function policyLimit(raw: unknown): PolicyLimit {
  if (raw === undefined || raw === null || raw === '') return { kind: 'none' };
  let parsed = parsePolicy(raw);
  if (!parsed.ok && typeof raw === 'string') {
    const plain = unescape(raw);
    if (plain !== undefined) parsed = parsePolicy(plain);
  }
  if (!parsed.ok) return { kind: 'malformed', error: parsed.error };
  const statements = parsed.document.statements;
  for (const s of statements) {
    const by = networkDeny(s);
    if (by) return { kind: 'limits', by };
  }
  const allowsAnyone = statements.filter((s) => s.effect === 'Allow' && toAnyone(s) && coversInvoke(s));
  const open = allowsAnyone.filter((s) => !analyzeConditions(s.conditions).restricted);
  if (open.length > 0) return { kind: 'open' };
  if (allowsAnyone.length > 0) {
    const keys = [...new Set(allowsAnyone.flatMap((s) => analyzeConditions(s.conditions).by))];
    return { kind: 'limits', by: `an Allow to * only under ${keys.join(', ')}` };
  }
  // No statement allows anyone: unsigned callers are refused by the policy itself.
  return { kind: 'limits', by: 'no statement allows "*"' };
}
