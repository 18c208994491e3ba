/**
 * Where the identity policies of an IAM configuration item are: the default version of a managed policy, the
 * inline policies of a role, user or group, and the managed policies attached to them (ARNs only: Config does not
 * put their documents in the item).
 */
import { type ConfigurationItem, optionalText, requiredObjectList, unreadable } from '../runtime';

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

function managedPolicyDocuments(config: Record<string, unknown>, problems: ItemPolicies['problems'][number][]) {
  const name = optionalText(config.policyName, 'configuration.policyName') ?? '(unnamed)';
  const defaultId = optionalText(config.defaultVersionId, 'configuration.defaultVersionId');
  // Config always records the version list; one that is missing or not a list cannot be judged.
  const versions = requiredObjectList(config.policyVersionList, 'configuration.policyVersionList');
  // Only the default version grants; other versions are dormant until someone makes them the default.
  versions.forEach((v, i) => {
    const flag = v.isDefaultVersion;
    if (flag !== undefined && flag !== null && typeof flag !== 'boolean' && flag !== 'true' && flag !== 'false') {
      unreadable(`configuration.policyVersionList[${i}].isDefaultVersion`, 'a boolean', flag);
    }
  });
  const index = versions.findIndex(
    (v) => v.isDefaultVersion === true || v.isDefaultVersion === 'true' || (defaultId && v.versionId === defaultId),
  );
  if (index < 0) {
    problems.push({
      path: 'configuration.policyVersionList',
      message: `policy "${name}" has no default version in the configuration item`,
    });
    return [];
  }
  const version = versions[index];
  const id = optionalText(version.versionId, `configuration.policyVersionList[${index}].versionId`);
  const versionId = id !== undefined ? ` ${id}` : '';
  return [
    {
      label: `policy "${name}"${versionId}`,
      path: `configuration.policyVersionList[${index}].document`,
      document: version.document,
    },
  ];
}

/**
 * Reads the policies of an AWS::IAM::Policy, Role, User or Group item (event or API form, already normalised).
 * @throws UnreadableConfigurationError when a list Config always records (the inline policies, the attached
 *   policies, the versions) is missing, is not a list, or holds something that is not an object.
 */
export function itemPolicies(item: ConfigurationItem): ItemPolicies {
  const config = item.configuration ?? {};
  const problems: { path: string; message: string }[] = [];
  if (item.resourceType === IamType.POLICY) {
    return { documents: managedPolicyDocuments(config, problems), attached: [], problems };
  }
  const listName = INLINE_LIST[item.resourceType];
  const documents: PolicySource[] = [];
  if (!listName) return { documents: [], attached: [], problems };
  requiredObjectList(config[listName], `configuration.${listName}`).forEach((p, i) => {
    const path = `configuration.${listName}[${i}]`;
    const name = optionalText(p.policyName, `${path}.policyName`) ?? `#${i}`;
    documents.push({ label: `inline policy "${name}"`, path: `${path}.policyDocument`, document: p.policyDocument });
  });
  const attached: AttachedPolicy[] = [];
  requiredObjectList(config.attachedManagedPolicies, 'configuration.attachedManagedPolicies').forEach((p, i) => {
    const path = `configuration.attachedManagedPolicies[${i}]`;
    const arn = optionalText(p.policyArn, `${path}.policyArn`);
    if (arn === undefined) unreadable(`${path}.policyArn`, 'a policy ARN', p.policyArn);
    const name = optionalText(p.policyName, `${path}.policyName`) ?? (arn.split('/').pop() || arn);
    attached.push({ name, arn, path });
  });
  return { documents, attached, problems };
}

/**
 * True when a managed policy is used only as a permissions boundary: a boundary limits what an identity may do
 * and grants nothing, so a wildcard in it is not a grant.
 */
export function isBoundaryOnly(item: ConfigurationItem): boolean {
  if (item.resourceType !== IamType.POLICY || !item.configuration) return false;
  const count = (field: string): number => {
    const v = item.configuration?.[field];
    if (v === undefined || v === null) return 0;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    // A count that is not a number cannot prove "boundary only": the policy is then judged as a grant.
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : Number.NaN;
  };
  const attachments = count('attachmentCount');
  const boundaries = count('permissionsBoundaryUsageCount');
  return boundaries > 0 && attachments === 0;
}
