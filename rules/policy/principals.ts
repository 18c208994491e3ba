/**
 * Principals of policy statements: what each entry of a `Principal` element is (anyone, an AWS account or an
 * identity in one, a service, a web-identity or SAML provider, an S3 canonical user) and whether its account
 * is trusted. Shared by every rule that judges resource, trust and key policies.
 */
import type { PrincipalSet } from './document';

/** The kinds of principal {@link classifyPrincipal} tells apart. */
export const PrincipalKind = {
  /** `"*"`, `{"AWS": "*"}` or any value with a wildcard: every principal, signed or not. */
  ANYONE: 'anyone',
  /** An account: a bare 12-digit id or `arn:<partition>:iam::<account>:root`. */
  ACCOUNT: 'account',
  /** An IAM role, user, assumed-role session or federated-user session in an account. */
  IDENTITY: 'identity',
  /** An AWS service principal such as `s3.amazonaws.com`. */
  SERVICE: 'service',
  /** An OIDC provider ARN, or a public web-identity provider (`accounts.google.com`, `cognito-identity...`). */
  WEB_IDENTITY: 'web-identity',
  /** A SAML provider ARN. */
  SAML: 'saml',
  /** An S3 canonical user id (64 hex characters); it cannot be tied to an account from the policy alone. */
  CANONICAL_USER: 'canonical-user',
  /** A CloudFront origin access identity (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ...`). */
  CLOUDFRONT_OAI: 'cloudfront-oai',
  /** An IAM unique id (`AROA...`, `AIDA...`): what IAM shows after the named principal was deleted. */
  UNIQUE_ID: 'unique-id',
  /** Anything else: ward does not know what it grants, so callers treat it as untrusted. */
  UNKNOWN: 'unknown',
} as const;

/** One of {@link PrincipalKind}. */
export type PrincipalKindType = (typeof PrincipalKind)[keyof typeof PrincipalKind];

/** Where in the `Principal` element a value came from. */
export type PrincipalType = '*' | 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** One classified principal entry. */
export interface Principal {
  /** The value as written in the policy. */
  readonly value: string;
  readonly type: PrincipalType;
  readonly kind: PrincipalKindType;
  /** The 12-digit account the principal belongs to, when the value names one. */
  readonly accountId?: string;
  /** For web-identity principals: the provider host and path used as the condition-key prefix (`token.actions.githubusercontent.com`). */
  readonly provider?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const WILDCARD = /[*?]/;
// arn:partition:service:region:account:resource (the resource part may hold further colons).
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;
const UNIQUE_ID = /^(AROA|AIDA)[A-Z0-9]{12,}$/;
const CANONICAL_USER = /^[0-9a-f]{64}$/i;
/** Public web-identity providers that are written as a bare host in `Federated`. */
const PUBLIC_WEB_IDENTITY = new Set(['accounts.google.com', 'graph.facebook.com', 'www.amazon.com']);
const COGNITO = 'cognito-identity.amazonaws.com';

/** The parts of an ARN, or undefined when the value is not one. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its six fields; undefined when the value does not start with `arn:` and has too few fields. */
export function parseArn(value: string): ArnParts | undefined {
  const m = ARN.exec(value);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

function classifyAws(value: string): Principal {
  const base = { value, type: 'AWS' as const };
  if (WILDCARD.test(value)) return { ...base, kind: PrincipalKind.ANYONE };
  if (ACCOUNT_ID.test(value)) return { ...base, kind: PrincipalKind.ACCOUNT, accountId: value };
  if (UNIQUE_ID.test(value)) return { ...base, kind: PrincipalKind.UNIQUE_ID };
  const arn = parseArn(value);
  if (!arn) return { ...base, kind: PrincipalKind.UNKNOWN };
  if (arn.service === 'iam' && arn.account === 'cloudfront' && arn.resource.startsWith('user/CloudFront Origin')) {
    return { ...base, kind: PrincipalKind.CLOUDFRONT_OAI };
  }
  if ((arn.service !== 'iam' && arn.service !== 'sts') || !ACCOUNT_ID.test(arn.account)) {
    return { ...base, kind: PrincipalKind.UNKNOWN };
  }
  if (arn.service === 'iam' && arn.resource === 'root') {
    return { ...base, kind: PrincipalKind.ACCOUNT, accountId: arn.account };
  }
  return { ...base, kind: PrincipalKind.IDENTITY, accountId: arn.account };
}

function classifyFederated(value: string): Principal {
  const base = { value, type: 'Federated' as const };
  if (WILDCARD.test(value)) return { ...base, kind: PrincipalKind.ANYONE };
  const lower = value.toLowerCase();
  if (lower === COGNITO || PUBLIC_WEB_IDENTITY.has(lower)) {
    return { ...base, kind: PrincipalKind.WEB_IDENTITY, provider: lower };
  }
  const arn = parseArn(value);
  if (arn?.service === 'iam' && ACCOUNT_ID.test(arn.account)) {
    if (arn.resource.startsWith('oidc-provider/')) {
      return {
        ...base,
        kind: PrincipalKind.WEB_IDENTITY,
        accountId: arn.account,
        provider: arn.resource.slice('oidc-provider/'.length),
      };
    }
    if (arn.resource.startsWith('saml-provider/')) return { ...base, kind: PrincipalKind.SAML, accountId: arn.account };
  }
  return { ...base, kind: PrincipalKind.UNKNOWN };
}

/**
 * Classifies one principal value of a given type. Any value with a wildcard is {@link PrincipalKind.ANYONE}:
 * IAM accepts only `"*"` as a wildcard principal, and a policy that says more is read as broadly as it could be.
 */
export function classifyPrincipal(type: PrincipalType, value: string): Principal {
  switch (type) {
    case '*':
      return { value: '*', type, kind: PrincipalKind.ANYONE };
    case 'AWS':
      return classifyAws(value);
    case 'Service':
      return { value, type, kind: WILDCARD.test(value) ? PrincipalKind.ANYONE : PrincipalKind.SERVICE };
    case 'Federated':
      return classifyFederated(value);
    case 'CanonicalUser':
      if (WILDCARD.test(value)) return { value, type, kind: PrincipalKind.ANYONE };
      return { value, type, kind: CANONICAL_USER.test(value) ? PrincipalKind.CANONICAL_USER : PrincipalKind.UNKNOWN };
  }
}

/** Every entry of a normalised `Principal` (or `NotPrincipal`) element, classified, in document order. */
export function listPrincipals(set: PrincipalSet | undefined): Principal[] {
  if (!set) return [];
  const out: Principal[] = [];
  if (set.anyone) out.push(classifyPrincipal('*', '*'));
  for (const v of set.aws) out.push(classifyPrincipal('AWS', v));
  for (const v of set.service) out.push(classifyPrincipal('Service', v));
  for (const v of set.federated) out.push(classifyPrincipal('Federated', v));
  for (const v of set.canonicalUser) out.push(classifyPrincipal('CanonicalUser', v));
  return out;
}

/** Who is trusted when judging sharing: the owner, listed accounts, and accounts of listed organizations. */
export interface TrustContext {
  /** The account that owns the resource: always trusted. */
  readonly ownerAccountId: string;
  readonly trustedAccountIds?: readonly string[];
  /** Organization ids (`o-...`); membership is only known through conditions such as `aws:PrincipalOrgID`. */
  readonly trustedOrganizationIds?: readonly string[];
}

/** True when the account is the owner or listed in `trustedAccountIds`. */
export function isTrustedAccount(accountId: string, trust: TrustContext): boolean {
  return accountId === trust.ownerAccountId || (trust.trustedAccountIds ?? []).includes(accountId);
}

/** True when the organization id is listed in `trustedOrganizationIds` (compared case-insensitively). */
export function isTrustedOrganization(orgId: string, trust: TrustContext): boolean {
  const id = orgId.toLowerCase();
  return (trust.trustedOrganizationIds ?? []).some((o) => o.toLowerCase() === id);
}

/**
 * Whether a principal, on its own (before conditions), is trusted: `true` for the owner's or a trusted
 * account's principals and for CloudFront origin access identities and deleted principals (unique ids, which
 * no new principal can match); `false` for other accounts' principals and anything unknown; `undefined` when the
 * principal does not name an account (anyone, services, public web-identity providers, canonical users), so the
 * caller must decide from the statement's conditions or the resource.
 */
export function principalTrust(principal: Principal, trust: TrustContext): boolean | undefined {
  switch (principal.kind) {
    case PrincipalKind.ACCOUNT:
    case PrincipalKind.IDENTITY:
    case PrincipalKind.SAML:
      return isTrustedAccount(principal.accountId ?? '', trust);
    case PrincipalKind.WEB_IDENTITY:
      return principal.accountId === undefined ? undefined : isTrustedAccount(principal.accountId, trust);
    case PrincipalKind.CLOUDFRONT_OAI:
    case PrincipalKind.UNIQUE_ID:
      return true;
    case PrincipalKind.UNKNOWN:
      return false;
    default:
      return undefined;
  }
}

/** A short, stable label for a principal in messages, e.g. `AWS "arn:aws:iam::111122223333:root"`. */
export function principalLabel(principal: Principal): string {
  if (principal.type === '*') return '"*"';
  const v = principal.value.length > 80 ? `${principal.value.slice(0, 77)}...` : principal.value;
  return `${principal.type} "${v}"`;
}
