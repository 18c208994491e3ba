import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GrantFacts } from '../../../rules/kms-keys-not-shared/grants';
import { type KeyFacts, kmsKeysNotShared } from '../../../rules/kms-keys-not-shared/rule';
import {
  type ClientConstructor,
  type Evaluation,
  type RuleContext,
  collectEvaluations,
  evaluateItem,
  evaluateWithFacts,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';
import { deepFreeze } from '../../fixtures/events/config-events';
import { FakeClient, awsError, captureLogger } from '../../fixtures/events/fakes';

const OWNER = '111122223333';
const PARTNER = '444455556666';
const STRANGER = '777788889999';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ORG = 'o-a1b2c3d4e5';

type Statement = Record<string, unknown>;

const rootStatement: Statement = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
  Action: 'kms:*',
  Resource: '*',
};

/** A KMS key CI in the event form: pretty-printed JSON-string policy, lower-case `awsaccountId`. */
function keyEvent(statements: Statement[] | string | undefined, keyManager: 'AWS' | 'CUSTOMER' = 'CUSTOMER') {
  const policy =
    typeof statements === 'string'
      ? statements
      : statements && JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: statements }, null, 2);
  return deepFreeze({
    configurationItemVersion: '1.3',
    awsAccountId: OWNER,
    configurationItemCaptureTime: '2026-11-20T10:15:30.000Z',
    configurationItemStatus: 'OK',
    configurationStateId: 1700000000000,
    configurationStateMd5Hash: '',
    ARN: `arn:aws:kms:us-east-1:${OWNER}:key/${KEY_ID}`,
    resourceType: 'AWS::KMS::Key',
    resourceId: KEY_ID,
    awsRegion: 'us-east-1',
    availabilityZone: 'Not Applicable',
    resourceCreationTime: '2026-01-10T08:00:00.000Z',
    tags: {},
    relatedEvents: [],
    relationships: [],
    configuration: {
      awsaccountId: OWNER,
      keyId: KEY_ID,
      arn: `arn:aws:kms:us-east-1:${OWNER}:key/${KEY_ID}`,
      creationDate: 1768032000000,
      enabled: true,
      description: 'ks test key',
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: 'Enabled',
      origin: 'AWS_KMS',
      keyManager,
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      multiRegion: false,
    },
    supplementaryConfiguration: {
      ...(policy !== undefined ? { Policy: policy } : {}),
      KeyRotationStatus: true,
      Tags: [],
    },
  });
}

/**
 * The same CI in the API form (GetResourceConfigHistory, the oversized path): renamed fields, `configuration` a
 * JSON string, every supplementary value a JSON string. The policy is already a string in the event form, so the
 * API form holds it either as that string (`asIs`) or JSON-encoded once more (`encoded`); both are accepted.
 */
function apiForm(event: Record<string, unknown>, policy: 'asIs' | 'encoded'): Record<string, unknown> {
  const { awsAccountId, ARN, configurationItemVersion, configurationStateMd5Hash, configuration, ...rest } = event;
  const sc = event.supplementaryConfiguration as Record<string, unknown>;
  return deepFreeze({
    ...rest,
    accountId: awsAccountId,
    arn: ARN,
    version: configurationItemVersion,
    configurationItemMD5Hash: configurationStateMd5Hash,
    configurationStateId: String(event.configurationStateId),
    configuration: JSON.stringify(configuration),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(sc).map(([k, v]) => [
        k,
        k === 'Policy' && policy === 'asIs' && typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ),
  });
}

type Form = 'event' | 'api' | 'api-encoded';
const FORMS: Form[] = ['event', 'api', 'api-encoded'];

function keyItem(
  statements: Statement[] | string | undefined,
  keyManager: 'AWS' | 'CUSTOMER' = 'CUSTOMER',
  form: Form = 'event',
) {
  const event = keyEvent(statements, keyManager);
  if (form === 'event') return normalizeConfigurationItem(event);
  return normalizeConfigurationItem(apiForm(event, form === 'api' ? 'asIs' : 'encoded'));
}

const params = (raw: Record<string, unknown> = {}) =>
  parseRuleParameters(kmsKeysNotShared.meta.parameters, raw, kmsKeysNotShared.meta.id);

const run = (
  statements: Statement[] | string | undefined,
  o: {
    params?: Record<string, unknown>;
    grants?: GrantFacts[];
    keyManager?: 'AWS' | 'CUSTOMER';
    facts?: KeyFacts;
    form?: Form;
  } = {},
): Evaluation =>
  evaluateWithFacts(kmsKeysNotShared, keyItem(statements, o.keyManager, o.form), params(o.params), {
    grants: o.grants ?? [],
    ...o.facts,
  })[0];

const codes = (e: Evaluation) => [e.compliance, e.findings.map((f) => f.code)];

/** The policy AWS puts on AWS-managed keys (here aws/lambda). */
const awsManagedStatements: Statement[] = [
  {
    Sid: 'Allow access through AWS Lambda for all principals in the account that are authorized to use AWS Lambda',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:CreateGrant',
      'kms:DescribeKey',
    ],
    Resource: '*',
    Condition: { StringEquals: { 'kms:CallerAccount': OWNER, 'kms:ViaService': 'lambda.us-east-1.amazonaws.com' } },
  },
  {
    Sid: 'Allow direct access to key metadata to the account',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
    Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
    Resource: '*',
  },
];

const use = (
  principal: unknown,
  condition?: Record<string, unknown>,
  action: unknown = ['kms:Decrypt', 'kms:GenerateDataKey*'],
) => ({
  Sid: 'Use',
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  Resource: '*',
  ...(condition ? { Condition: condition } : {}),
});

describe('kms-keys-not-shared on key policies', () => {
  it.each<[string, Statement[] | string, Record<string, unknown>, unknown[]]>([
    ['accepts the default key policy', [rootStatement], {}, ['COMPLIANT', []]],
    ['accepts the AWS-managed key policy shape on a customer key', awsManagedStatements, {}, ['COMPLIANT', []]],
    [
      'accepts a key shared with a trusted account',
      [rootStatement, use({ AWS: `arn:aws:iam::${PARTNER}:root` })],
      { trustedAccountIds: PARTNER },
      ['COMPLIANT', []],
    ],
    [
      'flags use by an untrusted account',
      [rootStatement, use({ AWS: `arn:aws:iam::${PARTNER}:role/reader` })],
      {},
      ['NON_COMPLIANT', ['external-key-access']],
    ],
    [
      'accepts Principal "*" with kms:CallerAccount fixed to this account',
      [rootStatement, use('*', { StringEquals: { 'kms:CallerAccount': OWNER } })],
      {},
      ['COMPLIANT', []],
    ],
    [
      'flags Principal "*" without a condition',
      [rootStatement, use('*')],
      {},
      ['NON_COMPLIANT', ['public-key-access']],
    ],
    [
      'flags Principal "*" restricted only by kms:ViaService',
      [rootStatement, use({ AWS: '*' }, { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } })],
      {},
      ['NON_COMPLIANT', ['public-key-access']],
    ],
    [
      'flags Principal "*" with kms:CallerAccount of an untrusted account',
      [rootStatement, use('*', { StringEquals: { 'kms:CallerAccount': STRANGER } })],
      {},
      ['NON_COMPLIANT', ['external-key-access']],
    ],
    [
      'accepts Principal "*" with aws:PrincipalOrgID of a trusted organization',
      [rootStatement, use('*', { StringEquals: { 'aws:PrincipalOrgID': ORG } })],
      { trustedOrganizationIds: ORG },
      ['COMPLIANT', []],
    ],
    [
      'flags Principal "*" with kms:CallerAccount under StringEqualsIfExists',
      [rootStatement, use('*', { StringEqualsIfExists: { 'kms:CallerAccount': OWNER } })],
      {},
      ['NON_COMPLIANT', ['public-key-access']],
    ],
    [
      'flags administration by an untrusted account',
      [rootStatement, use({ AWS: STRANGER }, undefined, 'kms:*')],
      {},
      ['NON_COMPLIANT', ['external-key-admin']],
    ],
    [
      'treats an unconstrained CreateGrant as administration',
      [rootStatement, use({ AWS: `arn:aws:iam::${PARTNER}:root` }, undefined, 'kms:CreateGrant')],
      {},
      ['NON_COMPLIANT', ['external-key-admin']],
    ],
    [
      'treats the console\'s "attachment of persistent resources" statement (CreateGrant for AWS resources) as use',
      [
        rootStatement,
        use({ AWS: `arn:aws:iam::${PARTNER}:root` }, { Bool: { 'kms:GrantIsForAWSResource': 'true' } }, [
          'kms:CreateGrant',
          'kms:ListGrants',
        ]),
      ],
      {},
      ['NON_COMPLIANT', ['external-key-access']],
    ],
    [
      'flags an Allow with NotPrincipal as public',
      [
        rootStatement,
        { Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 'kms:Decrypt', Resource: '*' },
      ],
      {},
      ['NON_COMPLIANT', ['public-key-access']],
    ],
    [
      'ignores Deny statements and non-KMS actions',
      [
        rootStatement,
        { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' },
        use('*', undefined, 's3:GetObject'),
      ],
      {},
      ['COMPLIANT', []],
    ],
    [
      'accepts a service principal scoped to this account with aws:SourceAccount',
      [
        rootStatement,
        use(
          { Service: 'cloudtrail.amazonaws.com' },
          { StringEquals: { 'aws:SourceAccount': OWNER } },
          'kms:GenerateDataKey*',
        ),
      ],
      {},
      ['COMPLIANT', []],
    ],
    [
      'flags a service principal acting for an untrusted account',
      [
        rootStatement,
        use(
          { Service: 'cloudtrail.amazonaws.com' },
          { StringLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${STRANGER}:trail/*` } },
          'kms:GenerateDataKey*',
        ),
      ],
      {},
      ['NON_COMPLIANT', ['external-key-access']],
    ],
    [
      'accepts Principal "*" with aws:PrincipalAccount fixed to a trusted account',
      [rootStatement, use('*', { StringEquals: { 'aws:PrincipalAccount': [OWNER, PARTNER] } })],
      { trustedAccountIds: PARTNER },
      ['COMPLIANT', []],
    ],
    [
      'flags Principal "*" with aws:PrincipalAccount of an untrusted account',
      [rootStatement, use('*', { StringEquals: { 'aws:PrincipalAccount': STRANGER } })],
      {},
      ['NON_COMPLIANT', ['external-key-access']],
    ],
    ['reports a policy that cannot be decoded', '{"Statement": [', {}, ['NON_COMPLIANT', ['malformed-policy']]],
    [
      'reports a policy whose statement is not an object',
      JSON.stringify({ Version: '2012-10-17', Statement: ['kms:*'] }),
      {},
      ['NON_COMPLIANT', ['malformed-policy']],
    ],
  ])('%s', (_name, statements, p, expected) => {
    for (const form of FORMS)
      expect([form, ...codes(run(statements, { params: p, form }))]).toEqual([form, ...expected]);
  });

  it.each(FORMS)('reports AWS-managed keys NOT_APPLICABLE (%s form)', (form) => {
    const e = run(awsManagedStatements, { keyManager: 'AWS', form });
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toBe('AWS-managed key: AWS owns its policy and grants.');
  });

  it.each(FORMS)('reports a deleted key NOT_APPLICABLE (%s form)', (form) => {
    const deleted = { ...keyEvent([rootStatement]), configurationItemStatus: 'ResourceDeleted', configuration: null };
    const item = normalizeConfigurationItem(form === 'event' ? deleted : apiForm(deleted, 'asIs'));
    const [e] = evaluateWithFacts(kmsKeysNotShared, item, params(), { grants: [] });
    expect([e.compliance, e.annotation]).toEqual(['NOT_APPLICABLE', 'The resource was deleted.']);
  });

  it('never puts the policy text in a malformed-policy finding', () => {
    const e = run('{"Statement": [{"Sid": "SECRET-POLICY-MARKER", "Effect": ', { form: 'api-encoded' });
    expect(codes(e)).toEqual(['NON_COMPLIANT', ['malformed-policy']]);
    expect(JSON.stringify(e)).not.toContain('SECRET-POLICY-MARKER');
  });

  it('orders findings most severe first and locates the statement', () => {
    const e = run([rootStatement, use({ AWS: PARTNER }), use('*')]);
    expect(e.findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['public-key-access', 'critical', 'supplementaryConfiguration.Policy.Statement[2]'],
      ['external-key-access', 'high', 'supplementaryConfiguration.Policy.Statement[1]'],
    ]);
  });

  it('judges the policy read by gather when the item has none, and fails closed when there is none', () => {
    const policy = JSON.stringify({ Statement: [use('*')] });
    expect(codes(run(undefined, { facts: { policy } }))).toEqual(['NON_COMPLIANT', ['public-key-access']]);
    expect(codes(run(undefined))).toEqual(['NON_COMPLIANT', ['key-policy-unavailable']]);
  });
});

describe('kms-keys-not-shared on grants', () => {
  const grant = (o: Partial<GrantFacts>): GrantFacts => ({
    grantId: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12',
    operations: ['Decrypt', 'GenerateDataKey'],
    ...o,
  });

  it.each<[string, GrantFacts[], Record<string, unknown>, unknown[]]>([
    [
      'accepts grants to this account and to services',
      [
        grant({ granteePrincipal: `arn:aws:iam::${OWNER}:role/app` }),
        grant({ granteePrincipal: 'rds.us-east-1.amazonaws.com' }),
      ],
      {},
      ['COMPLIANT', []],
    ],
    [
      'flags a grant to another account',
      [grant({ granteePrincipal: `arn:aws:iam::${STRANGER}:role/x` })],
      {},
      ['NON_COMPLIANT', ['external-grant']],
    ],
    [
      'accepts a grant to a trusted account',
      [grant({ granteePrincipal: PARTNER })],
      { trustedAccountIds: PARTNER },
      ['COMPLIANT', []],
    ],
    [
      'flags a retiring principal in another account',
      [
        grant({
          granteePrincipal: `arn:aws:iam::${OWNER}:role/app`,
          retiringPrincipal: `arn:aws:iam::${STRANGER}:root`,
        }),
      ],
      {},
      ['NON_COMPLIANT', ['external-grant']],
    ],
    [
      'flags a grantee that names no account',
      [grant({ granteePrincipal: '*' })],
      {},
      ['NON_COMPLIANT', ['external-grant']],
    ],
  ])('%s', (_name, grants, p, expected) => {
    expect(codes(run([rootStatement], { grants, params: p }))).toEqual(expected);
  });

  it('says in the annotation that grants were not checked when they could not be read', () => {
    const compliant = evaluateWithFacts(kmsKeysNotShared, keyItem([rootStatement]), params(), {})[0];
    expect(compliant.annotation).toMatch(/grants were not checked/);
    const failing = evaluateWithFacts(kmsKeysNotShared, keyItem([rootStatement, use('*')]), params(), {})[0];
    expect(failing.compliance).toBe('NON_COMPLIANT');
    expect(failing.annotation).toMatch(/grants were not checked/);
    expect(failing.annotation.length).toBeLessThanOrEqual(256);
  });
});

/** A RuleContext whose KMS client is a fake. */
function fakeContext(kms: FakeClient, offline = false) {
  const log = captureLogger();
  const ctx: RuleContext = {
    mode: offline ? 'snapshot' : 'lambda',
    accountId: OWNER,
    region: 'us-east-1',
    logger: log.logger,
    offline,
    keys: { describe: async () => undefined },
    invokedAt: new Date('2026-11-20T12:00:00Z'),
    client<T>(_ctor: ClientConstructor<T>): T {
      if (offline) throw new Error('offline');
      return kms as unknown as T;
    },
  };
  return { ctx, log };
}

describe('kms-keys-not-shared reads', () => {
  it('reads grants page by page in gather, and the policy with PolicyName "default" only when the item lacks it', async () => {
    const kms = new FakeClient({
      GetKeyPolicy: () => ({ Policy: JSON.stringify({ Statement: [rootStatement] }) }),
      ListGrants: (input) =>
        input.Marker
          ? { Grants: [{ GrantId: 'g2', GranteePrincipal: `arn:aws:iam::${STRANGER}:root`, Operations: ['Decrypt'] }] }
          : {
              Grants: [{ GrantId: 'g1', GranteePrincipal: `arn:aws:iam::${OWNER}:root` }],
              Truncated: true,
              NextMarker: 'n1',
            },
    });
    const { ctx } = fakeContext(kms);
    const [e] = await evaluateItem(kmsKeysNotShared, keyItem(undefined), params(), ctx);
    expect(codes(e)).toEqual(['NON_COMPLIANT', ['external-grant']]);
    expect(kms.inputs('GetKeyPolicy')).toEqual([{ KeyId: KEY_ID, PolicyName: 'default' }]);
    expect(kms.inputs('ListGrants').map((i) => i.Marker)).toEqual([undefined, 'n1']);

    const again = new FakeClient({ ListGrants: () => ({ Grants: [] }) });
    await evaluateItem(kmsKeysNotShared, keyItem([rootStatement]), params(), fakeContext(again).ctx);
    expect(again.calls.map((c) => c.operation)).toEqual(['ListGrants']);
  });

  it('calls nothing on a snapshot file', async () => {
    const [e] = await evaluateItem(
      kmsKeysNotShared,
      keyItem([rootStatement]),
      params(),
      fakeContext(new FakeClient(), true).ctx,
    );
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(/grants were not checked/);
  });

  it('collects every customer-managed key, skipping AWS-managed ones, and reports an unreadable key as an error', async () => {
    const kms = new FakeClient({
      ListKeys: (input) =>
        input.Marker
          ? { Keys: [{ KeyId: 'k3' }] }
          : { Keys: [{ KeyId: 'k1' }, { KeyId: 'k2' }], Truncated: true, NextMarker: 'm' },
      DescribeKey: (input) => {
        if (input.KeyId === 'k3') throw awsError('AccessDeniedException', 400);
        return {
          KeyMetadata: {
            KeyId: input.KeyId,
            KeyManager: input.KeyId === 'k2' ? 'AWS' : 'CUSTOMER',
            AWSAccountId: OWNER,
          },
        };
      },
      GetKeyPolicy: () => ({ Policy: JSON.stringify({ Statement: [use('*')] }) }),
      ListGrants: () => ({ Grants: [] }),
    });
    const out = await collectEvaluations(kmsKeysNotShared, params(), fakeContext(kms).ctx);
    expect(out.map((e) => [e.resourceId, ...codes(e)])).toEqual([
      ['k1', 'NON_COMPLIANT', ['public-key-access']],
      ['k3', 'NON_COMPLIANT', ['evaluation-error']],
    ]);
  });
});

describe('kms-keys-not-shared metadata', () => {
  it('declares every API its collection calls in meta.permissions', async () => {
    const kms = new FakeClient({
      ListKeys: () => ({ Keys: [{ KeyId: 'k1' }] }),
      DescribeKey: () => ({ KeyMetadata: { KeyId: 'k1', KeyManager: 'CUSTOMER', AWSAccountId: OWNER } }),
      ListResourceTags: () => ({ Tags: [{ TagKey: 'team', TagValue: 'x' }] }),
      GetKeyPolicy: () => ({ Policy: JSON.stringify({ Statement: [rootStatement] }) }),
      ListGrants: () => ({ Grants: [] }),
    });
    await collectEvaluations(kmsKeysNotShared, params({ exemptTag: 'ward:exempt' }), fakeContext(kms).ctx);
    const called = [...new Set(kms.calls.map((c) => `kms:${c.operation}`))].sort();
    expect(called).toEqual([...kmsKeysNotShared.meta.permissions].sort());
  });

  it('honours the exemption tag in the periodic path', async () => {
    const kms = new FakeClient({
      ListKeys: () => ({ Keys: [{ KeyId: 'k1' }] }),
      DescribeKey: () => ({ KeyMetadata: { KeyId: 'k1', KeyManager: 'CUSTOMER', AWSAccountId: OWNER } }),
      ListResourceTags: () => ({ Tags: [{ TagKey: 'ward:exempt', TagValue: 'shared-by-design' }] }),
    });
    const out = await collectEvaluations(kmsKeysNotShared, params({ exemptTag: 'ward:exempt' }), fakeContext(kms).ctx);
    expect(out.map((e) => [e.resourceId, e.compliance])).toEqual([['k1', 'NOT_APPLICABLE']]);
  });

  it('documents every finding code in its README', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'rules', 'kms-keys-not-shared', 'README.md'), 'utf8');
    for (const code of Object.keys(kmsKeysNotShared.meta.findingCodes)) expect(readme).toContain(`\`${code}\``);
  });
});
