/**
 * KMS grants: listing them (kms:ListGrants, paged) and judging their grantee and retiring principals against the
 * trusted accounts (pure). Grants are not in configuration items, so they are read only when AWS can be called.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { parseArn, type TrustContext, isTrustedAccount } from '../policy/principals';
import type { Finding } from '../runtime';
import { keyFinding } from './key-policy';
import * as sdk from '../runtime/sdk';

/** What the rule keeps of one grant. */
export interface GrantFacts {
  readonly grantId: string;
  readonly name?: string;
  readonly granteePrincipal?: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

/**
 * The account a grant principal belongs to: `{ account }` for an account id or an IAM/STS ARN, `{ service: true }`
 * for a service principal, `{}` when it names neither (then it cannot be shown to be trusted).
 */
export function grantPrincipalAccount(principal: string): { account?: string; service?: true } {
  if (ACCOUNT_ID.test(principal)) return { account: principal };
  if (SERVICE_PRINCIPAL.test(principal)) return { service: true };
  const arn = parseArn(principal);
  if (arn && ACCOUNT_ID.test(arn.account)) return { account: arn.account };
  return {};
}

/** One `external-grant` finding per grant whose grantee or retiring principal is not trusted. */
export function judgeGrants(grants: readonly GrantFacts[], trust: TrustContext): Finding[] {
  const findings: Finding[] = [];
  for (const g of grants) {
    const problems: string[] = [];
    for (const [role, principal] of [
      ['grantee', g.granteePrincipal],
      ['retiring principal', g.retiringPrincipal],
    ] as const) {
      if (!principal) continue;
      const who = grantPrincipalAccount(principal);
      if (who.service) continue;
      if (who.account === undefined) problems.push(`${role} "${principal}" names no account`);
      else if (!isTrustedAccount(who.account, trust)) problems.push(`${role} is in untrusted account ${who.account}`);
    }
    if (problems.length === 0) continue;
    const ops =
      g.operations.length > 0
        ? ` (${g.operations.slice(0, 4).join(', ')}${g.operations.length > 4 ? ', ...' : ''})`
        : '';
    findings.push(
      keyFinding(
        'external-grant',
        `Grant ${g.name ? `"${g.name}" ` : ''}${g.grantId.slice(0, 12)}${ops}: ${problems.join('; ')}.`,
        `grants.${g.grantId}`,
      ),
    );
  }
  return findings;
}

/** Every grant of a key, paged. */
export async function listKeyGrants(kms: Pick<KMSClient, 'send'>, keyId: string): Promise<GrantFacts[]> {
  const { ListGrantsCommand } = await sdk.kms(); // on first use (Lambda cold start)
  const out: GrantFacts[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListGrantsCommand({ KeyId: keyId, Marker: marker, Limit: 100 }));
    for (const g of page.Grants ?? []) {
      out.push({
        grantId: g.GrantId ?? '',
        ...(g.Name ? { name: g.Name } : {}),
        ...(g.GranteePrincipal ? { granteePrincipal: g.GranteePrincipal } : {}),
        ...(g.RetiringPrincipal ? { retiringPrincipal: g.RetiringPrincipal } : {}),
        operations: g.Operations ?? [],
      });
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return out;
}
