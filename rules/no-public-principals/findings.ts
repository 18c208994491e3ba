/** The finding codes of no-public-principals, their severities, and the one way findings are built. */
import type { Finding, FindingCodeInfo } from '../runtime';

/** The finding codes of this rule, with the description and severity the README and `meta.findingCodes` carry. */
export const FINDING_CODES = {
  'public-principal': {
    description: 'An Allow statement grants "*" (or an equivalent) without a restricting condition.',
    severity: 'critical',
  },
  'not-principal-allow': {
    description: 'An Allow statement uses NotPrincipal, which grants everyone not listed.',
    severity: 'high',
  },
  'external-principal': {
    description: 'An Allow statement grants a principal of an account that is not trusted.',
    severity: 'high',
  },
  'unscoped-service-principal': {
    description:
      'A service principal is allowed without aws:SourceAccount, aws:SourceArn or aws:SourceOwner (confused deputy).',
    severity: 'medium',
  },
  'trust-without-external-id': {
    description:
      'A role trust policy lets another account assume the role without sts:ExternalId or an organization condition.',
    severity: 'medium',
  },
  'oidc-without-subject': {
    description: "A web-identity trust (for example GitHub Actions) does not check the token's subject.",
    severity: 'critical',
  },
  'public-acl': { description: 'An S3 ACL grants access to AllUsers or AuthenticatedUsers.', severity: 'critical' },
  'malformed-policy': {
    description: 'A policy document cannot be decoded; its location is given.',
    severity: 'medium',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

const MAX_MESSAGE = 256;

/** Builds a finding whose message fits Config's 256-character annotation. */
export function finding(code: FindingCode, message: string, path?: string): Finding {
  const m = message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
  return { code, message: m, ...(path ? { path } : {}), severity: FINDING_CODES[code].severity };
}
