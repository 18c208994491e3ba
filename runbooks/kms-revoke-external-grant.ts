// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { GrantListEntry, GrantOperation, KMSClient } from '@aws-sdk/client-kms';
import { RunbookError } from './errors';
import type { AutomatedRunbook, Plan, RunbookResource, RunbookSettings } from './types';
import * as sdk from '../rules/runtime/sdk';
import { keyArn, readConfigurationItem } from './configuration-item';

/** A grant as recorded in the audit trail (enough to re-create it on rollback). */
export interface RecordedGrant {
  readonly grantId: string;
  readonly name?: string;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly constraints?: GrantListEntry['Constraints'];
}

/** A key's grants and tags. */
export interface KmsGrantState {
  readonly keyId: string;
  readonly grants: readonly RecordedGrant[];
  readonly tags: Readonly<Record<string, string>>;
}

const ID = 'kms-revoke-external-grant';
const ACCOUNT_IN_ARN = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

/** The account a grantee belongs to: from an ARN, or a bare 12-digit account id; undefined for services. */
export function granteeAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return ACCOUNT_IN_ARN.exec(principal)?.[1];
}

/** Grants whose grantee is outside the key's account and the trusted accounts. */
export function externalGrants(state: KmsGrantState, accountId: string, settings: RunbookSettings): RecordedGrant[] {
  const trusted = new Set([accountId, ...(settings.trustedAccountIds ?? [])]);
  return state.grants.filter((g) => {
    if (g.granteePrincipal === '*') return true;
    const account = granteeAccount(g.granteePrincipal);
    return account !== undefined && !trusted.has(account);
  });
}

async function read(resource: RunbookResource, kms: KMSClient): Promise<KmsGrantState> {
  const { ListGrantsCommand, ListResourceTagsCommand } = await sdk.kms();
  const KeyId = resource.resourceId;
  try {
    const grants: RecordedGrant[] = [];
    let Marker: string | undefined;
    do {
      const out = await kms.send(new ListGrantsCommand({ KeyId, Marker }));
      for (const g of out.Grants ?? [])
        grants.push({
          grantId: g.GrantId ?? '',
          name: g.Name || undefined,
          granteePrincipal: g.GranteePrincipal ?? '',
          retiringPrincipal: g.RetiringPrincipal || undefined,
          operations: g.Operations ?? [],
          constraints: g.Constraints,
        });
      Marker = out.Truncated ? out.NextMarker : undefined;
    } while (Marker);
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId }));
    return {
      keyId: KeyId,
      grants,
      tags: Object.fromEntries((tags.Tags ?? []).map((t) => [t.TagKey ?? '', t.TagValue ?? ''])),
    };
  } catch (err) {
    throw new RunbookError(ID, `cannot read the grants of key ${KeyId}`, { cause: err });
  }
}

/** Revokes KMS grants given to principals in other (untrusted) accounts. */
export const kmsRevokeExternalGrant: AutomatedRunbook<KmsGrantState> = {
  id: ID,
  title: 'Revoke KMS grants to other accounts',
  automated: true,
  resourceTypes: ['AWS::KMS::Key'],
  findingCodes: ['external-grant'],
  // A grant may be a deliberate share with a partner account: a person decides.
  safeForAuto: false,
  permissions: [
    { action: 'kms:ListGrants', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
    { action: 'kms:RevokeGrant', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
    { action: 'kms:CreateGrant', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
    { action: 'kms:ListResourceTags', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
  ],
  readState: async (resource, ctx) => read(resource, ctx.client((await sdk.kms()).KMSClient, resource.region)),
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    const arn = keyArn(resource);
    return readConfigurationItem(resource, {
      arn,
      configuration: { keyId: resource.resourceId, arn, keyManager: 'CUSTOMER', awsaccountId: resource.accountId },
      tags: state.tags,
    });
  },
  plan(resource, state, settings): Plan {
    const ext = externalGrants(state, resource.accountId, settings);
    if (ext.length === 0)
      return { runbookId: ID, changes: [], summary: 'The key has no grant to another account; nothing to change.' };
    return {
      runbookId: ID,
      changes: ext.map((g) => ({
        operation: 'kms:RevokeGrant',
        description: `Revoke grant ${g.grantId}${g.name ? ` (${g.name})` : ''} to ${g.granteePrincipal} (${g.operations.join(', ')}).`,
      })),
      summary: `Revoke ${ext.length} grant(s) to other accounts.`,
    };
  },
  async apply(resource, ctx) {
    const { KMSClient, RevokeGrantCommand } = await sdk.kms();
    const kms = ctx.client(KMSClient, resource.region);
    const before = await read(resource, kms);
    const ext = externalGrants(before, resource.accountId, ctx.settings);
    if (ext.length === 0) return { before, changed: false };
    for (const g of ext) {
      try {
        await kms.send(new RevokeGrantCommand({ KeyId: resource.resourceId, GrantId: g.grantId }));
      } catch (err) {
        throw new RunbookError(ID, `RevokeGrant ${g.grantId} failed on key ${resource.resourceId}`, { cause: err });
      }
    }
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { CreateGrantCommand, KMSClient } = await sdk.kms();
    // A revoked grant cannot be restored as such: the same grant is created again (new id, new token).
    const kms = ctx.client(KMSClient, resource.region);
    const now = await read(resource, kms);
    const present = new Set(now.grants.map((g) => g.grantId));
    for (const g of externalGrants(before, resource.accountId, ctx.settings)) {
      if (present.has(g.grantId)) continue;
      try {
        await kms.send(
          new CreateGrantCommand({
            KeyId: resource.resourceId,
            GranteePrincipal: g.granteePrincipal,
            RetiringPrincipal: g.retiringPrincipal,
            Operations: [...g.operations] as GrantOperation[],
            Constraints: g.constraints,
            Name: g.name,
          }),
        );
      } catch (err) {
        throw new RunbookError(ID, `cannot re-create grant ${g.grantId} on key ${resource.resourceId}`, { cause: err });
      }
    }
  },
};
