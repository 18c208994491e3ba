// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { KMSClient } from '@aws-sdk/client-kms';
import { RunbookError } from './errors';
import {
  type KmsKeyState,
  keyConfigurationItem,
  publicStatementIndices,
  readKeyState,
  withoutStatements,
} from './kms-policy';
import type { AutomatedRunbook, Plan } from './types';
import * as sdk from '../rules/runtime/sdk';

const ID = 'kms-remove-public-statements';

async function putPolicy(kms: KMSClient, keyId: string, policy: string): Promise<void> {
  const { PutKeyPolicyCommand } = await sdk.kms();
  try {
    // The lockout safety check stays on: KMS refuses a policy that would lock the account out of the key.
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy }));
  } catch (err) {
    throw new RunbookError(ID, `PutKeyPolicy failed on key ${keyId}`, { cause: err });
  }
}

/** Removes the statements of a key policy that allow anyone (`*`) without a limiting condition. */
export const kmsRemovePublicStatements: AutomatedRunbook<KmsKeyState> = {
  id: ID,
  title: 'Remove public statements from a KMS key policy',
  automated: true,
  resourceTypes: ['AWS::KMS::Key'],
  findingCodes: ['public-key-access'],
  // Removing a statement can cut off a legitimate cross-account consumer: a person decides.
  safeForAuto: false,
  permissions: [
    { action: 'kms:GetKeyPolicy', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
    { action: 'kms:PutKeyPolicy', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
    { action: 'kms:ListResourceTags', resource: 'arn:${Partition}:kms:${Region}:${Account}:key/*' },
  ],
  readState: async (resource, ctx) =>
    readKeyState(ctx.client((await sdk.kms()).KMSClient, resource.region), resource.resourceId, ID),
  tagsOf: (state) => state.tags,
  toConfigurationItem: keyConfigurationItem,
  plan(resource, state): Plan {
    const drop = publicStatementIndices(state.policy);
    if (drop === undefined) {
      const why = 'The key policy cannot be parsed; fix it by hand.';
      return { runbookId: ID, changes: [], blocked: why, summary: why };
    }
    if (drop.length === 0)
      return { runbookId: ID, changes: [], summary: 'The key policy has no public statement; nothing to change.' };
    const total = (JSON.parse(state.policy) as { Statement?: unknown }).Statement;
    if (!Array.isArray(total) || total.length === drop.length) {
      const why = 'Every statement of the key policy is public; removing them would leave no policy. Fix it by hand.';
      return { runbookId: ID, changes: [], blocked: why, summary: why };
    }
    return {
      runbookId: ID,
      changes: [
        {
          operation: 'kms:PutKeyPolicy',
          description: `Remove public statement(s) #${drop.join(', #')} from the policy of key ${resource.resourceId}.`,
        },
      ],
      summary: `Remove ${drop.length} public statement(s) from the key policy.`,
    };
  },
  async apply(resource, ctx) {
    const { KMSClient } = await sdk.kms();
    const kms = ctx.client(KMSClient, resource.region);
    const before = await readKeyState(kms, resource.resourceId, ID);
    const drop = publicStatementIndices(before.policy);
    if (drop === undefined) throw new RunbookError(ID, 'the key policy cannot be parsed');
    if (drop.length === 0) return { before, changed: false };
    await putPolicy(kms, resource.resourceId, withoutStatements(before.policy, drop));
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { KMSClient } = await sdk.kms();
    await putPolicy(ctx.client(KMSClient, resource.region), resource.resourceId, before.policy);
  },
};
