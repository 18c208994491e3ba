/**
 * Real-shaped IAM configuration items (configuration-items.md 3.1-3.4) for no-wildcard-actions tests: documents
 * URL-encoded per RFC 3986 as Config delivers them, in the event form and the API form.
 */

/** Account of every fixture. */
export const ACCOUNT = '111122223333';

/** A policy document as written by people. */
export type Doc = Record<string, unknown>;

/** Percent-encodes like IAM does (RFC 3986: also !'()*), which decodeURIComponent reverses. */
export function rfc3986(doc: Doc | string): string {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Deep-freezes a fixture so no test can change it for another. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const TRUST = rfc3986({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function envelope(resourceType: string, resourceId: string, name: string, arn: string, configuration: Doc): Doc {
  return {
    relatedEvents: [],
    relationships: [],
    configuration,
    supplementaryConfiguration: {},
    tags: {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-20T10:15:30.123Z',
    configurationStateId: 1763633730123,
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType,
    resourceId,
    resourceName: name,
    ARN: arn,
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
    resourceCreationTime: '2026-01-05T08:00:00.000Z',
  };
}

/** An attached managed policy reference. */
export interface Attached {
  readonly policyName: string;
  readonly policyArn: string;
}

/** Options of the role, user and group builders. */
export interface PrincipalOptions {
  readonly inline?: readonly (readonly [string, Doc | string])[];
  readonly attached?: readonly Attached[];
  readonly tags?: Readonly<Record<string, string>>;
}

function inlineList(inline: PrincipalOptions['inline'] = []) {
  return inline.map(([policyName, doc]) => ({
    policyName,
    policyDocument: typeof doc === 'string' ? doc : rfc3986(doc),
  }));
}

/** An AWS::IAM::Role item in the event form. */
export function role(name: string, options: PrincipalOptions = {}): Doc {
  const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const item = envelope('AWS::IAM::Role', `AROA${name.toUpperCase().padEnd(17, 'X')}`, name, arn, {
    path: '/',
    roleName: name,
    roleId: `AROA${name.toUpperCase().padEnd(17, 'X')}`,
    arn,
    createDate: '2026-01-05T08:00:00.000Z',
    assumeRolePolicyDocument: TRUST,
    instanceProfileList: [],
    rolePolicyList: inlineList(options.inline),
    attachedManagedPolicies: [...(options.attached ?? [])],
    permissionsBoundary: null,
    tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value })),
    roleLastUsed: null,
  });
  return { ...item, tags: { ...(options.tags ?? {}) } };
}

/** An AWS::IAM::User item in the event form. */
export function user(name: string, options: PrincipalOptions = {}): Doc {
  const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return envelope('AWS::IAM::User', `AIDA${name.toUpperCase().padEnd(17, 'X')}`, name, arn, {
    path: '/',
    userName: name,
    userId: `AIDA${name.toUpperCase().padEnd(17, 'X')}`,
    arn,
    createDate: '2026-01-05T08:00:00.000Z',
    userPolicyList: inlineList(options.inline),
    groupList: [],
    attachedManagedPolicies: [...(options.attached ?? [])],
    permissionsBoundary: null,
    tags: [],
  });
}

/** An AWS::IAM::Group item in the event form. */
export function group(name: string, options: PrincipalOptions = {}): Doc {
  const arn = `arn:aws:iam::${ACCOUNT}:group/${name}`;
  return envelope('AWS::IAM::Group', `AGPA${name.toUpperCase().padEnd(17, 'X')}`, name, arn, {
    path: '/',
    groupName: name,
    groupId: `AGPA${name.toUpperCase().padEnd(17, 'X')}`,
    arn,
    createDate: '2026-01-05T08:00:00.000Z',
    groupPolicyList: inlineList(options.inline),
    attachedManagedPolicies: [...(options.attached ?? [])],
  });
}

/** Options of the managed-policy builder. */
export interface PolicyOptions {
  /** Older, non-default versions (dormant). */
  readonly dormant?: readonly (Doc | string)[];
  readonly attachmentCount?: number;
  readonly permissionsBoundaryUsageCount?: number;
}

/** An AWS::IAM::Policy (customer-managed) item in the event form; `doc` is the default version. */
export function policy(name: string, doc: Doc | string, options: PolicyOptions = {}): Doc {
  const arn = `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  const id = `ANPA${name.toUpperCase().padEnd(17, 'X')}`;
  const dormant = options.dormant ?? [];
  const defaultVersionId = `v${dormant.length + 1}`;
  return envelope('AWS::IAM::Policy', id, name, arn, {
    policyName: name,
    policyId: id,
    arn,
    defaultVersionId,
    path: '/',
    attachmentCount: options.attachmentCount ?? 1,
    permissionsBoundaryUsageCount: options.permissionsBoundaryUsageCount ?? 0,
    isAttachable: true,
    description: null,
    createDate: '2026-01-05T08:00:00.000Z',
    updateDate: '2026-02-01T09:00:00.000Z',
    policyVersionList: [
      ...dormant.map((d, i) => ({
        document: typeof d === 'string' ? d : rfc3986(d),
        versionId: `v${i + 1}`,
        isDefaultVersion: false,
        createDate: '2026-01-05T08:00:00.000Z',
      })),
      {
        document: typeof doc === 'string' ? doc : rfc3986(doc),
        versionId: defaultVersionId,
        isDefaultVersion: true,
        createDate: '2026-02-01T09:00:00.000Z',
      },
    ],
  });
}

/**
 * The same item in the API form (GetResourceConfigHistory / BatchGetResourceConfig, the oversized path):
 * `configuration` is a JSON string and some fields are renamed.
 */
export function apiForm(eventForm: Doc): Doc {
  const { ARN, awsAccountId, configurationItemVersion, configurationStateMd5Hash, ...rest } = eventForm;
  return {
    ...rest,
    version: configurationItemVersion,
    accountId: awsAccountId,
    arn: ARN,
    configurationItemMD5Hash: configurationStateMd5Hash,
    configurationItemCaptureTime: new Date(String(eventForm.configurationItemCaptureTime)),
    configurationStateId: String(eventForm.configurationStateId),
    configuration: JSON.stringify(eventForm.configuration),
    supplementaryConfiguration: {},
    relationships: [],
  };
}

/** A statement, to keep tables short. */
export function allow(action: unknown, resource: unknown = '*', extra: Doc = {}): Doc {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

/** A document with these statements. */
export function doc(...statements: Doc[]): Doc {
  return { Version: '2012-10-17', Statement: statements };
}
