/**
 * Judges a key policy's Allow statements (pure): `*` without a restricting condition, and principals of
 * untrusted accounts allowed to use or administer the key. Uses the shared principal and condition model;
 * Deny statements never excuse an Allow.
 */
import { analyzeConditions, scopeTrust } from '../policy/conditions';
import { type PolicyDocument, type PolicyStatement, statementLabel } from '../policy/document';
import { KMS_CONDITION_OPTIONS, classifyKmsActions } from '../policy/kms';
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
import type { Finding, FindingCodeInfo } from '../runtime';

/** The finding codes of this rule, with the description and severity the README and `meta.findingCodes` carry. */
export const FINDING_CODES = {
  'public-key-access': {
    description: 'The key policy allows kms: actions to "*" without a condition restricting who calls.',
    severity: 'critical',
  },
  'external-key-access': {
    description: 'The key policy lets a principal of an untrusted account use the key.',
    severity: 'high',
  },
  'external-key-admin': {
    description: 'The key policy lets a principal of an untrusted account administer the key.',
    severity: 'critical',
  },
  'external-grant': {
    description: 'A grant names a grantee or retiring principal in an untrusted account.',
    severity: 'high',
  },
  'malformed-policy': { description: 'The key policy cannot be decoded.', severity: 'medium' },
  'key-policy-unavailable': {
    description: 'The key policy is neither in the configuration item nor readable with kms:GetKeyPolicy.',
    severity: 'medium',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

/** A finding of this rule with its severity, the message fitted to Config's annotation. */
export function keyFinding(code: FindingCode, message: string, path?: string): Finding {
  const m = message.length <= 256 ? message : `${message.slice(0, 255)}…`;
  return { code, message: m, severity: FINDING_CODES[code].severity, ...(path ? { path } : {}) };
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, 3).join(', ');
  return values.length > 3 ? `${shown} +${values.length - 3}` : shown;
}

/** Which principals of an Allow statement are open to everyone, and which belong to untrusted accounts. */
interface Exposure {
  readonly anyone?: Principal;
  readonly untrusted: Principal[];
  /** The untrusted accounts and organizations the statement's conditions name (for `*` and service principals). */
  readonly untrustedScope: string;
}

function exposure(s: PolicyStatement, trust: TrustContext): Exposure {
  const a = analyzeConditions(s.conditions, KMS_CONDITION_OPTIONS);
  const isTrusted = (id: string) => isTrustedAccount(id, trust);
  const isOrg = (id: string) => isTrustedOrganization(id, trust);
  const principalScope = a.principal ? scopeTrust(a.principal, isTrusted, isOrg) : undefined;
  const sourceScope = a.source ? scopeTrust(a.source, isTrusted, isOrg) : undefined;
  // NotPrincipal in an Allow grants everyone not listed: as open as "*".
  const principals = s.notPrincipals ? [anyonePrincipal()] : listPrincipals(s.principals);
  const untrusted: Principal[] = [];
  let anyone: Principal | undefined;
  const scopes = [a.principal, a.source].filter((x) => x !== undefined);
  const untrustedScope = list([
    ...scopes.flatMap((x) => (x.accounts ?? []).filter((id) => !isTrusted(id))),
    ...scopes.flatMap((x) => (x.orgs ?? []).filter((o) => !isOrg(o))),
  ]);
  for (const p of principals) {
    if (p.kind === PrincipalKind.SERVICE) {
      // A service acting for another account's resource (aws:SourceAccount, aws:SourceArn) shares the key there.
      if (sourceScope === 'untrusted' && principalScope !== 'trusted') untrusted.push(p);
      continue;
    }
    if (p.kind === PrincipalKind.ANYONE) {
      if (principalScope === 'trusted' || sourceScope === 'trusted') continue;
      if (principalScope === 'untrusted' || sourceScope === 'untrusted') {
        untrusted.push(p);
        continue;
      }
      // Restricted to something that names no account (a VPC endpoint, a unique id): not public.
      if (a.restricted) continue;
      anyone = p;
      continue;
    }
    const t = principalTrust(p, trust);
    if (t === false && principalScope !== 'trusted') untrusted.push(p);
  }
  return { anyone, untrusted, untrustedScope };
}

function anyonePrincipal(): Principal {
  return { value: '*', type: '*', kind: PrincipalKind.ANYONE };
}

/** Findings for every Allow statement of a key policy. `path` locates the policy in the item. */
export function judgeKeyPolicy(doc: PolicyDocument, trust: TrustContext, path: string): Finding[] {
  const findings: Finding[] = [];
  for (const s of doc.statements) {
    if (s.effect !== 'Allow') continue;
    const { use, admin } = classifyKmsActions(s);
    if (use.length === 0 && admin.length === 0) continue;
    const label = statementLabel(s);
    const where = `${path}.Statement[${s.index}]`;
    const e = exposure(s, trust);
    if (e.anyone) {
      findings.push(
        keyFinding(
          'public-key-access',
          `${label} allows ${principalLabel(e.anyone)} ${list([...admin, ...use])} without a condition restricting the caller (kms:CallerAccount, aws:PrincipalOrgID, ...).`,
          where,
        ),
      );
    }
    for (const p of e.untrusted) {
      const who =
        p.kind === PrincipalKind.ANYONE || p.kind === PrincipalKind.SERVICE
          ? `${principalLabel(p)} restricted to untrusted ${e.untrustedScope}`
          : principalLabel(p);
      if (admin.length > 0) {
        findings.push(
          keyFinding('external-key-admin', `${label} lets ${who} administer the key (${list(admin)}).`, where),
        );
      } else {
        findings.push(keyFinding('external-key-access', `${label} lets ${who} use the key (${list(use)}).`, where));
      }
    }
  }
  return findings;
}
