/*
 * Mutations of real-shaped configuration items for the fail-closed fuzz test: each one drops a field, nulls it,
 * gives it another JSON type, or stringifies a structure (as Config's API form does). Paths are enumerated from
 * the item itself, down to a bounded depth, and never into a policy document (changing a value inside a policy
 * changes what it grants: that is a different policy, not an unreadable one).
 */

/** One mutation: where, and what is done there. */
export interface Mutation {
  readonly path: readonly (string | number)[];
  readonly kind: 'drop' | 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'stringify';
}

/** Every kind of mutation. */
export const KINDS: readonly Mutation['kind'][] = [
  'drop',
  'null',
  'string',
  'number',
  'boolean',
  'array',
  'object',
  'stringify',
];

/** Fields that hold a policy document (opaque to mutation below their own level). */
const DOCUMENT_KEYS = new Set([
  'Policy',
  'policyText',
  'AccessPolicies',
  'accessPolicies',
  'RepositoryPolicyText',
  'FileSystemPolicy',
  'assumeRolePolicyDocument',
  'policyDocument',
  'document',
]);

/** Every path in `value` down to `depth` levels under each root, not entering policy documents. */
export function mutablePaths(item: Record<string, unknown>, depth = 4): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 0) out.push(path);
    if (path.length >= depth || (path.length > 0 && DOCUMENT_KEYS.has(String(path[path.length - 1])))) return;
    if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => walk(x, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(item, []);
  return out;
}

/** The value a mutation puts in place of `old` (undefined means: remove the field). */
function replacement(kind: Mutation['kind'], old: unknown): unknown {
  switch (kind) {
    case 'drop':
      return undefined;
    case 'null':
      return null;
    case 'string':
      return typeof old === 'string' ? 42 : 'x';
    // Where another type can hold the same value ("false" and false, "5" and 5) it keeps the value: a type
    // change must not smuggle in another configuration.
    case 'number':
      if (typeof old === 'string' && old.trim() !== '' && Number.isFinite(Number(old))) return Number(old);
      return typeof old === 'number' ? 'x' : 7;
    case 'boolean':
      if (old === 'true' || old === 'false') return old === 'true';
      return typeof old === 'boolean' ? 'x' : true;
    case 'array':
      return Array.isArray(old) ? {} : [];
    case 'object':
      return typeof old === 'object' && old !== null && !Array.isArray(old) ? [] : {};
    case 'stringify':
      // A string stringified is another value, not another encoding: only structures and scalars are.
      return typeof old === 'string' ? old : JSON.stringify(old);
  }
}

/** A deep copy of `item` with the mutation applied. */
export function mutate(item: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const copy = structuredClone(item);
  let parent: unknown = copy;
  for (const step of m.path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  const last = m.path[m.path.length - 1];
  const container = parent as Record<string | number, unknown> & unknown[];
  const next = replacement(m.kind, container[last]);
  // Dropping a list element removes a grant or a policy (another configuration, not an unreadable one): a list
  // element is nulled instead.
  if (next === undefined && !Array.isArray(container)) delete container[last];
  else container[last] = next ?? null;
  return copy;
}

/** `configuration.a[0].b` for messages. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Fields whose absence (or null) is a real state that AWS records, per configuration-items.md: the resource has
 * no such policy. Dropping or nulling them may legitimately change the verdict; giving them another type may not.
 */
export const ABSENT_MEANS_NONE: Readonly<Record<string, readonly string[]>> = {
  // No resource policy.
  'AWS::SQS::Queue': ['configuration.Policy', 'configuration.KmsMasterKeyId'],
  // A function's supplementary configuration holds only its policy (and concurrency): without it, no policy.
  'AWS::Lambda::Function': ['supplementaryConfiguration.Policy', 'supplementaryConfiguration'],
  'AWS::ECR::Repository': ['configuration.RepositoryPolicyText'],
  // No key chosen: the service's AWS-managed or AWS-owned default key (the store readers document each).
  'AWS::EFS::FileSystem': ['configuration.FileSystemPolicy', 'configuration.KmsKeyId'],
  'AWS::OpenSearch::Domain': ['configuration.AccessPolicies', 'configuration.EncryptionAtRestOptions.KmsKeyId'],
  'AWS::Elasticsearch::Domain': ['configuration.accessPolicies', 'configuration.encryptionAtRestOptions.kmsKeyId'],
  'AWS::SecretsManager::Secret': ['configuration.KMSKeyId'],
  'AWS::DynamoDB::Table': ['configuration.ssedescription', 'configuration.ssedescription.kmsmasterKeyArn'],
  'AWS::S3::Bucket': [
    // `{"policyText": null}` is how Config says the bucket has no policy.
    'supplementaryConfiguration.BucketPolicy.policyText',
    'supplementaryConfiguration.ServerSideEncryptionConfiguration.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyID',
  ],
};

/** Fields a rule's verdict legitimately depends on by value (which account, which id, which type it is). */
export const IDENTITY = new Set([
  'resourceType',
  'resourceId',
  'awsAccountId',
  'accountId',
  'ARN',
  'arn',
  'resourceName',
]);

/** True when a mutation may legitimately change a verdict: an identity field, or a documented "absent means none". */
export function mayChangeVerdict(type: string, m: Mutation): boolean {
  const text = pathText(m.path);
  if (IDENTITY.has(String(m.path[0])) && m.path.length === 1) return true;
  return (m.kind === 'drop' || m.kind === 'null') && (ABSENT_MEANS_NONE[type] ?? []).includes(text);
}
