/**
 * `gather` for no-public-principals: reads the policies of Lambda functions, ECR repositories and EFS file
 * systems from their APIs when the configuration item does not carry them. Never called for other types.
 */
import { type ConfigurationItem, type RuleContext, WardError, getPath } from '../runtime';
import { readPublicAccessBlock } from './s3';
import { API_FALLBACK, type NoPublicPrincipalsFacts, policyInItem } from './sources';
import * as sdk from '../runtime/sdk';

/** A policy API call failed for another reason than "no policy". */
export class PolicyReadError extends WardError {}

/** Error names the APIs return when the resource simply has no policy. */
const NO_POLICY = new Set(['ResourceNotFoundException', 'RepositoryPolicyNotFoundException', 'PolicyNotFound']);

function name(item: ConfigurationItem, path: string): string {
  const v = getPath(item.configuration, path);
  return typeof v === 'string' && v !== '' ? v : (item.resourceName ?? item.resourceId);
}

/** Reads the policy from its service; each SDK client is imported on first use (Lambda cold start). */
async function fetchDocument(item: ConfigurationItem, ctx: RuleContext): Promise<string | undefined> {
  const region = item.awsRegion || ctx.region;
  switch (item.resourceType) {
    case 'AWS::Lambda::Function': {
      const { GetPolicyCommand, LambdaClient } = await sdk.lambda();
      const out = await ctx
        .client(LambdaClient, region)
        .send(new GetPolicyCommand({ FunctionName: name(item, 'functionName') }));
      return out.Policy;
    }
    case 'AWS::ECR::Repository': {
      const { GetRepositoryPolicyCommand, ECRClient } = await sdk.ecr();
      const out = await ctx.client(ECRClient, region).send(
        new GetRepositoryPolicyCommand({
          repositoryName: name(item, 'RepositoryName'),
          ...(item.accountId ? { registryId: item.accountId } : {}),
        }),
      );
      return out.policyText;
    }
    case 'AWS::EFS::FileSystem': {
      const { DescribeFileSystemPolicyCommand, EFSClient } = await sdk.efs();
      const out = await ctx
        .client(EFSClient, region)
        .send(new DescribeFileSystemPolicyCommand({ FileSystemId: name(item, 'FileSystemId') }));
      return out.Policy;
    }
    default:
      return undefined;
  }
}

/**
 * Reads the policy from the service when the CI has none (Lambda without `supplementaryConfiguration.Policy`,
 * ECR and EFS with `{}`). In offline mode it reads nothing and says so, so the annotation can tell the user.
 * @throws PolicyReadError when the API fails for any reason other than "no policy" (the engine then reports an
 *   evaluation error for this resource: never COMPLIANT by default).
 */
export async function gatherPolicy(item: ConfigurationItem, ctx: RuleContext): Promise<NoPublicPrincipalsFacts> {
  if (item.resourceType === 'AWS::S3::Bucket') return gatherAccountPublicAccessBlock(item, ctx);
  const fallback = API_FALLBACK[item.resourceType];
  if (!fallback || policyInItem(item)) return {};
  if (ctx.offline) {
    return { unchecked: `the ${fallback.name} (${fallback.action}) was not read: offline scan, the CI shows none` };
  }
  try {
    return { fetched: { document: await fetchDocument(item, ctx), source: fallback.action } };
  } catch (err) {
    if (err instanceof Error && NO_POLICY.has(err.name)) return { fetched: { source: fallback.action } };
    throw new PolicyReadError(`${fallback.action} failed for ${item.resourceId}`, { cause: err });
  }
}

/** The Config resource type of the account-level S3 Public Access Block; its resource id is the account id. */
export const ACCOUNT_PUBLIC_ACCESS_BLOCK = 'AWS::S3::AccountPublicAccessBlock';

/**
 * Reads the account-level Public Access Block from Config (or the snapshot) through `ctx.resources`. Failing to
 * read it is not an error: without it, only the bucket's own settings neutralise grants (the stricter outcome),
 * and the annotation says it was not read.
 */
async function gatherAccountPublicAccessBlock(
  item: ConfigurationItem,
  ctx: RuleContext,
): Promise<NoPublicPrincipalsFacts> {
  const notRead = (why: string): NoPublicPrincipalsFacts => ({
    unchecked: `the account-level Public Access Block was not read (${why}); only the bucket's own applies`,
  });
  if (!ctx.resources) return notRead('no Config lookup');
  try {
    const account = await ctx.resources.get(ACCOUNT_PUBLIC_ACCESS_BLOCK, item.accountId || ctx.accountId);
    if (!account?.configuration) {
      return notRead(ctx.offline ? `no ${ACCOUNT_PUBLIC_ACCESS_BLOCK} item in the snapshot` : 'Config has no item');
    }
    return { accountPublicAccessBlock: readPublicAccessBlock(account.configuration) };
  } catch (err) {
    ctx.logger.warn(
      { resourceId: item.resourceId, err: err instanceof Error ? err.message : String(err) },
      'account Public Access Block not read',
    );
    return { unchecked: 'the account-level Public Access Block could not be read' };
  }
}
