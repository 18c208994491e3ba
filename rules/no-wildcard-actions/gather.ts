/**
 * `gather` of no-wildcard-actions: fetches the documents of attached AWS-managed policies that the bundled
 * catalogue does not know (published after the build). Customer-managed attached policies are not fetched:
 * each is judged by its own AWS::IAM::Policy configuration item.
 */
import type { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { managedPolicyVerdict } from '../policy/managed-policy-catalogue';
import type { ConfigurationItem, RuleContext } from '../runtime';
import { WardError } from '../runtime/errors';
import { IamType, itemPolicies } from './sources';
import * as sdk from '../runtime/sdk';

/** A fetched AWS-managed policy document (raw: URL-encoded from IAM, or as the snapshot holds it). */
export interface FetchedPolicy {
  readonly document: unknown;
  readonly versionId?: string;
  /** Where it came from: the IAM API, or an AWS::IAM::Policy item of the snapshot being scanned. */
  readonly source: 'iam' | 'snapshot';
}

/** What `gather` found out about attached AWS-managed policies missing from the catalogue. */
export interface NoWildcardFacts {
  /** Policy ARN -> its default version's document. */
  readonly fetched: Readonly<Record<string, FetchedPolicy>>;
  /** Policy ARN -> why its document could not be read (stated in the annotation, never assumed safe). */
  readonly unchecked: Readonly<Record<string, string>>;
}

/** Raised when IAM answers GetPolicy or GetPolicyVersion without the data the rule needs. */
export class ManagedPolicyFetchError extends WardError {}

/** IAM actions `gather` calls (declared in meta.permissions). */
export const GATHER_PERMISSIONS = ['iam:GetPolicy', 'iam:GetPolicyVersion'] as const;

/** The part of the IAM client `gather` uses (the SDK's IAMClient fits; tests inject a fake). */
export interface PolicyReader {
  send(command: GetPolicyCommand | GetPolicyVersionCommand): Promise<unknown>;
}

/** Reads a managed policy's default version; the IAM client module loads on first use (Lambda cold start). */
async function fetchFromIam(iam: PolicyReader, arn: string): Promise<FetchedPolicy | string> {
  const { GetPolicyCommand, GetPolicyVersionCommand } = await sdk.iam();
  let versionId: string | undefined;
  try {
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))) as {
      Policy?: { DefaultVersionId?: string };
    };
    versionId = policy.Policy?.DefaultVersionId;
  } catch (err) {
    // A policy that no longer exists grants nothing; say so instead of failing the whole resource.
    if ((err as { name?: string }).name === 'NoSuchEntityException') return 'IAM says it does not exist';
    throw new ManagedPolicyFetchError(`iam:GetPolicy failed for ${arn}`, { cause: err });
  }
  if (!versionId) throw new ManagedPolicyFetchError(`iam:GetPolicy returned no default version for ${arn}`);
  let out: { PolicyVersion?: { Document?: string } };
  try {
    out = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }))) as typeof out;
  } catch (err) {
    throw new ManagedPolicyFetchError(`iam:GetPolicyVersion failed for ${arn} ${versionId}`, { cause: err });
  }
  const document = out.PolicyVersion?.Document;
  if (document === undefined) throw new ManagedPolicyFetchError(`iam:GetPolicyVersion returned no document for ${arn}`);
  return { document, versionId, source: 'iam' };
}

/**
 * Fetches attached AWS-managed policies unknown to the catalogue: from IAM online; offline (snapshot scan)
 * from the snapshot's AWS::IAM::Policy items when present, otherwise recorded as unchecked.
 * @throws ManagedPolicyFetchError when IAM fails (the engine reports an evaluation error, never COMPLIANT).
 */
export async function gatherManagedPolicies(
  item: ConfigurationItem,
  ctx: RuleContext,
  exemptPolicyArns: readonly string[],
  iam?: PolicyReader,
): Promise<NoWildcardFacts> {
  const fetched: Record<string, FetchedPolicy> = {};
  const unchecked: Record<string, string> = {};
  if (item.resourceType === IamType.POLICY || !item.configuration) return { fetched, unchecked };
  const wanted = itemPolicies(item)
    .attached.map((a) => a.arn)
    .filter((arn) => !exemptPolicyArns.includes(arn) && managedPolicyVerdict(arn).kind === 'unknown');
  for (const arn of new Set(wanted)) {
    if (ctx.offline) {
      const ci = await ctx.resources?.findByArn(IamType.POLICY, arn);
      const source = ci ? itemPolicies(ci).documents[0] : undefined;
      if (source) fetched[arn] = { document: source.document, source: 'snapshot' };
      else unchecked[arn] = 'not in the bundled catalogue, and IAM is not read when scanning a snapshot';
      continue;
    }
    const result = await fetchFromIam(iam ?? ctx.client((await sdk.iam()).IAMClient), arn);
    if (typeof result === 'string') unchecked[arn] = result;
    else fetched[arn] = result;
  }
  return { fetched, unchecked };
}
