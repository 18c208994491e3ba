/**
 * Judges the Allow statements of one resource or trust policy: who each principal is, what the statement's
 * conditions restrict, and which finding (if any) that combination deserves. Deny statements are never used to
 * excuse an Allow (see the README: ward does no general Deny reasoning).
 */
import {
  type AnalyzeOptions,
  type ConditionAnalysis,
  analyzeConditions,
  positiveConditions,
  scopeTrust,
} from '../policy/conditions';
import { type PolicyDocument, type PolicyStatement, statementLabel } from '../policy/document';
import {
  type Principal,
  PrincipalKind,
  type TrustContext,
  isTrustedAccount,
  isTrustedOrganization,
  listPrincipals,
  principalLabel,
  principalTrust,
} from '../policy/principals';
import type { Finding } from '../runtime';
import { finding } from './findings';

/** How to judge one policy. */
export interface PolicyJudgement {
  /** `resource` for resource policies, `trust` for role trust policies (service principals need no scoping there). */
  readonly kind: 'resource' | 'trust';
  readonly trust: TrustContext;
  /** Location of the document in the CI, e.g. `configuration.Policy`. */
  readonly path: string;
  /** Set when public grants are neutralised by the resource (RestrictPublicBuckets, a VPC-only domain). */
  readonly publicNeutralisedBy?: string;
  /** The S3 bucket owner's canonical user id, which is trusted. */
  readonly ownerCanonicalId?: string;
  /** What to call the policy in messages ("bucket policy"); messages then start with it. */
  readonly name?: string;
  /** Service-specific restricting keys, e.g. `{ 'kms:calleraccount': 'principal-account' }` for key policies. */
  readonly conditionKeys?: AnalyzeOptions['extraKeys'];
}

/** Findings plus notes for the compliant annotation. */
export interface PolicyVerdict {
  readonly findings: Finding[];
  /** Public statements not reported because the resource neutralises them. */
  readonly neutralised: number;
}

function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** True when the statement can allow sts:AssumeRole (the action sts:ExternalId protects). */
function allowsAssumeRole(s: PolicyStatement): boolean {
  if (s.notActions) return !s.notActions.some((a) => globMatches(a, 'sts:AssumeRole'));
  return (s.actions ?? []).some((a) => globMatches(a, 'sts:AssumeRole'));
}

/** True when a condition tests the key with at least one value that is not just wildcards or a variable. */
/**
 * A value that pins something down: not only wildcards, no policy variable, and not GitHub's `repo:*` (a
 * wildcard right after `repo:` lets every repository on GitHub in).
 */
function pins(value: string): boolean {
  return value.replace(/[*?]/g, '').length > 0 && !value.includes('${') && !/^repo:[*?]/i.test(value);
}

/** True when a positive condition tests the key and every one of its values pins something (values are ORed). */
function checksValue(s: PolicyStatement, key: string): boolean {
  return positiveConditions(s.conditions, key).some((c) => c.values.length > 0 && c.values.every(pins));
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, 3).join(', ');
  return values.length > 3 ? `${shown} +${values.length - 3}` : shown;
}

interface StatementContext {
  readonly s: PolicyStatement;
  readonly a: ConditionAnalysis;
  readonly j: PolicyJudgement;
  readonly where: string;
  readonly label: string;
  readonly principalScope?: ReturnType<typeof scopeTrust>;
  readonly sourceScope?: ReturnType<typeof scopeTrust>;
}

function untrustedNames(c: StatementContext): string {
  const isTrusted = (id: string) => isTrustedAccount(id, c.j.trust);
  const scopes = [c.a.principal, c.a.source].filter((x) => x !== undefined);
  const accounts = scopes.flatMap((x) => (x.accounts ?? []).filter((id) => !isTrusted(id)));
  const orgs = scopes.flatMap((x) => (x.orgs ?? []).filter((o) => !isTrustedOrganization(o, c.j.trust)));
  return list([...accounts, ...orgs]);
}

function judgeAnyone(c: StatementContext, p: Principal, out: Finding[]): 'neutralised' | undefined {
  if (c.principalScope === 'trusted' || c.sourceScope === 'trusted') return undefined;
  if (c.principalScope === 'untrusted' || c.sourceScope === 'untrusted') {
    out.push(
      finding(
        'external-principal',
        `${c.label} allows ${principalLabel(p)} restricted by ${list(c.a.by)} to untrusted ${untrustedNames(c)}.`,
        c.where,
      ),
    );
    return undefined;
  }
  if (c.a.restricted) return undefined;
  if (c.j.publicNeutralisedBy) return 'neutralised';
  const why = c.a.ignored.length > 0 ? ` (${c.a.ignored[0].key}: ${c.a.ignored[0].reason})` : '';
  out.push(
    finding(
      'public-principal',
      `${c.label} allows ${principalLabel(p)} without a restricting condition${why}.`,
      c.where,
    ),
  );
  return undefined;
}

function judgeAccount(c: StatementContext, p: Principal, out: Finding[]): void {
  const trusted = principalTrust(p, c.j.trust);
  if (trusted === false && c.principalScope !== 'trusted') {
    out.push(
      finding(
        'external-principal',
        `${c.label} allows ${principalLabel(p)} of untrusted account ${p.accountId ?? '(unknown)'}.`,
        c.where,
      ),
    );
  }
  const otherAccount = p.accountId !== undefined && p.accountId !== c.j.trust.ownerAccountId;
  const orgCondition = c.a.principal?.orgs !== undefined;
  if (
    c.j.kind === 'trust' &&
    otherAccount &&
    (p.kind === PrincipalKind.ACCOUNT || p.kind === PrincipalKind.IDENTITY) &&
    allowsAssumeRole(c.s) &&
    !orgCondition &&
    !checksValue(c.s, 'sts:ExternalId')
  ) {
    out.push(
      finding(
        'trust-without-external-id',
        `${c.label} lets ${principalLabel(p)} assume the role without sts:ExternalId or aws:PrincipalOrgID.`,
        c.where,
      ),
    );
  }
}

function judgeWebIdentity(c: StatementContext, p: Principal, out: Finding[]): void {
  if (principalTrust(p, c.j.trust) === false) {
    out.push(
      finding(
        'external-principal',
        `${c.label} trusts ${principalLabel(p)} of untrusted account ${p.accountId}.`,
        c.where,
      ),
    );
  }
  const provider = p.provider ?? '';
  // Public providers (Cognito, Google, Facebook, Amazon) put the owner's application id in aud; OIDC providers
  // such as GitHub Actions or EKS share aud between all their users, so only sub tells callers apart.
  const keys = p.accountId === undefined ? [`${provider}:sub`, `${provider}:aud`] : [`${provider}:sub`];
  if (!keys.some((k) => checksValue(c.s, k))) {
    out.push(
      finding(
        'oidc-without-subject',
        `${c.label} trusts ${principalLabel(p)} without a condition on ${keys.join(' or ')}.`,
        c.where,
      ),
    );
  }
}

function judgePrincipal(c: StatementContext, p: Principal, out: Finding[]): 'neutralised' | undefined {
  switch (p.kind) {
    case PrincipalKind.ANYONE:
      return judgeAnyone(c, p, out);
    case PrincipalKind.ACCOUNT:
    case PrincipalKind.IDENTITY:
    case PrincipalKind.SAML:
      judgeAccount(c, p, out);
      return undefined;
    case PrincipalKind.WEB_IDENTITY:
      judgeWebIdentity(c, p, out);
      return undefined;
    case PrincipalKind.SERVICE:
      if (c.j.kind === 'trust') return undefined;
      if (c.sourceScope === 'untrusted') {
        out.push(
          finding(
            'external-principal',
            `${c.label} lets ${principalLabel(p)} act for untrusted ${untrustedNames(c)}.`,
            c.where,
          ),
        );
      } else if (c.sourceScope === undefined) {
        out.push(
          finding(
            'unscoped-service-principal',
            `${c.label} allows ${principalLabel(p)} without aws:SourceAccount, aws:SourceArn or aws:SourceOwner.`,
            c.where,
          ),
        );
      }
      return undefined;
    case PrincipalKind.CANONICAL_USER:
      if (p.value.toLowerCase() !== c.j.ownerCanonicalId?.toLowerCase() && c.principalScope !== 'trusted') {
        out.push(
          finding(
            'external-principal',
            `${c.label} allows ${principalLabel(p)}, which is not the bucket owner.`,
            c.where,
          ),
        );
      }
      return undefined;
    case PrincipalKind.UNKNOWN:
      if (c.principalScope !== 'trusted') {
        out.push(
          finding(
            'external-principal',
            `${c.label} allows ${principalLabel(p)}, which ward cannot tie to a trusted account.`,
            c.where,
          ),
        );
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Judges every Allow statement of a decoded policy document. */
export function judgePolicy(document: PolicyDocument, j: PolicyJudgement): PolicyVerdict {
  const findings: Finding[] = [];
  let neutralised = 0;
  const trustedAccount = (id: string) => isTrustedAccount(id, j.trust);
  const trustedOrg = (id: string) => isTrustedOrganization(id, j.trust);
  for (const s of document.statements) {
    if (s.effect !== 'Allow') continue;
    const where = `${j.path}.Statement[${s.index}]`;
    const label = j.name ? `${j.name[0].toUpperCase()}${j.name.slice(1)} ${statementLabel(s)}` : statementLabel(s);
    if (s.notPrincipals) {
      findings.push(
        finding('not-principal-allow', `${label} allows every principal except those in NotPrincipal.`, where),
      );
    }
    const a = analyzeConditions(s.conditions, { extraKeys: j.conditionKeys });
    const c: StatementContext = {
      s,
      a,
      j,
      where,
      label,
      principalScope: a.principal && scopeTrust(a.principal, trustedAccount, trustedOrg),
      sourceScope: a.source && scopeTrust(a.source, trustedAccount, trustedOrg),
    };
    for (const p of listPrincipals(s.principals)) {
      if (judgePrincipal(c, p, findings) === 'neutralised') neutralised++;
    }
  }
  return { findings, neutralised };
}
