// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { KMSClient } from '@aws-sdk/client-kms';
import { parsePolicy, type PolicyStatement } from '../rules/policy/document';
import { RunbookError } from './errors';
import * as sdk from '../rules/runtime/sdk';
import { keyArn, readConfigurationItem } from './configuration-item';

/** A KMS key's policy text, ARN and tags, as the KMS runbooks record them. */
export interface KmsKeyState {
  readonly keyId: string;
  /** The key policy exactly as KMS returned it (restored verbatim on rollback). */
  readonly policy: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Condition keys that limit a wildcard principal to known accounts, organisations or resources: with one of
 * them the statement is not public (the AWS-managed key policies use kms:CallerAccount this way).
 */
const RESTRICTING_KEYS = [
  'kms:calleraccount',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourcevpce',
  'aws:sourcevpc',
];

/** True when a statement allows anyone (`*`) without a condition that limits who. */
export function isPublicStatement(s: PolicyStatement): boolean {
  if (s.effect !== 'Allow' || !s.principals) return false;
  if (!s.principals.anyone && !s.principals.aws.includes('*')) return false;
  for (const keys of Object.values(s.conditions)) {
    for (const key of Object.keys(keys)) if (RESTRICTING_KEYS.includes(key.toLowerCase())) return false;
  }
  return true;
}

/** Indices of the public statements of a key policy; undefined when the policy cannot be parsed. */
export function publicStatementIndices(policy: string): number[] | undefined {
  const parsed = parsePolicy(policy);
  if (!parsed.ok) return undefined;
  return parsed.document.statements.filter(isPublicStatement).map((s) => s.index);
}

/** The policy text without the statements at `drop` (other fields kept as they were). */
export function withoutStatements(policy: string, drop: readonly number[]): string {
  const doc = JSON.parse(policy) as Record<string, unknown>;
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return JSON.stringify({ ...doc, Statement: list.filter((_, i) => !drop.includes(i)) }, null, 2);
}

/** Reads a key's default policy and tags. */
export async function readKeyState(kms: KMSClient, keyId: string, runbookId: string): Promise<KmsKeyState> {
  const { GetKeyPolicyCommand, ListResourceTagsCommand } = await sdk.kms();
  try {
    // PolicyName "default" is the only name KMS supports; moto requires it to be sent.
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    return {
      keyId,
      policy: out.Policy ?? '',
      tags: Object.fromEntries((tags.Tags ?? []).map((t) => [t.TagKey ?? '', t.TagValue ?? ''])),
    };
  } catch (err) {
    throw new RunbookError(runbookId, `cannot read key ${keyId}`, { cause: err });
  }
}

/** An event-form KMS Key configuration item built from live state. */
export function keyConfigurationItem(
  resource: { resourceType: string; resourceId: string; accountId: string; region: string },
  state: KmsKeyState,
): Record<string, unknown> {
  const arn = keyArn(resource);
  return readConfigurationItem(resource, {
    arn,
    configuration: { keyId: resource.resourceId, arn, keyManager: 'CUSTOMER', awsaccountId: resource.accountId },
    supplementaryConfiguration: { Policy: state.policy },
    tags: state.tags,
  });
}
