/**
 * IAM resources of a template as Config records them: roles, users and groups with their inline policies
 * (their own `Policies` and every `AWS::IAM::Policy` attached to them) and their managed policies (ARNs, from
 * `ManagedPolicyArns` and every `AWS::IAM::ManagedPolicy` that lists them); managed policies as
 * `AWS::IAM::Policy` items with one default version. Documents are URL-encoded, as in real items.
 */
import {
  attached,
  type BuildKit,
  type BuiltItem,
  envelope,
  list,
  rec,
  referencedIds,
  urlEncodedPolicy,
} from './cloudformation-kit';

const KINDS = {
  'AWS::IAM::Role': { list: 'rolePolicyList', nameKey: 'roleName', attachProp: 'Roles', idPrefix: 'AROA', one: 'Role' },
  'AWS::IAM::User': { list: 'userPolicyList', nameKey: 'userName', attachProp: 'Users', idPrefix: 'AIDA', one: 'User' },
  'AWS::IAM::Group': {
    list: 'groupPolicyList',
    nameKey: 'groupName',
    attachProp: 'Groups',
    idPrefix: 'AGPA',
    one: 'Group',
  },
} as const;

type IdentityType = keyof typeof KINDS;

/** True for the identity types built by {@link buildIdentity}. */
export function isIdentityType(type: string): type is IdentityType {
  return type in KINDS;
}

/** A role, user or group, with every policy attached to it by other resources of the template. */
export function buildIdentity(kit: BuildKit, id: string, type: IdentityType): BuiltItem {
  const kind = KINDS[type];
  const p = rec(kit.resolve(kit.resources[id].Properties ?? {}));
  const from: string[] = [];
  const inline = list(p.Policies).map((pol) => rec(pol));
  // AWS::IAM::Policy lists its identities; AWS::IAM::RolePolicy (UserPolicy, GroupPolicy) names one.
  for (const [pid, pol] of [
    ...attached(kit, 'AWS::IAM::Policy', kind.attachProp, id),
    ...attached(kit, `AWS::IAM::${kind.one}Policy`, `${kind.one}Name`, id),
  ]) {
    from.push(pid);
    inline.push(rec(kit.resolve(pol.Properties)));
  }
  const managed = list(p.ManagedPolicyArns).map(String);
  for (const [pid] of attached(kit, 'AWS::IAM::ManagedPolicy', kind.attachProp, id)) {
    from.push(pid);
    managed.push(kit.naming.arn(pid) ?? pid);
  }
  const name = kit.naming.name(id);
  const boundary = p.PermissionsBoundary;
  const configuration: Record<string, unknown> = {
    [kind.nameKey]: name,
    arn: kit.naming.arn(id),
    path: typeof p.Path === 'string' ? p.Path : '/',
    [`${kind.nameKey.slice(0, -4)}Id`]: `${kind.idPrefix}${id
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 17)}`,
    [kind.list]: inline.map((pol) => ({
      policyName: String(pol.PolicyName ?? ''),
      policyDocument: urlEncodedPolicy(pol.PolicyDocument),
    })),
    attachedManagedPolicies: managed.map((arn) => ({ policyArn: arn, policyName: arn.split('/').pop() })),
    permissionsBoundary:
      typeof boundary === 'string'
        ? { permissionsBoundaryType: 'PermissionsBoundaryPolicy', permissionsBoundaryArn: boundary }
        : null,
  };
  if (type === 'AWS::IAM::Role') configuration.assumeRolePolicyDocument = urlEncodedPolicy(p.AssumeRolePolicyDocument);
  if (type === 'AWS::IAM::User') configuration.groupList = list(p.Groups).map(String);
  return {
    logicalId: id,
    from,
    ci: envelope(kit, { logicalId: id, resourceType: type, resourceName: name, global: true, configuration }),
  };
}

/** An `AWS::IAM::ManagedPolicy` as the `AWS::IAM::Policy` item Config records (one default version, v1). */
export function buildManagedPolicy(kit: BuildKit, id: string): BuiltItem {
  const p = rec(kit.resolve(kit.resources[id].Properties ?? {}));
  const name = kit.naming.name(id);
  const attachments = (['Roles', 'Users', 'Groups'] as const).reduce((n, k) => n + list(p[k]).length, 0);
  return {
    logicalId: id,
    from: [],
    ci: envelope(kit, {
      logicalId: id,
      resourceType: 'AWS::IAM::Policy',
      resourceName: name,
      global: true,
      configuration: {
        policyName: name,
        policyId: `ANPA${id
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, '')
          .slice(0, 17)}`,
        arn: kit.naming.arn(id),
        path: typeof p.Path === 'string' ? p.Path : '/',
        defaultVersionId: 'v1',
        attachmentCount: attachments,
        isAttachable: true,
        policyVersionList: [{ document: urlEncodedPolicy(p.PolicyDocument), versionId: 'v1', isDefaultVersion: true }],
      },
    }),
  };
}

/**
 * An `AWS::IAM::Policy` attached to roles, users or groups that are not in the template (names passed in):
 * Config records its document on each of them, so it is judged as an item of the target's type holding that
 * one inline policy, named by the policy's logical id (the target's other policies are not known here).
 */
export function buildExternalTargets(kit: BuildKit, id: string): BuiltItem[] {
  const raw = kit.resources[id].Properties ?? {};
  const p = rec(kit.resolve(raw));
  const inTemplate = (target: unknown) =>
    referencedIds(kit, target).some((rid) => isIdentityType(kit.resources[rid].Type));
  const out: BuiltItem[] = [];
  for (const [type, kind] of Object.entries(KINDS) as [IdentityType, (typeof KINDS)[IdentityType]][]) {
    const rawTargets = list(raw[kind.attachProp]);
    list(p[kind.attachProp]).forEach((target, n) => {
      if (inTemplate(rawTargets[n])) return;
      const name = String(target);
      const configuration: Record<string, unknown> = {
        [kind.nameKey]: name,
        [kind.list]: [{ policyName: String(p.PolicyName ?? id), policyDocument: urlEncodedPolicy(p.PolicyDocument) }],
        attachedManagedPolicies: [],
      };
      out.push({
        logicalId: id,
        from: [],
        ci: envelope(kit, {
          logicalId: rawTargets.length > 1 ? `${id}/${name}` : id,
          resourceType: type,
          resourceName: name,
          arn: `arn:${kit.target.partition}:iam::${kit.target.accountId}:${type.split('::')[2].toLowerCase()}/${name}`,
          global: true,
          configuration,
        }),
      });
    });
  }
  return out;
}
