/**
 * Where each resource type keeps its resource or trust policy in a configuration item (event and API form),
 * and which ones `gather` must read from the service API instead (configuration-items.md sections 3.5-3.21, 4).
 */
import { type ConfigurationItem, getPath, isObject, maybeJson, unreadable } from '../runtime';

/** The resource types this rule judges. */
export const RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::Lambda::Function',
  'AWS::ECR::Repository',
  'AWS::OpenSearch::Domain',
  'AWS::Elasticsearch::Domain',
  'AWS::EFS::FileSystem',
  'AWS::IAM::Role',
] as const;

/** A policy read by `gather` from the service API because the CI does not carry it. */
export interface FetchedPolicy {
  /** The document as the API returned it; undefined when the resource has no policy. */
  readonly document?: string;
  /** The API call, used as the finding path (`lambda:GetPolicy`). */
  readonly source: string;
}

/** The S3 Public Access Block flags this rule honours (absent means off). */
export interface PublicAccessBlock {
  readonly ignorePublicAcls: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** What `gather` found for this rule. */
export interface NoPublicPrincipalsFacts {
  readonly fetched?: FetchedPolicy;
  /** S3 buckets: the account-level Public Access Block (its `AWS::S3::AccountPublicAccessBlock` CI), when found. */
  readonly accountPublicAccessBlock?: PublicAccessBlock;
  /** Set in offline mode when a policy could not be read: what was not checked. */
  readonly unchecked?: string;
}

/** A policy to judge: its raw value, where it is, and whether it is a resource or a trust policy. */
export interface PolicySource {
  readonly raw: unknown;
  readonly path: string;
  readonly kind: 'resource' | 'trust';
  /** What to call it in messages ("bucket policy"). */
  readonly name: string;
}

/** The API each gather-backed type falls back to, for permissions, messages and offline notes. */
export const API_FALLBACK: Readonly<Record<string, { action: string; name: string }>> = {
  'AWS::Lambda::Function': { action: 'lambda:GetPolicy', name: 'function policy' },
  'AWS::ECR::Repository': { action: 'ecr:GetRepositoryPolicy', name: 'repository policy' },
  'AWS::EFS::FileSystem': { action: 'elasticfilesystem:DescribeFileSystemPolicy', name: 'file system policy' },
};

const MAYBE_EMPTY = /^\s*(\{\s*\}|null)?\s*$/;

/** Types whose items say "no policy" with `{}` (configuration-items.md section 4); elsewhere `{}` is malformed. */
const EMPTY_OBJECT_MEANS_NONE = new Set(['AWS::ECR::Repository', 'AWS::EFS::FileSystem']);

/**
 * True when the value holds no policy: absent, null, '' or `"null"`; and `{}` where the type says "none" that way
 * (ECR, EFS; pass `emptyObjectMeansNone: false` for the others, where `{}` is a document without statements).
 */
export function isEmptyPolicy(raw: unknown, emptyObjectMeansNone = true): boolean {
  // Only a blank, `{}` or `null` text can be empty: any other is not, without decoding it here (once is enough).
  if (typeof raw === 'string' && !MAYBE_EMPTY.test(raw)) return false;
  const v = maybeJson(raw);
  if (v === undefined || v === null || v === '') return true;
  return emptyObjectMeansNone && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** The path of the policy inside the CI for each type (the first present wins). */
const CI_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Bucket': ['supplementaryConfiguration.BucketPolicy.policyText'],
  'AWS::SNS::Topic': ['configuration.Policy'],
  'AWS::SQS::Queue': ['configuration.Policy'],
  'AWS::Lambda::Function': ['supplementaryConfiguration.Policy'],
  'AWS::ECR::Repository': ['configuration.RepositoryPolicyText'],
  'AWS::OpenSearch::Domain': ['configuration.AccessPolicies', 'configuration.accessPolicies'],
  'AWS::Elasticsearch::Domain': ['configuration.accessPolicies', 'configuration.AccessPolicies'],
  'AWS::EFS::FileSystem': ['configuration.FileSystemPolicy'],
  'AWS::IAM::Role': ['configuration.assumeRolePolicyDocument'],
};

const NAMES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'bucket policy',
  'AWS::SNS::Topic': 'topic policy',
  'AWS::SQS::Queue': 'queue policy',
  'AWS::OpenSearch::Domain': 'access policy',
  'AWS::Elasticsearch::Domain': 'access policy',
  'AWS::IAM::Role': 'trust policy',
};

function read(item: ConfigurationItem, path: string): unknown {
  const [root, ...rest] = path.split('.');
  const base = root === 'configuration' ? item.configuration : item.supplementaryConfiguration;
  // S3's BucketPolicy is a JSON string in the API form; the normaliser decodes one level, decode the rest.
  let cur: unknown = base;
  let at = root;
  for (const part of rest) {
    const container = maybeJson(cur);
    // A container that is there but not an object (BucketPolicy: 5) cannot be read: never "no policy".
    if (container !== undefined && container !== null && !isObject(container)) unreadable(at, 'an object', container);
    cur = getPath(container, part);
    at = `${at}.${part}`;
  }
  return cur;
}

/**
 * The CI's own policy for the type, or undefined when the CI holds none.
 * @throws UnreadableConfigurationError when an object on the way to the policy is of the wrong type.
 */
export function policyInItem(item: ConfigurationItem): PolicySource | undefined {
  for (const path of CI_PATHS[item.resourceType] ?? []) {
    const raw = read(item, path);
    if (isEmptyPolicy(raw, EMPTY_OBJECT_MEANS_NONE.has(item.resourceType))) continue;
    return {
      raw,
      path,
      kind: item.resourceType === 'AWS::IAM::Role' ? 'trust' : 'resource',
      name: NAMES[item.resourceType] ?? API_FALLBACK[item.resourceType]?.name ?? 'policy',
    };
  }
  return undefined;
}

/** The policy to judge: from the CI, else the one `gather` fetched; undefined when the resource has none. */
export function policySource(
  item: ConfigurationItem,
  facts: NoPublicPrincipalsFacts | undefined,
): PolicySource | undefined {
  const own = policyInItem(item);
  if (own) return own;
  const fetched = facts?.fetched;
  if (!fetched || isEmptyPolicy(fetched.document)) return undefined;
  return {
    raw: fetched.document,
    path: fetched.source,
    kind: 'resource',
    name: API_FALLBACK[item.resourceType]?.name ?? 'policy',
  };
}

/** True when a domain is reachable only inside a VPC (OpenSearch `VPCOptions`, Elasticsearch `vpcoptions`). */
export function isVpcDomain(item: ConfigurationItem): boolean {
  for (const path of ['VPCOptions.SubnetIds', 'vpcoptions.subnetIds', 'VPCOptions.subnetIds', 'vpcoptions.SubnetIds']) {
    const subnets = getPath(item.configuration, path);
    if (Array.isArray(subnets) && subnets.length > 0) return true;
  }
  return false;
}
