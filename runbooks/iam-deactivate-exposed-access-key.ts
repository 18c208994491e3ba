// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { IAMClient } from '@aws-sdk/client-iam';
import { RunbookError } from './errors';
import type { AutomatedRunbook, Plan, RunbookContext, RunbookResource } from './types';
import * as sdk from '../rules/runtime/sdk';
import { readConfigurationItem } from './configuration-item';

/** An access key id found in a function's environment, with its owner when it is a user of this account. */
export interface ExposedKey {
  readonly accessKeyId: string;
  /** Names of the variables holding it (never the values). */
  readonly variables: readonly string[];
  /** IAM user owning the key; undefined when it is not a user of this account (or a temporary key). */
  readonly userName?: string;
  /** `Active` or `Inactive`; undefined when the owner is unknown. */
  readonly status?: string;
}

/** The exposed keys of one function, and its tags. Secret values are never kept. */
export interface ExposedKeyState {
  readonly functionArn: string;
  readonly keys: readonly ExposedKey[];
  readonly tags: Readonly<Record<string, string>>;
}

const ID = 'iam-deactivate-exposed-access-key';
const KEY_ID = /\b(AKIA[A-Z0-9]{16})\b/g;

/** Long-term access key ids (AKIA...) in environment values, with the variables holding each. */
export function findAccessKeyIds(variables: Readonly<Record<string, string>>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [name, value] of Object.entries(variables)) {
    for (const m of value.matchAll(KEY_ID)) {
      const list = found.get(m[1]) ?? [];
      if (!list.includes(name)) list.push(name);
      found.set(m[1], list);
    }
  }
  return found;
}

async function owner(iam: IAMClient, accessKeyId: string): Promise<{ userName?: string; status?: string }> {
  const { GetAccessKeyLastUsedCommand, ListAccessKeysCommand } = await sdk.iam();
  try {
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    const userName = used.UserName;
    if (!userName) return {};
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    const status = keys.AccessKeyMetadata?.find((k) => k.AccessKeyId === accessKeyId)?.Status;
    return { userName, status };
  } catch {
    // A key of another account (or a deleted one) is not ours to deactivate: the plan says so.
    return {};
  }
}

async function read(resource: RunbookResource, ctx: RunbookContext): Promise<ExposedKeyState> {
  const { GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand } = await sdk.lambda();
  const { IAMClient } = await sdk.iam();
  const lambda = ctx.client(LambdaClient, resource.region);
  const iam = ctx.client(IAMClient, resource.region);
  try {
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: resource.resourceId }));
    const functionArn = fn.FunctionArn ?? '';
    const found = findAccessKeyIds(fn.Environment?.Variables ?? {});
    const keys: ExposedKey[] = [];
    for (const [accessKeyId, variables] of found)
      keys.push({ accessKeyId, variables, ...(await owner(iam, accessKeyId)) });
    const tags = functionArn ? await lambda.send(new ListTagsCommand({ Resource: functionArn })) : { Tags: {} };
    return { functionArn, keys, tags: { ...(tags.Tags ?? {}) } };
  } catch (err) {
    throw new RunbookError(ID, `cannot read function ${resource.resourceId}`, { cause: err });
  }
}

async function setStatus(iam: IAMClient, key: ExposedKey, status: 'Active' | 'Inactive'): Promise<void> {
  const { UpdateAccessKeyCommand } = await sdk.iam();
  try {
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.accessKeyId, Status: status }),
    );
  } catch (err) {
    throw new RunbookError(ID, `UpdateAccessKey ${key.accessKeyId} to ${status} failed`, { cause: err });
  }
}

/** Deactivates IAM access keys found in plaintext in a Lambda function's environment. */
export const iamDeactivateExposedAccessKey: AutomatedRunbook<ExposedKeyState> = {
  id: ID,
  title: 'Deactivate an access key exposed in plaintext',
  automated: true,
  resourceTypes: ['AWS::Lambda::Function'],
  findingCodes: ['plaintext-credential'],
  // Deactivating a key stops whatever uses it: a person decides (notify by default).
  safeForAuto: false,
  permissions: [
    { action: 'lambda:GetFunctionConfiguration', resource: 'arn:${Partition}:lambda:${Region}:${Account}:function:*' },
    { action: 'lambda:ListTags', resource: 'arn:${Partition}:lambda:${Region}:${Account}:function:*' },
    { action: 'iam:GetAccessKeyLastUsed', resource: 'arn:${Partition}:iam::${Account}:user/*' },
    { action: 'iam:ListAccessKeys', resource: 'arn:${Partition}:iam::${Account}:user/*' },
    { action: 'iam:UpdateAccessKey', resource: 'arn:${Partition}:iam::${Account}:user/*' },
  ],
  readState: read,
  tagsOf: (state) => state.tags,
  toConfigurationItem(resource, state) {
    return readConfigurationItem(resource, {
      resourceName: resource.resourceId,
      arn: state.functionArn,
      configuration: { functionName: resource.resourceId, functionArn: state.functionArn },
      tags: state.tags,
    });
  },
  plan(resource, state): Plan {
    const active = state.keys.filter((k) => k.userName && k.status === 'Active');
    const foreign = state.keys.filter((k) => !k.userName);
    const note = foreign.length
      ? ` ${foreign.length} key id(s) (${foreign.map((k) => k.accessKeyId).join(', ')}) belong to no user of this account: rotate them where they live.`
      : '';
    if (active.length === 0) {
      const summary = `No active access key of this account is exposed in ${resource.resourceId}; nothing to deactivate.${note}`;
      return { runbookId: ID, changes: [], summary, ...(foreign.length ? { blocked: summary } : {}) };
    }
    return {
      runbookId: ID,
      changes: active.map((k) => ({
        operation: 'iam:UpdateAccessKey',
        description: `Deactivate access key ${k.accessKeyId} of user ${k.userName} (found in ${k.variables.join(', ')}).`,
      })),
      summary: `Deactivate ${active.length} exposed access key(s); then move the credential to Secrets Manager.${note}`,
    };
  },
  async apply(resource, ctx) {
    const { IAMClient } = await sdk.iam();
    const before = await read(resource, ctx);
    const active = before.keys.filter((k) => k.userName && k.status === 'Active');
    if (active.length === 0) return { before, changed: false };
    const iam = ctx.client(IAMClient, resource.region);
    for (const k of active) await setStatus(iam, k, 'Inactive');
    return { before, changed: true };
  },
  async rollback(resource, before, ctx) {
    const { IAMClient } = await sdk.iam();
    const iam = ctx.client(IAMClient, resource.region);
    for (const k of before.keys) if (k.userName && k.status === 'Active') await setStatus(iam, k, 'Active');
  },
};
