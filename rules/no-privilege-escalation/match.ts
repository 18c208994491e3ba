/**
 * Matches the escalation methods on a principal's effective permissions (pure): each action of a method must be
 * effectively allowed, on a resource its scope accepts (methods.ts, ACTION_SCOPE).
 */
import { type Grant, type PrincipalPolicies, allowScreen, effectiveGrants, resourceCovers } from '../policy/effective';
import { hasWildcard } from '../policy/actions';
import { ESCALATION_METHODS, type EscalationMethod, scopeOf } from './methods';

/** Who the principal is, and what is known about the roles it may pass. */
export interface PrincipalContext {
  /** ARNs that are the principal itself: its own ARN and, for a user, its groups' ARNs. */
  readonly self: readonly string[];
  /** Role ARNs known to be privileged, with why (for the message). Keys as written in the role's item. */
  readonly privilegedRoles: Readonly<Record<string, string>>;
}

/** A method the principal can use, with the grant that enables each action. */
export interface MethodMatch {
  readonly method: EscalationMethod;
  readonly grants: readonly Grant[];
  /** For PassRole methods through a named role: the role and why it is privileged. */
  readonly passedRole?: { readonly arn: string; readonly why: string };
}

const USERNAME = /\$\{aws:username\}/i;

/**
 * True when a resource pattern stands for every resource, or every resource of one type in an account
 * (`arn:aws:iam::111122223333:role/*`, `arn:aws:lambda:*:*:function:*`). A name or path prefix
 * (`role/service-role/*`) is a constraint.
 */
export function isUnrestricted(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  if (parts.length < 6 || parts[0].toLowerCase() !== 'arn') return /^\*+$/.test(resource.trim());
  const rest = parts.slice(5).join(':');
  return /^\*+$/.test(rest) || /^[A-Za-z0-9_.-]+[/:]\*+$/.test(rest);
}

function privilegedMatch(resource: string, ctx: PrincipalContext): { arn: string; why: string } | undefined {
  for (const [arn, why] of Object.entries(ctx.privilegedRoles)) {
    if (resourceCovers(resource, arn)) return { arn, why };
  }
  return undefined;
}

/** The grant that makes an action usable for escalation, if any (unrestricted grants first). */
function enabling(
  grants: readonly Grant[],
  action: string,
  ctx: PrincipalContext,
): { grant: Grant; passedRole?: { arn: string; why: string } } | undefined {
  const scope = scopeOf(action);
  const unrestricted = grants.find((g) => isUnrestricted(g.resource));
  if (unrestricted) return { grant: unrestricted };
  switch (scope) {
    case 'any':
      return grants[0] ? { grant: grants[0] } : undefined;
    case 'self-grant': {
      const self = grants.find((g) => USERNAME.test(g.resource) || ctx.self.some((a) => resourceCovers(g.resource, a)));
      return self ? { grant: self } : undefined;
    }
    case 'passrole':
      for (const g of grants) {
        const role = privilegedMatch(g.resource, ctx);
        if (role) return { grant: g, passedRole: role };
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Every known method the principal can use, in the table's order. */
export function matchMethods(policies: PrincipalPolicies, ctx: PrincipalContext): MethodMatch[] {
  const cache = new Map<string, ReturnType<typeof enabling> | null>();
  // Most actions of the table are of services no statement names: they are enabled by no grant.
  const may = allowScreen(policies);
  const enabled = (action: string) => {
    const key = action.toLowerCase();
    if (!cache.has(key)) {
      cache.set(key, may(action) ? (enabling(effectiveGrants(policies, action), action, ctx) ?? null) : null);
    }
    return cache.get(key) ?? undefined;
  };
  const out: MethodMatch[] = [];
  for (const method of ESCALATION_METHODS) {
    const hits = method.actions.map(enabled);
    if (hits.some((h) => h === undefined)) continue;
    const found = hits as NonNullable<ReturnType<typeof enabling>>[];
    const passedRole = found.find((h) => h.passedRole)?.passedRole;
    out.push({ method, grants: found.map((h) => h.grant), ...(passedRole ? { passedRole } : {}) });
  }
  return out;
}

/**
 * The named roles (no wildcard) the principal may pass: `gather` looks each up to learn whether it is
 * privileged. Unrestricted PassRole needs no lookup: it escalates whatever the roles are.
 */
export function passRoleTargets(policies: PrincipalPolicies): string[] {
  const grants = effectiveGrants(policies, 'iam:PassRole');
  return [...new Set(grants.map((g) => g.resource).filter((r) => r.startsWith('arn:') && !hasWildcard(r)))];
}
