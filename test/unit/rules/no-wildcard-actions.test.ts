import type { NoWildcardFacts } from '../../../rules/no-wildcard-actions/gather';
import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import {
  evaluateWithFacts,
  normalizeConfigurationItem,
  parseRuleParameters,
  type Evaluation,
} from '../../../rules/runtime';
import {
  allow,
  apiForm,
  deepFreeze,
  doc,
  type Doc,
  group,
  policy,
  rfc3986,
  role,
  user,
} from './no-wildcard-actions.fixtures';

const ADMIN = { policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
const POWER = { policyName: 'PowerUserAccess', policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' };
const READONLY = { policyName: 'ReadOnlyAccess', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
const NEW_MANAGED = { policyName: 'BrandNewPolicy', policyArn: 'arn:aws:iam::aws:policy/BrandNewPolicy' };
const CUSTOMER = { policyName: 'Admins', policyArn: 'arn:aws:iam::111122223333:policy/Admins' };

function run(raw: Doc, params: Record<string, unknown> = {}, facts?: NoWildcardFacts): Evaluation {
  const item = normalizeConfigurationItem(deepFreeze(raw));
  const parsed = parseRuleParameters(noWildcardActions.meta.parameters, params, noWildcardActions.meta.id);
  const out = evaluateWithFacts(noWildcardActions, item, parsed, facts as NoWildcardFacts);
  expect(out).toHaveLength(1);
  return out[0];
}

const codes = (e: Evaluation) => e.findings.map((f) => f.code);

/** Every case twice: the event form, and the API form the oversized path reads (JSON-string configuration). */
function bothForms<T extends [string, Doc, ...unknown[]]>(cases: T[]): T[] {
  return cases.flatMap(([name, item, ...rest]) => [
    [`${name} (event form)`, item, ...rest] as T,
    [`${name} (API form)`, apiForm(item), ...rest] as T,
  ]);
}

describe('no-wildcard-actions on customer-managed policies (default version only)', () => {
  it.each<[string, Doc, string[]]>(
    bothForms([
      ['flags Action "*" on Resource "*" as full-admin', policy('p', doc(allow('*'))), ['full-admin']],
      [
        'flags a Statement given as an object with Action as a string',
        policy('p', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }),
        ['full-admin'],
      ],
      ['flags "*:*" as full-admin', policy('p', doc(allow('*:*'))), ['full-admin']],
      ['flags an all-wildcard ARN as every resource', policy('p', doc(allow('*', 'arn:aws:*:*:*:*'))), ['full-admin']],
      ['flags "arn:*:*:*:*:*" as every resource', policy('p', doc(allow(['*'], ['arn:*:*:*:*:*']))), ['full-admin']],
      [
        'flags Allow NotAction on "*" as not-action-allow',
        policy('p', doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })),
        ['not-action-allow'],
      ],
      [
        'flags mixed-case "S3:*" as a service wildcard that also reaches permissions management',
        policy('p', doc(allow('S3:*'))),
        ['sensitive-wildcard', 'service-wildcard'],
      ],
      [
        'flags "ec2:*" as service-wildcard',
        policy('p', doc(allow(['ec2:*']))),
        ['sensitive-wildcard', 'service-wildcard'],
      ],
      ['flags "kinesis:*" as a service wildcard', policy('p', doc(allow('kinesis:*'))), ['service-wildcard']],
      [
        'flags "iam:Put*" (every put-policy action) as admin-equivalent',
        policy('p', doc(allow('iam:Put*'))),
        ['admin-equivalent'],
      ],
      [
        'flags iam:CreatePolicyVersion on every resource as admin-equivalent',
        policy('p', doc(allow('iam:CreatePolicyVersion'))),
        ['admin-equivalent'],
      ],
      [
        'flags the three attach-policy actions written out as admin-equivalent',
        policy('p', doc(allow(['iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy']))),
        ['admin-equivalent'],
      ],
      [
        'flags "iam:*" as admin-equivalent besides service-wildcard',
        policy('p', doc(allow('iam:*'))),
        ['admin-equivalent', 'service-wildcard'],
      ],
      [
        'flags "iam:PutRolePolicy" alone (not the whole set) as sensitive-wildcard only when written as a wildcard',
        policy('p', doc(allow('iam:PutRole*'))),
        ['sensitive-wildcard'],
      ],
      [
        'flags "iam:Pass*" (iam:PassRole) as sensitive-wildcard',
        policy('p', doc(allow('iam:Pass*'))),
        ['sensitive-wildcard'],
      ],
      [
        'flags Action "*" with NotResource as not-resource-allow',
        policy('p', doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::audit-logs/*' })),
        ['not-resource-allow'],
      ],
      [
        'flags NotAction with NotResource as not-resource-allow',
        policy('p', doc({ Effect: 'Allow', NotAction: 'iam:*', NotResource: ['arn:aws:s3:::audit-logs'] })),
        ['not-resource-allow'],
      ],
      [
        'reports the most severe finding of each statement first',
        policy('p', doc(allow('s3:*'), allow('*'))),
        ['full-admin', 'sensitive-wildcard', 'service-wildcard'],
      ],
    ]),
  )('%s', (_name, item, expected) => {
    const e = run(item);
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(codes(e)).toEqual(expected);
  });

  it.each<[string, Doc]>(
    bothForms([
      ['accepts Deny "*" on "*"', policy('p', doc({ Effect: 'Deny', Action: '*', Resource: '*' }))],
      ['accepts "*" on one bucket', policy('p', doc(allow('*', 'arn:aws:s3:::reports/*')))],
      ['accepts "s3:*" on named buckets', policy('p', doc(allow('s3:*', ['arn:aws:s3:::a', 'arn:aws:s3:::a/*'])))],
      ['accepts read-only wildcards on "*"', policy('p', doc(allow(['s3:Get*', 'ec2:Describe*', 'iam:List*'])))],
      [
        'accepts iam:PassRole named without a wildcard',
        policy('p', doc(allow('iam:PassRole', 'arn:aws:iam::111122223333:role/app'))),
      ],
      ['accepts an ARN pattern with an empty region', policy('p', doc(allow('*', 'arn:aws:*::*:*')))],
      [
        'accepts NotResource "*" (excludes everything)',
        policy('p', doc({ Effect: 'Allow', Action: '*', NotResource: '*' })),
      ],
      [
        'accepts NotAction "*" (excludes everything)',
        policy('p', doc({ Effect: 'Allow', NotAction: '*', Resource: '*' })),
      ],
      [
        'ignores a non-default version holding "*"',
        policy('p', doc(allow('s3:GetObject', 'arn:aws:s3:::a/*')), { dormant: [doc(allow('*'))] }),
      ],
    ]),
  )('%s', (_name, item) => {
    const e = run(item);
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(/^No wildcard grants on every resource in 1 policy\.$/);
  });

  it('says a conditional statement is still flagged, and names its Sid', () => {
    const e = run(
      policy(
        'Breakglass',
        doc(allow('*', '*', { Sid: 'BreakGlass', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })),
      ),
    );
    expect(codes(e)).toEqual(['full-admin']);
    expect(e.annotation).toBe(
      'policy "Breakglass" v1 statement "BreakGlass" allows every action (*) on every resource (conditional)',
    );
    expect(e.findings[0]?.path).toBe('configuration.policyVersionList[0].document.Statement[0]');
  });

  it('names a statement without Sid by its index', () => {
    const e = run(policy('p', doc(allow('s3:GetObject', 'arn:aws:s3:::a/*'), allow('iam:*'))));
    expect(e.annotation).toMatch(
      /^policy "p" v1 statement #1 allows iam:\* on every resource: iam:PutUserPolicy, iam:PutRolePolicy, iam:PutGroupPolicy let a principal grant itself any permission/,
    );
  });

  it('judges the API form (oversized path) like the event form', () => {
    const item = policy('p', doc(allow('*')), { dormant: [doc(allow('s3:GetObject', 'arn:aws:s3:::a/*'))] });
    expect(run(apiForm(item))).toEqual(run(item));
  });

  it('reports a default version it cannot find as malformed-policy', () => {
    const item = policy('p', doc(allow('*'))) as { configuration: Doc };
    const broken = {
      ...item,
      configuration: {
        ...item.configuration,
        defaultVersionId: 'v9',
        policyVersionList: [{ versionId: 'v1', isDefaultVersion: false, document: rfc3986(doc(allow('*'))) }],
      },
    };
    const e = run(broken);
    expect(codes(e)).toEqual(['malformed-policy']);
    expect(e.findings[0]?.path).toBe('configuration.policyVersionList');
  });

  it.each([
    ['invalid URL encoding', '%7B%22Statement%22%3A%5B%E0%A4%A'],
    ['truncated JSON', rfc3986('{"Statement": [')],
    ['an unknown Effect', rfc3986(doc({ Effect: 'Maybe', Action: '*', Resource: '*' }))],
  ])('reports %s as malformed-policy with its location, not an exception', (_name, raw) => {
    const e = run(policy('p', raw));
    expect(codes(e)).toEqual(['malformed-policy']);
    expect(e.findings[0]?.path).toBe('configuration.policyVersionList[0].document');
  });

  it('reports a policy used only as a permissions boundary as NOT_APPLICABLE', () => {
    const item = policy('Boundary', doc(allow('*')), { attachmentCount: 0, permissionsBoundaryUsageCount: 3 });
    expect(run(item)).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/permissions boundary/),
    });
    expect(codes(run(item, { excludePermissionBoundaryPolicies: 'false' }))).toEqual(['full-admin']);
  });

  it('judges a boundary policy that is also attached', () => {
    const item = policy('Both', doc(allow('*')), { attachmentCount: 1, permissionsBoundaryUsageCount: 1 });
    expect(codes(run(item))).toEqual(['full-admin']);
  });

  it('accepts service wildcards listed in allowedServiceWildcards, in either spelling', () => {
    const item = policy('p', doc(allow(['S3:*', 'kinesis:*'])));
    expect(run(item, { allowedServiceWildcards: 's3,kinesis:*' }).compliance).toBe('COMPLIANT');
    expect(codes(run(item, { allowedServiceWildcards: 'kinesis' }))).toEqual([
      'sensitive-wildcard',
      'service-wildcard',
    ]);
  });

  it('reports a policy listed in exemptPolicyArns as NOT_APPLICABLE with the reason', () => {
    const e = run(policy('Admins', doc(allow('*'))), { exemptPolicyArns: 'arn:aws:iam::111122223333:policy/Admins' });
    expect(e).toMatchObject({ compliance: 'NOT_APPLICABLE', reason: expect.stringContaining('exemptPolicyArns') });
  });
});

describe('no-wildcard-actions on roles, users and groups', () => {
  it.each<[string, Doc, string[]]>(
    bothForms([
      ['flags a URL-encoded inline role policy', role('app', { inline: [['all', doc(allow('*'))]] }), ['full-admin']],
      [
        'flags a URL-encoded inline user policy',
        user('alice', { inline: [['ops', doc(allow('iam:Attach*'))]] }),
        ['admin-equivalent'],
      ],
      [
        'flags a URL-encoded inline group policy',
        group('ops', { inline: [['n', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })]] }),
        ['not-action-allow'],
      ],
      ['flags attached AdministratorAccess', role('admin', { attached: [ADMIN] }), ['attached-admin-policy']],
      ['flags attached PowerUserAccess', user('bob', { attached: [POWER] }), ['attached-admin-policy']],
      [
        'flags attached AdministratorAccess in another partition',
        group('g', { attached: [{ ...ADMIN, policyArn: 'arn:aws-cn:iam::aws:policy/AdministratorAccess' }] }),
        ['attached-admin-policy'],
      ],
      [
        'orders the attached admin policy before a service wildcard',
        role('mixed', { inline: [['logs', doc(allow('kinesis:*'))]], attached: [READONLY, ADMIN] }),
        ['attached-admin-policy', 'service-wildcard'],
      ],
      [
        'reports a malformed inline policy and still judges the others',
        role('r', {
          inline: [
            ['bad', '%7B%22Statement'],
            ['good', doc(allow('*'))],
          ],
        }),
        ['full-admin', 'malformed-policy'],
      ],
    ]),
  )('%s', (_name, item, expected) => {
    const e = run(item);
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(codes(e)).toEqual(expected);
  });

  it.each<[string, Doc]>(
    bothForms([
      ['accepts an empty inline list', role('empty')],
      ['accepts attached ReadOnlyAccess', role('reader', { attached: [READONLY] })],
      ['leaves attached customer-managed policies to their own items', role('c', { attached: [CUSTOMER] })],
      [
        'accepts a scoped inline policy',
        user('u', { inline: [['s3', doc(allow('s3:GetObject', 'arn:aws:s3:::a/*'))]] }),
      ],
    ]),
  )('%s', (_name, item) => {
    expect(run(item).compliance).toBe('COMPLIANT');
  });

  it('judges the API form of a role like the event form', () => {
    const item = role('app', { inline: [['all', doc(allow('*'))]], attached: [ADMIN] });
    expect(run(apiForm(item))).toEqual(run(item));
  });

  it('names the inline policy, statement and path in the finding', () => {
    const e = run(
      role('app', {
        inline: [
          [
            'deploy',
            doc(
              allow('s3:GetObject', 'arn:aws:s3:::a/*'),
              allow('iam:PassRole', '*'),
              allow('*', '*', { Sid: 'Everything' }),
            ),
          ],
        ],
      }),
    );
    expect(e.findings).toEqual([
      {
        code: 'full-admin',
        message: 'inline policy "deploy" statement "Everything" allows every action (*) on every resource',
        path: 'configuration.rolePolicyList[0].policyDocument.Statement[2]',
        severity: 'critical',
      },
    ]);
  });

  it('ignores attached policies listed in exemptPolicyArns', () => {
    expect(run(role('admin', { attached: [ADMIN] }), { exemptPolicyArns: [ADMIN.policyArn] }).compliance).toBe(
      'COMPLIANT',
    );
  });

  it('reports a role with the exempt tag as NOT_APPLICABLE', () => {
    const e = run(role('admin', { attached: [ADMIN], tags: { 'ward:exempt': 'breakglass' } }), {
      exemptTag: 'ward:exempt',
    });
    expect(e.compliance).toBe('NOT_APPLICABLE');
  });

  it('judges an unknown AWS-managed policy from the document gather fetched', () => {
    const facts: NoWildcardFacts = {
      fetched: {
        [NEW_MANAGED.policyArn]: {
          document: rfc3986(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })),
          source: 'iam',
        },
      },
      unchecked: {},
    };
    const e = run(role('r', { attached: [NEW_MANAGED] }), {}, facts);
    expect(e.findings).toEqual([
      expect.objectContaining({
        code: 'attached-admin-policy',
        message: expect.stringContaining('BrandNewPolicy grants administrator access (not-action-allow)'),
      }),
    ]);
  });

  it('states which attached policies it could not check instead of silently passing them', () => {
    const facts: NoWildcardFacts = {
      fetched: {},
      unchecked: { [NEW_MANAGED.policyArn]: 'IAM is not read when scanning a snapshot' },
    };
    const e = run(role('r', { attached: [NEW_MANAGED] }), {}, facts);
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(/^Not checked: BrandNewPolicy \(IAM is not read when scanning a snapshot\)\. /);
    expect(run(role('r', { attached: [NEW_MANAGED] })).annotation).toMatch(
      /^Not checked: BrandNewPolicy \(not in the bundled catalogue\)/,
    );
  });

  it('keeps the annotation within 256 characters with the most severe finding first', () => {
    const long = 'x'.repeat(120);
    const e = run(role('r', { inline: [[long, doc(allow('kinesis:*'), allow('*', '*', { Sid: 'S'.repeat(100) }))]] }));
    expect(e.annotation.length).toBeLessThanOrEqual(256);
    expect(e.annotation.startsWith(`inline policy "${long}" statement "SSS`)).toBe(true);
    expect(codes(e)).toEqual(['full-admin', 'service-wildcard']);
  });
});
