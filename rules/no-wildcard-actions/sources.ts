/**
 * Where the identity policies of an IAM configuration item are: the default version of a managed policy, the
 * inline policies of a role, user or group, and the managed policies attached to them (ARNs only: Config does not
 * put their documents in the item).
 */
import type { ConfigurationItem } from '../runtime';

/** An IAM resource type this rule judges. */
export const IamType = {
  POLICY: 'AWS::IAM::Policy',
  ROLE: 'AWS::IAM::Role',
  USER: 'AWS::IAM::User',
  GROUP: 'AWS::IAM::Group',
} as const;

/** A policy document found in the item, not yet decoded. */
export interface PolicySource {
  /** How messages name it: `policy "Admins" v3`, `inline policy "deploy"`. */
  readonly label: string;
  /** Location in the item, e.g. `configuration.rolePolicyList[0].policyDocument`. */
  readonly path: string;
  readonly document: unknown;
}

/** A managed policy attached to a role, user or group. */
export interface AttachedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
}

/** The policies of one item, and what could not be read at all. */
export interface ItemPolicies {
  readonly documents: readonly PolicySource[];
  readonly attached: readonly AttachedPolicy[];
  /** Structural problems (`malformed-policy`): a missing default version, an entry that is not an object. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

const INLINE_LIST: Readonly<Record<string, string>> = {
  [IamType.ROLE]: 'rolePolicyList',
  [IamType.USER]: 'userPolicyList',
  [IamType.GROUP]: 'groupPolicyList',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function entries(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function managedPolicyDocuments(config: Record<string, unknown>, problems: ItemPolicies['problems'][number][]) {
  const name = typeof config.policyName === 'string' ? config.policyName : '(unnamed)';
  const defaultId = typeof config.defaultVersionId === 'string' ? config.defaultVersionId : undefined;
  const versions = entries(config.policyVersionList);
  // Only the default version grants; other versions are dormant until someone makes them the default.
  const index = versions.findIndex(
    (v) =>
      isRecord(v) &&
      (v.isDefaultVersion === true || v.isDefaultVersion === 'true' || (defaultId && v.versionId === defaultId)),
  );
  if (index < 0) {
    problems.push({
      path: 'configuration.policyVersionList',
      message: `policy "${name}" has no default version in the configuration item`,
    });
    return [];
  }
  const version = versions[index] as Record<string, unknown>;
  const versionId = typeof version.versionId === 'string' ? ` ${version.versionId}` : '';
  return [
    {
      label: `policy "${name}"${versionId}`,
      path: `configuration.policyVersionList[${index}].document`,
      document: version.document,
    },
  ];
}

/** Reads the policies of an AWS::IAM::Policy, Role, User or Group item (event or API form, already normalised). */
export function itemPolicies(item: ConfigurationItem): ItemPolicies {
  const config = item.configuration ?? {};
  const problems: { path: string; message: string }[] = [];
  if (item.resourceType === IamType.POLICY) {
    return { documents: managedPolicyDocuments(config, problems), attached: [], problems };
  }
  const listName = INLINE_LIST[item.resourceType];
  const documents: PolicySource[] = [];
  entries(listName ? config[listName] : undefined).forEach((p, i) => {
    const path = `configuration.${listName}[${i}]`;
    if (!isRecord(p)) {
      problems.push({ path, message: `inline policy #${i} is not an object` });
      return;
    }
    const name = typeof p.policyName === 'string' ? p.policyName : `#${i}`;
    documents.push({ label: `inline policy "${name}"`, path: `${path}.policyDocument`, document: p.policyDocument });
  });
  const attached: AttachedPolicy[] = [];
  entries(config.attachedManagedPolicies).forEach((p, i) => {
    if (!isRecord(p) || typeof p.policyArn !== 'string') return;
    const name = typeof p.policyName === 'string' ? p.policyName : p.policyArn.split('/').pop() || p.policyArn;
    attached.push({ name, arn: p.policyArn, path: `configuration.attachedManagedPolicies[${i}]` });
  });
  return { documents, attached, problems };
}

/**
 * True when a managed policy is used only as a permissions boundary: a boundary limits what an identity may do
 * and grants nothing, so a wildcard in it is not a grant.
 */
export function isBoundaryOnly(item: ConfigurationItem): boolean {
  if (item.resourceType !== IamType.POLICY || !item.configuration) return false;
  const attachments = Number(item.configuration.attachmentCount ?? 0);
  const boundaries = Number(item.configuration.permissionsBoundaryUsageCount ?? 0);
  return boundaries > 0 && attachments === 0;
}
