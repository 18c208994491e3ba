/** The finding codes of no-public-principals, their severities, and the one way findings are built. */
import type { Finding, SeverityLevel } from '../runtime';

/** The finding codes of this rule, with the description the README and `meta.findingCodes` carry. */
export const FINDING_CODES = {
  'public-principal': 'An Allow statement grants "*" (or an equivalent) without a restricting condition.',
  'not-principal-allow': 'An Allow statement uses NotPrincipal, which grants everyone not listed.',
  'external-principal': 'An Allow statement grants a principal of an account that is not trusted.',
  'unscoped-service-principal':
    'A service principal is allowed without aws:SourceAccount, aws:SourceArn or aws:SourceOwner (confused deputy).',
  'trust-without-external-id':
    'A role trust policy lets another account assume the role without sts:ExternalId or an organization condition.',
  'oidc-without-subject': "A web-identity trust (for example GitHub Actions) does not check the token's subject.",
  'public-acl': 'An S3 ACL grants access to AllUsers or AuthenticatedUsers.',
  'malformed-policy': 'A policy document cannot be decoded; its location is given.',
} as const;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

/** Severity per finding code, where it differs from the rule's (high). */
export const FINDING_SEVERITY: Partial<Record<FindingCode, SeverityLevel>> = {
  'public-principal': 'critical',
  'public-acl': 'critical',
  'oidc-without-subject': 'critical',
  'unscoped-service-principal': 'medium',
  'trust-without-external-id': 'medium',
  'malformed-policy': 'medium',
};

const MAX_MESSAGE = 256;

/** Builds a finding whose message fits Config's 256-character annotation. */
export function finding(code: FindingCode, message: string, path?: string): Finding {
  const m = message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
  const severity = FINDING_SEVERITY[code];
  return { code, message: m, ...(path ? { path } : {}), ...(severity ? { severity } : {}) };
}
