/**
 * The wildcard analysis of one identity-policy document: which Allow statements grant every action, every action
 * but a list, every action of a service, or permissions-management actions through a wildcard, on every resource.
 * Pure: shared by the rule, the managed-policy catalogue generator and the corpus tests.
 */
import { sensitiveActionsMatching } from '../policy/action-catalogue';
import { selfGrantSetCovered } from '../policy/admin-equivalent';
import { actionMatches, coversEveryResource, hasWildcard, isEveryAction, serviceWildcardOf } from '../policy/actions';
import type { PolicyDocument, PolicyStatement } from '../policy/document';

/** The finding codes of `no-wildcard-actions` (stable interface, documented in the README). */
export const WildcardCode = {
  FULL_ADMIN: 'full-admin',
  NOT_ACTION_ALLOW: 'not-action-allow',
  SERVICE_WILDCARD: 'service-wildcard',
  SENSITIVE_WILDCARD: 'sensitive-wildcard',
  ADMIN_EQUIVALENT: 'admin-equivalent',
  NOT_RESOURCE_ALLOW: 'not-resource-allow',
  ATTACHED_ADMIN_POLICY: 'attached-admin-policy',
  MALFORMED_POLICY: 'malformed-policy',
} as const;

/** One of {@link WildcardCode}. */
export type WildcardCodeType = (typeof WildcardCode)[keyof typeof WildcardCode];

/** What a statement grants, whatever its resource element (the code is `not-resource-allow` with NotResource). */
export type GrantKind =
  'full-admin' | 'not-action-allow' | 'service-wildcard' | 'sensitive-wildcard' | 'admin-equivalent';

/** One wildcard grant found in a statement. */
export interface StatementFinding {
  /** The finding code: the grant kind, or `not-resource-allow` when the statement uses NotResource. */
  readonly code: WildcardCodeType;
  readonly kind: GrantKind;
  readonly statement: PolicyStatement;
  /** The action patterns responsible (the NotAction list for `not-action-allow`). */
  readonly patterns: readonly string[];
  /** Sensitive actions the patterns match (for `sensitive-wildcard`; at most a few, for the message). */
  readonly examples: readonly string[];
  /** How many sensitive actions the patterns match in total. */
  readonly sensitiveCount: number;
  /** The NotResource list when the grant is "every resource except these". */
  readonly exceptResources?: readonly string[];
}

/** Options of the analysis (from the rule parameters). */
export interface AnalyseOptions {
  /** Services whose `service:*` is accepted (`s3`, or `s3:*`), compared case-insensitively. */
  readonly allowedServiceWildcards?: readonly string[];
}

/** Whether a grant kind amounts to administrator access (what `attached-admin-policy` is about). */
export function isAdminKind(kind: GrantKind): boolean {
  return kind === 'full-admin' || kind === 'not-action-allow' || kind === 'admin-equivalent';
}

const EXAMPLES = 3;

function allowedServices(options: AnalyseOptions): Set<string> {
  return new Set(
    (options.allowedServiceWildcards ?? []).map((s) => s.trim().toLowerCase().replace(/:\*+$/, '')).filter(Boolean),
  );
}

/**
 * Where a statement's grant applies: every resource, every resource except a list (NotResource), or not every
 * resource. A NotResource list that itself covers everything excludes everything, so grants nothing.
 */
function resourceScope(s: PolicyStatement): { every: boolean; except?: readonly string[] } {
  if (coversEveryResource(s.resources)) return { every: true };
  if (s.resources === undefined && s.notResources !== undefined && !coversEveryResource(s.notResources)) {
    return { every: true, except: s.notResources };
  }
  return { every: false };
}

function grantsOf(s: PolicyStatement, allowed: Set<string>): Omit<StatementFinding, 'code' | 'statement'>[] {
  if (s.notActions !== undefined) {
    // Allow NotAction [list]: everything except the list; a list holding "*" excludes everything.
    if (s.notActions.some(isEveryAction)) return [];
    return [{ kind: 'not-action-allow', patterns: s.notActions, examples: [], sensitiveCount: 0 }];
  }
  const actions = s.actions ?? [];
  const every = actions.filter(isEveryAction);
  if (every.length > 0) return [{ kind: 'full-admin', patterns: every, examples: [], sensitiveCount: 0 }];

  const serviceWide: string[] = [];
  const sensitivePatterns: string[] = [];
  const sensitiveHits = new Set<string>();
  for (const pattern of actions) {
    const service = serviceWildcardOf(pattern);
    // An allowed `service:*` is an explicit decision about that whole service, sensitive actions included.
    if (service !== undefined && allowed.has(service)) continue;
    if (service !== undefined) serviceWide.push(pattern);
    if (!hasWildcard(pattern)) continue;
    const hits = sensitiveActionsMatching(pattern);
    if (hits.length > 0) {
      sensitivePatterns.push(pattern);
      for (const h of hits) sensitiveHits.add(h);
    }
  }
  const out: Omit<StatementFinding, 'code' | 'statement'>[] = [];
  // iam:*, iam:Put*, or every action of one self-grant set (explicit or not): the principal can make itself
  // administrator, so the grant is reported as such, in place of the sensitive wildcard it also is.
  const considered = actions.filter((p) => {
    const service = serviceWildcardOf(p);
    return service === undefined || !allowed.has(service);
  });
  const selfGrant = selfGrantSetCovered(considered);
  if (serviceWide.length > 0) {
    out.push({ kind: 'service-wildcard', patterns: serviceWide, examples: [], sensitiveCount: 0 });
  }
  if (selfGrant) {
    const patterns = considered.filter((p) => selfGrant.some((a) => actionMatches(p, a)));
    out.push({ kind: 'admin-equivalent', patterns, examples: [...selfGrant], sensitiveCount: selfGrant.length });
  } else if (sensitivePatterns.length > 0) {
    const all = [...sensitiveHits];
    // Examples readers recognise first: iam:PassRole, then actions that change a policy.
    const rank = (a: string) => (a.toLowerCase() === 'iam:passrole' ? 0 : /policy/i.test(a) ? 1 : 2);
    all.sort((a, b) => rank(a) - rank(b));
    out.push({
      kind: 'sensitive-wildcard',
      patterns: sensitivePatterns,
      examples: all.slice(0, EXAMPLES),
      sensitiveCount: all.length,
    });
  }
  return out;
}

/**
 * Finds the wildcard grants of a policy document: only Allow statements grant (Deny never does), and only
 * grants on every resource (`*`, an all-wildcard ARN, or NotResource) count. A statement with a Condition is
 * still reported; its `statement.conditional` says so.
 */
export function analysePolicyDocument(document: PolicyDocument, options: AnalyseOptions = {}): StatementFinding[] {
  const allowed = allowedServices(options);
  const findings: StatementFinding[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow') continue;
    const scope = resourceScope(statement);
    if (!scope.every) continue;
    for (const grant of grantsOf(statement, allowed)) {
      findings.push({
        ...grant,
        code: scope.except ? WildcardCode.NOT_RESOURCE_ALLOW : grant.kind,
        statement,
        exceptResources: scope.except,
      });
    }
  }
  return findings;
}

function list(values: readonly string[], max = 3): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} (+${values.length - max})` : shown;
}

/** A one-line description of a grant, without the policy and statement names (the rule adds those). */
export function describeGrant(f: StatementFinding): string {
  const where = f.exceptResources ? `every resource except ${list(f.exceptResources, 2)}` : 'every resource';
  let what: string;
  switch (f.kind) {
    case 'full-admin':
      what = `allows every action (${f.patterns[0]}) on ${where}`;
      break;
    case 'not-action-allow':
      what = `allows every action except ${list(f.patterns)} (Allow NotAction) on ${where}`;
      break;
    case 'service-wildcard':
      what = `allows ${list(f.patterns)} on ${where}`;
      break;
    case 'admin-equivalent':
      what =
        `allows ${list(f.patterns)} on ${where}: ${f.examples.join(', ')} let a principal grant itself ` +
        'any permission (administrator-equivalent)';
      break;
    case 'sensitive-wildcard':
      what =
        `allows ${list(f.patterns)} on ${where}, matching ${f.sensitiveCount} sensitive ` +
        `action${f.sensitiveCount === 1 ? '' : 's'} (permissions management, iam:PassRole) such as ${f.examples.join(', ')}`;
      break;
  }
  return f.statement.conditional ? `${what} (conditional)` : what;
}
