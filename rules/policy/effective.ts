/**
 * Effective permissions of a principal for one action at a time: what its identity policies allow, minus what
 * they deny, capped by its permissions boundary. Pure; shared by no-privilege-escalation and the build-time
 * generator of the AWS-managed policy grants table.
 *
 * What it models: Allow with Action or NotAction, Resource or NotResource; unconditional Deny on every resource
 * (removes the action) or on named resources (removes grants on resources a Deny pattern covers); a boundary's
 * Allow intersected with the identity's grants, and its Deny applied like the identity's. What it does not:
 * conditions are not evaluated, so a conditional Allow still counts (flagged `conditional`) and a conditional
 * Deny removes nothing. Both choices can only over-report, never hide an escalation.
 */
import { actionMatches, coversEveryResource, hasWildcard, isEveryAction, isEveryResource } from './actions';
import { SELF_GRANT_SETS } from './admin-equivalent';
import type { PolicyDocument, PolicyStatement } from './document';

/** A decoded policy with where it came from, for messages and finding paths. */
export interface SourcedDocument {
  /** How messages name it: `inline policy "deploy"`, `attached policy Admins`. */
  readonly label: string;
  /** Location in the item (`configuration.rolePolicyList[0].policyDocument`). */
  readonly path: string;
  readonly document: PolicyDocument;
  /**
   * True when the document is the bundled equivalent of an AWS-managed policy (managed-policy-grants.ts): its
   * statement numbers are not the policy's own, so messages leave them out.
   */
  readonly equivalent?: boolean;
}

/** The policies that decide what a principal may do. */
export interface PrincipalPolicies {
  /** Inline, attached (AWS- and customer-managed) and group policies. */
  readonly identity: readonly SourcedDocument[];
  /** The permissions boundary, when the principal has one (empty: no boundary). */
  readonly boundary: readonly SourcedDocument[];
}

/** One effective grant of an action on a resource pattern. */
export interface Grant {
  readonly action: string;
  /** The resource pattern (`*` for every resource, also for "every resource except a NotResource list"). */
  readonly resource: string;
  /** Set when the grant is every resource except these (Allow NotResource). */
  readonly except?: readonly string[];
  readonly source: SourcedDocument;
  readonly statement: PolicyStatement;
  /** True when the Allow has a Condition (not evaluated: counted, and said). */
  readonly conditional: boolean;
}

function statementMatches(s: PolicyStatement, action: string): boolean {
  if (s.notActions !== undefined) return !s.notActions.some((p) => actionMatches(p, action));
  return (s.actions ?? []).some((p) => actionMatches(p, action));
}

/** True when a resource pattern `outer` covers every resource `inner` can stand for (glob over the text). */
export function resourceCovers(outer: string, inner: string): boolean {
  if (isEveryResource(outer)) return true;
  return actionMatches(outer, inner);
}

/**
 * The service part of an Action pattern when it is literal ASCII (`s3` of `S3:Get*`), lower-cased: such a pattern
 * matches only actions of that service. Undefined when the pattern may match any service.
 */
function literalService(pattern: string): string | undefined {
  const colon = pattern.indexOf(':');
  if (colon < 0) return undefined;
  const service = pattern.slice(0, colon);
  return /[^\x20-\x7e]/.test(service) || hasWildcard(service) ? undefined : service.toLowerCase();
}

/** True when a statement may match an action of `service` (false only when it cannot). */
function mayMatchService(s: PolicyStatement, service: string): boolean {
  if (s.notActions !== undefined || s.actions === undefined) return true;
  return s.actions.some((p) => {
    const literal = literalService(p);
    return literal === undefined || literal === service;
  });
}

/** What one document says about one action: its Allow statements that match it, its unconditional Deny ones. */
interface ActionStatements {
  readonly allow: readonly PolicyStatement[];
  readonly deny: readonly PolicyStatement[];
}

const NONE: ActionStatements = Object.freeze({ allow: Object.freeze([]), deny: Object.freeze([]) });

/** Actions remembered per document: a principal's documents are asked about the same few dozen again and again. */
const ACTIONS_PER_DOCUMENT = 256;

/**
 * Per decoded document: its statements that may match an action of each service (in document order), and what it
 * says about each action asked so far. A principal's documents are asked about dozens of actions
 * (no-privilege-escalation's table), most of services they do not name, and the same documents serve many
 * principals (document.ts keeps decoded documents and managed-policy-grants.ts the AWS-managed equivalents), so
 * the answers are kept beside each document (a WeakMap: they go with it).
 */
interface DocumentIndex {
  readonly byService: Map<string, readonly PolicyStatement[]>;
  readonly byAction: Map<string, ActionStatements>;
}

const indexes = new WeakMap<PolicyDocument, DocumentIndex>();

function statementsFor(index: DocumentIndex, document: PolicyDocument, action: string): readonly PolicyStatement[] {
  const colon = action.indexOf(':');
  if (colon < 0) return document.statements;
  const service = action.slice(0, colon).toLowerCase();
  let list = index.byService.get(service);
  if (list === undefined) {
    list = document.statements.filter((s) => mayMatchService(s, service));
    index.byService.set(service, list);
  }
  return list;
}

/** The Allow statements of a document that match an action, and its unconditional Deny statements that do. */
function statementsOn(document: PolicyDocument, action: string): ActionStatements {
  let index = indexes.get(document);
  if (index === undefined) indexes.set(document, (index = { byService: new Map(), byAction: new Map() }));
  const known = index.byAction.get(action);
  if (known !== undefined) return known;
  let allow: PolicyStatement[] | undefined;
  let deny: PolicyStatement[] | undefined;
  for (const s of statementsFor(index, document, action)) {
    if (s.effect === 'Allow') {
      if (statementMatches(s, action)) (allow ??= []).push(s);
    } else if (!s.conditional && statementMatches(s, action)) (deny ??= []).push(s);
  }
  const found = allow === undefined && deny === undefined ? NONE : { allow: allow ?? [], deny: deny ?? [] };
  if (index.byAction.size < ACTIONS_PER_DOCUMENT) index.byAction.set(action, found);
  return found;
}

function allows(source: SourcedDocument, action: string): Grant[] {
  const out: Grant[] = [];
  for (const s of statementsOn(source.document, action).allow) {
    const base = { action, source, statement: s, conditional: s.conditional };
    if (s.resources !== undefined) {
      for (const r of s.resources) out.push({ ...base, resource: isEveryResource(r) ? '*' : r });
    } else if (s.notResources !== undefined && !coversEveryResource(s.notResources)) {
      out.push({ ...base, resource: '*', except: s.notResources });
    }
  }
  return out;
}

/** Unconditional Deny statements of the documents that match the action. */
function denies(sources: readonly SourcedDocument[], action: string): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  for (const d of sources) for (const s of statementsOn(d.document, action).deny) out.push(s);
  return out;
}

/** Applies unconditional denies: drops grants whose resource a Deny covers; narrows nothing else. */
function applyDenies(grants: Grant[], deny: readonly PolicyStatement[]): Grant[] {
  let out = grants;
  for (const d of deny) {
    if (d.resources !== undefined) {
      if (coversEveryResource(d.resources)) return [];
      out = out.filter((g) => !d.resources?.some((r) => resourceCovers(r, g.resource)));
    } else if (d.notResources !== undefined) {
      // Deny everything except the NotResource list: only grants inside that list survive.
      out = out.flatMap((g) => {
        if (g.resource !== '*') return d.notResources?.some((r) => resourceCovers(r, g.resource)) ? [g] : [];
        return (d.notResources ?? []).map((r) => ({ ...g, resource: r, except: undefined }));
      });
    }
  }
  return out;
}

/** Intersects the identity's grants with the boundary's: a grant survives on what both allow. */
function capByBoundary(grants: Grant[], bounds: readonly Grant[]): Grant[] {
  const out: Grant[] = [];
  for (const g of grants) {
    for (const b of bounds) {
      let kept: Grant | undefined;
      if (b.resource === '*' || resourceCovers(b.resource, g.resource)) kept = g;
      else if (g.resource === '*' || resourceCovers(g.resource, b.resource)) {
        kept = { ...g, resource: b.resource, except: undefined };
      }
      if (kept) {
        out.push(kept);
        break;
      }
    }
  }
  return out;
}

/**
 * The effective grants of one action (`service:Action`): identity Allows, minus unconditional Denies of the
 * identity and boundary policies, capped by the boundary when there is one.
 */
export function effectiveGrants(policies: PrincipalPolicies, action: string): Grant[] {
  const all = [...policies.identity, ...policies.boundary];
  let grants = applyDenies(
    policies.identity.flatMap((d) => allows(d, action)),
    denies(all, action),
  );
  if (grants.length === 0 || policies.boundary.length === 0) return grants;
  const bounds = policies.boundary.flatMap((d) => allows(d, action));
  grants = capByBoundary(grants, bounds);
  return grants;
}

/**
 * A quick test, for callers that ask about many actions, of whether an identity Allow of the policies may match
 * an action at all: false only when none can, so {@link effectiveGrants} would return no grant. An Action
 * pattern can match only actions of the service its literal part before the colon names (`s3:Get*` never
 * matches `iam:PassRole`); a NotAction Allow, or a wildcard or non-ASCII character in a service part, can match
 * anything.
 */
export function allowScreen(policies: PrincipalPolicies): (action: string) => boolean {
  const services = new Set<string>();
  let any = false;
  for (const d of policies.identity) {
    for (const s of d.document.statements) {
      if (s.effect !== 'Allow') continue;
      if (s.notActions !== undefined) any = true;
      for (const p of s.actions ?? []) {
        const service = literalService(p);
        if (service === undefined) any = true;
        else services.add(service);
      }
    }
  }
  if (any) return () => true;
  return (action) => {
    const colon = action.indexOf(':');
    return colon < 0 || services.has(action.slice(0, colon).toLowerCase());
  };
}

/** An Allow of every action on every resource. */
function adminStatement(d: SourcedDocument): PolicyStatement | undefined {
  return d.document.statements.find(
    (s) => s.effect === 'Allow' && (s.actions ?? []).some(isEveryAction) && coversEveryResource(s.resources),
  );
}

/** Actions a Deny must leave alone for `*` on `*` to still be administrator access: the self-grant actions. */
const ADMIN_KEY_ACTIONS = [...SELF_GRANT_SETS.flat(), 'iam:PassRole'];

/**
 * The policy and statement through which a principal may do everything on every resource, or undefined. Only
 * when no unconditional Deny touches the actions that grant anything else (the self-grant sets, iam:PassRole)
 * and the boundary (if any) allows everything too: otherwise the caller judges action by action, which takes the
 * denies and the boundary into account. `denied` counts the unconditional Deny statements that narrow it.
 */
export function effectiveAdmin(
  policies: PrincipalPolicies,
): { readonly source: SourcedDocument; readonly statement: PolicyStatement; readonly denied: number } | undefined {
  const all = [...policies.identity, ...policies.boundary];
  if (ADMIN_KEY_ACTIONS.some((a) => denies(all, a).length > 0)) return undefined;
  if (policies.boundary.length > 0 && !policies.boundary.some(adminStatement)) return undefined;
  const denied = all.reduce(
    (n, d) => n + d.document.statements.filter((s) => s.effect === 'Deny' && !s.conditional).length,
    0,
  );
  for (const source of policies.identity) {
    const statement = adminStatement(source);
    if (statement) return { source, statement, denied };
  }
  return undefined;
}
