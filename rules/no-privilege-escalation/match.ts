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

/** The distinct actions of the table (compared without case, as IAM does), each as first written. */
const FIRST_WRITTEN = new Map<string, string>();
for (const a of ESCALATION_METHODS.flatMap((m) => m.actions)) {
  if (!FIRST_WRITTEN.has(a.toLowerCase())) FIRST_WRITTEN.set(a.toLowerCase(), a);
}
const TABLE_ACTIONS: readonly string[] = [...FIRST_WRITTEN.values()];
const SLOT = new Map([...FIRST_WRITTEN.keys()].map((lower, k) => [lower, k]));

/** For each method, the places of its actions in {@link TABLE_ACTIONS}. */
const METHOD_SLOTS: readonly (readonly number[])[] = ESCALATION_METHODS.map((m) =>
  m.actions.map((a) => SLOT.get(a.toLowerCase()) as number),
);

/** Every known method the principal can use, in the table's order. */
export function matchMethods(policies: PrincipalPolicies, ctx: PrincipalContext): MethodMatch[] {
  // Each action of the table is judged once per principal; most are of services no statement names.
  const may = allowScreen(policies);
  const judged: (ReturnType<typeof enabling> | null)[] = new Array(TABLE_ACTIONS.length);
  const enabled = (slot: number) => {
    let hit = judged[slot];
    if (hit === undefined) {
      const action = TABLE_ACTIONS[slot];
      hit = may(action) ? (enabling(effectiveGrants(policies, action), action, ctx) ?? null) : null;
      judged[slot] = hit;
    }
    return hit ?? undefined;
  };
  const out: MethodMatch[] = [];
  ESCALATION_METHODS.forEach((method, m) => {
    const found: NonNullable<ReturnType<typeof enabling>>[] = [];
    for (const slot of METHOD_SLOTS[m]) {
      const hit = enabled(slot);
      if (hit === undefined) return;
      found.push(hit);
    }
    const passedRole = found.find((h) => h.passedRole)?.passedRole;
    out.push({ method, grants: found.map((h) => h.grant), ...(passedRole ? { passedRole } : {}) });
  });
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
