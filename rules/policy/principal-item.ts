/**
 * Reads what decides a principal's permissions out of an IAM configuration item (event or API form, already
 * normalised): inline policy documents, attached managed policy ARNs, the permissions boundary, and a user's
 * groups; for an AWS::IAM::Policy item, its default version. Fails closed: a field of the wrong type is a
 * problem naming its path, never skipped.
 */
import type { ConfigurationItem } from '../runtime/configuration-item';

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

/** Why part of the item could not be read: `unreadable-configuration` (wrong type) or `malformed-policy`. */
export interface ItemProblem {
  readonly code: 'unreadable-configuration' | 'malformed-policy';
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

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

/** The last part of a policy ARN (its name). */
export function policyNameOf(arn: string): string {
  return arn.split('/').pop() || arn;
}

class Reader {
  readonly problems: ItemProblem[] = [];

  unreadable(path: string, message: string): void {
    this.problems.push({ code: 'unreadable-configuration', path, message });
  }

  /** A list field: absent and wrong types are problems (Config always writes these lists, empty or not). */
  list(config: Record<string, unknown>, field: string): unknown[] {
    const v = config[field];
    if (Array.isArray(v)) return v;
    this.unreadable(`configuration.${field}`, `configuration.${field} is ${typeName(v)}, expected a list`);
    return [];
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
    if (versions.length > 0 || reader.problems.length === 0) {
      reader.problems.push({
        code: 'malformed-policy',
        path: 'configuration.policyVersionList',
        message: `policy "${name}" has no default version in the configuration item`,
      });
    }
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

function policyRef(v: unknown, path: string, reader: Reader): PolicyRef | undefined {
  if (!isRecord(v) || typeof v.policyArn !== 'string' || v.policyArn === '') {
    reader.unreadable(`${path}.policyArn`, `${path}.policyArn is not a policy ARN`);
    return undefined;
  }
  const name = typeof v.policyName === 'string' && v.policyName !== '' ? v.policyName : policyNameOf(v.policyArn);
  return { name, arn: v.policyArn, path };
}

/** Reads an AWS::IAM::Policy, Role, User or Group item. */
export function readPrincipalItem(item: ConfigurationItem): PrincipalItem {
  const reader = new Reader();
  const config = item.configuration;
  if (!isRecord(config)) {
    reader.unreadable('configuration', `configuration is ${typeName(config)}, expected an object`);
    return { inline: [], attached: [], groups: [], problems: reader.problems };
  }
  if (item.resourceType === IamResourceType.POLICY) {
    return { inline: defaultVersion(config, reader), attached: [], groups: [], problems: reader.problems };
  }
  const listName = INLINE_LIST[item.resourceType];
  const inline: RawPolicy[] = [];
  reader.list(config, listName).forEach((p, i) => {
    const path = `configuration.${listName}[${i}]`;
    if (!isRecord(p)) return reader.unreadable(path, `${path} is ${typeName(p)}, expected an inline policy object`);
    const name = typeof p.policyName === 'string' ? p.policyName : `#${i}`;
    inline.push({ label: `inline policy "${name}"`, path: `${path}.policyDocument`, document: p.policyDocument });
  });
  const attached: PolicyRef[] = [];
  reader.list(config, 'attachedManagedPolicies').forEach((p, i) => {
    const ref = policyRef(p, `configuration.attachedManagedPolicies[${i}]`, reader);
    if (ref) attached.push(ref);
  });
  let boundary: PolicyRef | undefined;
  const rawBoundary = config.permissionsBoundary;
  if (item.resourceType !== IamResourceType.GROUP && rawBoundary !== undefined && rawBoundary !== null) {
    if (!isRecord(rawBoundary) || typeof rawBoundary.permissionsBoundaryArn !== 'string') {
      reader.unreadable(
        'configuration.permissionsBoundary.permissionsBoundaryArn',
        'configuration.permissionsBoundary.permissionsBoundaryArn is not a policy ARN',
      );
    } else {
      const arn = rawBoundary.permissionsBoundaryArn;
      boundary = { name: policyNameOf(arn), arn, path: 'configuration.permissionsBoundary' };
    }
  }
  const groups: { name: string; path: string }[] = [];
  if (item.resourceType === IamResourceType.USER) {
    reader.list(config, 'groupList').forEach((g, i) => {
      const path = `configuration.groupList[${i}]`;
      if (typeof g !== 'string' || g === '')
        return reader.unreadable(path, `${path} is ${typeName(g)}, expected a group name`);
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
