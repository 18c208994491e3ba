/**
 * Reads what decides a principal's permissions out of an IAM configuration item (event or API form, already
 * normalised): inline policy documents, attached managed policy ARNs, the permissions boundary, and a user's
 * groups; for an AWS::IAM::Policy item, its default version. Fails closed: a field of the wrong type is a
 * problem naming its path, never skipped.
 */
import type { ConfigurationItem } from '../runtime/configuration-item';
import { unreadable } from '../runtime/unreadable';

/** The IAM principal and policy types. */
export const IamResourceType = {
  POLICY: 'AWS::IAM::Policy',
  ROLE: 'AWS::IAM::Role',
  USER: 'AWS::IAM::User',
  GROUP: 'AWS::IAM::Group',
} as const;

/** A policy document in the item, not yet decoded. */
export interface RawPolicy {
  readonly label: string;
  readonly path: string;
  readonly document: unknown;
}

/** A managed policy the item refers to by ARN (attached, or the boundary). */
export interface PolicyRef {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
}

/**
 * A policy the item holds that cannot be judged (`malformed-policy`). A field of the wrong type is not a
 * problem but an {@link UnreadableConfigurationError} (the whole item is unreadable).
 */
export interface ItemProblem {
  readonly code: 'malformed-policy';
  readonly path: string;
  readonly message: string;
}

/** What an IAM item says about the permissions of its principal (or, for a policy, of its holders). */
export interface PrincipalItem {
  readonly inline: readonly RawPolicy[];
  readonly attached: readonly PolicyRef[];
  readonly boundary?: PolicyRef;
  /** A user's group names, with their path in the item. */
  readonly groups: readonly { readonly name: string; readonly path: string }[];
  readonly problems: readonly ItemProblem[];
}

const INLINE_LIST: Readonly<Record<string, string>> = {
  [IamResourceType.ROLE]: 'rolePolicyList',
  [IamResourceType.USER]: 'userPolicyList',
  [IamResourceType.GROUP]: 'groupPolicyList',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The last part of a policy ARN (its name). */
export function policyNameOf(arn: string): string {
  return arn.split('/').pop() || arn;
}

class Reader {
  readonly problems: ItemProblem[] = [];

  /** A list field: absent or of another type is unreadable (Config always writes these lists, empty or not). */
  list(config: Record<string, unknown>, field: string): unknown[] {
    const v = config[field];
    if (Array.isArray(v)) return v;
    return unreadable(`configuration.${field}`, 'a list', v);
  }
}

function defaultVersion(config: Record<string, unknown>, reader: Reader): RawPolicy[] {
  const name = typeof config.policyName === 'string' ? config.policyName : '(unnamed)';
  const defaultId = typeof config.defaultVersionId === 'string' ? config.defaultVersionId : undefined;
  const versions = reader.list(config, 'policyVersionList');
  // Only the default version grants; other versions are dormant until someone makes them the default.
  const index = versions.findIndex(
    (v) =>
      isRecord(v) &&
      (v.isDefaultVersion === true || v.isDefaultVersion === 'true' || (defaultId && v.versionId === defaultId)),
  );
  if (index < 0) {
    reader.problems.push({
      code: 'malformed-policy',
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

function policyRef(v: unknown, path: string): PolicyRef {
  if (!isRecord(v)) unreadable(path, 'an object', v);
  if (typeof v.policyArn !== 'string' || v.policyArn === '') unreadable(`${path}.policyArn`, 'a policy ARN', v.policyArn);
  const name = typeof v.policyName === 'string' && v.policyName !== '' ? v.policyName : policyNameOf(v.policyArn);
  return { name, arn: v.policyArn, path };
}

/**
 * Reads an AWS::IAM::Policy, Role, User or Group item.
 * @throws UnreadableConfigurationError naming the path of a field that is missing or of the wrong type.
 */
export function readPrincipalItem(item: ConfigurationItem): PrincipalItem {
  const reader = new Reader();
  const config = item.configuration;
  if (!isRecord(config)) unreadable('configuration', 'an object', config);
  if (item.resourceType === IamResourceType.POLICY) {
    return { inline: defaultVersion(config, reader), attached: [], groups: [], problems: reader.problems };
  }
  const listName = INLINE_LIST[item.resourceType];
  const inline: RawPolicy[] = [];
  reader.list(config, listName).forEach((p, i) => {
    const path = `configuration.${listName}[${i}]`;
    if (!isRecord(p)) unreadable(path, 'an inline policy object', p);
    const name = typeof p.policyName === 'string' ? p.policyName : `#${i}`;
    inline.push({ label: `inline policy "${name}"`, path: `${path}.policyDocument`, document: p.policyDocument });
  });
  const attached: PolicyRef[] = [];
  reader.list(config, 'attachedManagedPolicies').forEach((p, i) => {
    attached.push(policyRef(p, `configuration.attachedManagedPolicies[${i}]`));
  });
  let boundary: PolicyRef | undefined;
  const rawBoundary = config.permissionsBoundary;
  if (item.resourceType !== IamResourceType.GROUP && rawBoundary !== undefined && rawBoundary !== null) {
    if (!isRecord(rawBoundary)) unreadable('configuration.permissionsBoundary', 'an object', rawBoundary);
    const arn = rawBoundary.permissionsBoundaryArn;
    if (typeof arn !== 'string' || arn === '')
      unreadable('configuration.permissionsBoundary.permissionsBoundaryArn', 'a policy ARN', arn);
    boundary = { name: policyNameOf(arn), arn, path: 'configuration.permissionsBoundary' };
  }
  const groups: { name: string; path: string }[] = [];
  if (item.resourceType === IamResourceType.USER) {
    reader.list(config, 'groupList').forEach((g, i) => {
      const path = `configuration.groupList[${i}]`;
      if (typeof g !== 'string' || g === '') unreadable(path, 'a group name', g);
      groups.push({ name: g, path });
    });
  }
  return { inline, attached, boundary, groups, problems: reader.problems };
}

/**
 * True when a managed policy is used only as a permissions boundary: a boundary limits what an identity may do
 * and grants nothing.
 */
export function isBoundaryOnlyPolicy(item: ConfigurationItem): boolean {
  if (item.resourceType !== IamResourceType.POLICY || !isRecord(item.configuration)) return false;
  const attachments = Number(item.configuration.attachmentCount ?? 0);
  const boundaries = Number(item.configuration.permissionsBoundaryUsageCount ?? 0);
  return boundaries > 0 && attachments === 0;
}
