/**
 * no-privilege-escalation on real-shaped IAM items: effective permissions (attached AWS-managed and
 * customer-managed policies, groups, boundaries, denies), resource scoping (PassRole to a named role,
 * self-service credentials, self-editing), and failing closed on what cannot be read.
 */
import { NO_FACTS } from '../../../rules/no-privilege-escalation/assemble';
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import { FINDING_CODES } from '../../../rules/no-privilege-escalation/codes';
import { parseRuleParameters } from '../../../rules/runtime';
import {
  ACCOUNT,
  allow,
  apiForm,
  codes,
  doc,
  group,
  inGroups,
  methodIds,
  policy,
  rfc3986,
  role,
  roleArn,
  run,
  user,
  withBoundary,
  withField,
} from './no-privilege-escalation.fixtures';

const ADMIN_DOC = doc(allow('*', '*'));
const CUSTOMER_ADMIN = `arn:aws:iam::${ACCOUNT}:policy/break-glass`;
const attach = (policyName: string, policyArn: string) => ({ policyName, policyArn });
const AWS = (name: string) => attach(name, `arn:aws:iam::aws:policy/${name}`);
const LAMBDA_ESCALATION = ['lambda:CreateFunction', 'lambda:InvokeFunction'];

describe('effective administrator access', () => {
  it('flags a role whose attached customer-managed policy allows *:*, naming the policy', () => {
    const item = role('ops', { attached: [attach('break-glass', CUSTOMER_ADMIN)] });
    for (const form of [item, apiForm(item)]) {
      const e = run(form, { documents: { [CUSTOMER_ADMIN]: { document: rfc3986(ADMIN_DOC), source: 'snapshot' } } });
      expect(codes(e)).toEqual(['effective-admin']);
      expect(e.findings[0]?.message).toContain('attached policy "break-glass"');
      expect(e.findings[0]?.path).toBe('configuration.attachedManagedPolicies[0]');
      expect(e.findings[0]?.severity).toBe('critical');
    }
  });

  it('fails closed with unresolved-policy when the attached customer-managed policy was not read', () => {
    const e = run(role('ops', { attached: [attach('break-glass', CUSTOMER_ADMIN)] }));
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(codes(e)).toEqual(['unresolved-policy']);
    expect(e.findings[0]?.message).toContain(CUSTOMER_ADMIN);
  });

  it('flags attached AdministratorAccess from the bundled catalogue, without fetching anything', () => {
    expect(codes(run(role('admin', { attached: [AWS('AdministratorAccess')] })))).toEqual(['effective-admin']);
  });

  it('caps AdministratorAccess with an AWS-managed ReadOnlyAccess boundary: no administrator, no escalation', () => {
    const item = withBoundary(
      role('capped', { attached: [AWS('AdministratorAccess')] }),
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    );
    expect(run(item).compliance).toBe('COMPLIANT');
  });

  it('still reports administrator when a Deny removes actions that grant nothing else, and says so', () => {
    const item = role('admin', {
      inline: [['p', doc(allow('*', '*'), { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' })]],
    });
    const e = run(item);
    expect(codes(e)).toEqual(['effective-admin']);
    expect(e.findings[0]?.message).toContain('less what 1 Deny statement remove');
  });

  it('reports escalation methods instead of administrator when a Deny removes part of *:*', () => {
    const item = role('almost', {
      inline: [['p', doc(allow('*', '*'), { Effect: 'Deny', Action: 'iam:*', Resource: '*' })]],
    });
    const e = run(item);
    expect(codes(e)).not.toContain('effective-admin');
    expect(codes(e)).not.toContain('privilege-escalation-policy-edit');
    expect(codes(e)).toContain('privilege-escalation-code-edit');
  });
});

describe('attached AWS-managed policies and the grants table', () => {
  it('flags IAMFullAccess as policy editing', () => {
    expect(codes(run(role('iam-admin', { attached: [AWS('IAMFullAccess')] })))).toContain(
      'privilege-escalation-policy-edit',
    );
  });

  it('combines an inline iam:PassRole on * with the Lambda actions of AWSLambda_FullAccess', () => {
    const item = role('combo', {
      inline: [['pass', doc(allow('iam:PassRole', '*'))]],
      attached: [AWS('AWSLambda_FullAccess')],
    });
    expect(methodIds(run(item))).toContain('passrole-lambda-invoke');
    expect(methodIds(run(role('alone', { inline: [['pass', doc(allow('iam:PassRole', '*'))]] })))).toEqual([]);
  });

  it('leaves ReadOnlyAccess compliant', () => {
    expect(run(role('reader', { attached: [AWS('ReadOnlyAccess')] })).compliance).toBe('COMPLIANT');
  });
});

describe('iam:PassRole resource scoping', () => {
  const passing = (resource: string) =>
    role('deployer', { inline: [['deploy', doc(allow('iam:PassRole', resource), allow(LAMBDA_ESCALATION, '*'))]] });

  it('defuses PassRole to one named role that is not known to be privileged', () => {
    expect(run(passing(roleArn('app-runtime'))).compliance).toBe('COMPLIANT');
  });

  it('flags PassRole to a named role known to be privileged, naming the role', () => {
    const e = run(passing(roleArn('app-runtime')), {
      privilegedRoles: { [roleArn('app-runtime')]: 'attached policy "AdministratorAccess" allows every action' },
    });
    expect(methodIds(e)).toContain('passrole-lambda-invoke');
    expect(e.findings[0]?.message).toContain(roleArn('app-runtime'));
  });

  it('flags PassRole on every role of the account (role/*)', () => {
    expect(methodIds(run(passing(`arn:aws:iam::${ACCOUNT}:role/*`)))).toContain('passrole-lambda-invoke');
  });

  it('defuses PassRole on a path prefix (role/service-role/*)', () => {
    expect(run(passing(`arn:aws:iam::${ACCOUNT}:role/service-role/*`)).compliance).toBe('COMPLIANT');
  });
});

describe('self-service and self-editing', () => {
  it('accepts iam:CreateAccessKey on ${aws:username} as self-service', () => {
    const item = user('dev', {
      inline: [
        ['keys', doc(allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], 'arn:aws:iam::*:user/${aws:username}'))],
      ],
    });
    expect(run(item).compliance).toBe('COMPLIANT');
  });

  it('flags iam:CreateAccessKey on every user', () => {
    const item = user('dev', { inline: [['keys', doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/*'))]] });
    expect(codes(run(item))).toEqual(['privilege-escalation-credentials']);
  });

  it("flags iam:PutUserPolicy on ${aws:username}: writing one's own policy is escalation", () => {
    const item = user('dev', {
      inline: [['self', doc(allow('iam:PutUserPolicy', 'arn:aws:iam::*:user/${aws:username}'))]],
    });
    expect(methodIds(run(item))).toEqual(['put-user-policy']);
  });

  it('flags iam:PutRolePolicy on the role itself, and not on another named role', () => {
    const self = role('builder', { inline: [['p', doc(allow('iam:PutRolePolicy', roleArn('builder')))]] });
    const other = role('builder', { inline: [['p', doc(allow('iam:PutRolePolicy', roleArn('other')))]] });
    expect(methodIds(run(self))).toEqual(['put-role-policy']);
    expect(run(other).compliance).toBe('COMPLIANT');
  });
});

describe('groups and boundaries', () => {
  const groupArn = `arn:aws:iam::${ACCOUNT}:group/devs`;

  it('judges a user with the policies of its groups, the group counting as itself', () => {
    const item = inGroups(user('dev'), 'devs');
    const facts = {
      groups: {
        devs: {
          arn: groupArn,
          inline: [
            { label: 'inline policy "g"', path: '', document: rfc3986(doc(allow('iam:PutGroupPolicy', groupArn))) },
          ],
          attached: [],
        },
      },
    };
    const e = run(item, facts);
    expect(methodIds(e)).toEqual(['put-group-policy']);
    expect(e.findings[0]?.path).toBe('configuration.groupList[0]');
    expect(e.findings[0]?.message).toContain('group "devs"');
  });

  it('fails closed when a group of the user was not read', () => {
    const e = run(inGroups(user('dev'), 'devs'), {
      unresolved: { 'group/devs': 'the snapshot holds no AWS::IAM::Group item for it' },
    });
    expect(codes(e)).toEqual(['unresolved-policy']);
    expect(e.findings[0]?.message).toContain('no AWS::IAM::Group item');
  });

  it('lets a customer-managed boundary cap iam:* to nothing', () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/s3-only`;
    const item = withBoundary(user('capped', { inline: [['iam', doc(allow('iam:*', '*'))]] }), boundaryArn);
    expect(
      run(item, { documents: { [boundaryArn]: { document: rfc3986(doc(allow('s3:*', '*'))), source: 'iam' } } })
        .compliance,
    ).toBe('COMPLIANT');
    expect(codes(run(item))).toContain('unresolved-policy');
  });

  it('judges a group item on its own policies', () => {
    expect(codes(run(group('admins', { attached: [AWS('IAMFullAccess')] })))).toContain(
      'privilege-escalation-policy-edit',
    );
  });
});

describe('customer-managed policy items', () => {
  it('flags iam:CreatePolicyVersion on every policy in the default version only', () => {
    const item = policy('edit', doc(allow('iam:CreatePolicyVersion', '*')), { dormant: [ADMIN_DOC] });
    expect(methodIds(run(item))).toEqual(['create-policy-version']);
    expect(run(policy('fine', doc(allow('s3:GetObject', '*')), { dormant: [ADMIN_DOC] })).compliance).toBe('COMPLIANT');
  });

  it('flags a *:* policy as effective-admin', () => {
    expect(codes(run(policy('all', ADMIN_DOC)))).toEqual(['effective-admin']);
  });

  it('is NOT_APPLICABLE for a policy used only as a permissions boundary', () => {
    const e = run(policy('boundary', ADMIN_DOC, { attachmentCount: 0, permissionsBoundaryUsageCount: 2 }));
    expect(e.compliance).toBe('NOT_APPLICABLE');
  });
});

describe('failing closed on wrong-typed fields', () => {
  it.each([
    ['attachedManagedPolicies', 'arn:aws:iam::aws:policy/AdministratorAccess', 'configuration.attachedManagedPolicies'],
    ['rolePolicyList', { policyName: 'x' }, 'configuration.rolePolicyList'],
    [
      'attachedManagedPolicies',
      [{ policyName: 'x', policyArn: 42 }],
      'configuration.attachedManagedPolicies[0].policyArn',
    ],
    ['rolePolicyList', [7], 'configuration.rolePolicyList[0]'],
    [
      'permissionsBoundary',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'configuration.permissionsBoundary',
    ],
    [
      'permissionsBoundary',
      { permissionsBoundaryType: 'Policy', permissionsBoundaryArn: 7 },
      'configuration.permissionsBoundary.permissionsBoundaryArn',
    ],
  ])('reports unreadable-configuration when %s is %j', (field, value, path) => {
    for (const form of [withField(role('odd'), field, value), apiForm(withField(role('odd'), field, value))]) {
      const e = run(form);
      expect(e.compliance).toBe('NON_COMPLIANT');
      expect(e.findings.map((f) => [f.code, f.path])).toEqual([['unreadable-configuration', path]]);
    }
  });

  it('reports unreadable-configuration for a group name that is not a string', () => {
    const e = run(withField(user('odd'), 'groupList', [12]));
    expect(e.findings.map((f) => [f.code, f.path])).toEqual([
      ['unreadable-configuration', 'configuration.groupList[0]'],
    ]);
  });

  it('reports malformed-policy for an inline document that is not JSON, and still judges the others', () => {
    const item = role('mixed', {
      inline: [
        ['bad', '%7Bnot-json'],
        ['edit', doc(allow('iam:AttachRolePolicy', '*'))],
      ],
    });
    expect(codes(run(item))).toEqual(['malformed-policy', 'privilege-escalation-policy-edit']);
  });
});

describe('parameters and metadata', () => {
  it('does not report a method listed in exemptMethods', () => {
    const params = parseRuleParameters(
      noPrivilegeEscalation.meta.parameters,
      { exemptMethods: 'update-lambda-code' },
      'no-privilege-escalation',
    );
    const item = role('ci', { inline: [['deploy', doc(allow('lambda:UpdateFunctionCode', '*'))]] });
    expect(run(item, {}, params).compliance).toBe('COMPLIANT');
    expect(run(item).compliance).toBe('NON_COMPLIANT');
  });

  it('sets every finding severity to the severity its code declares', () => {
    expect(noPrivilegeEscalation.meta.findingCodes).toBe(FINDING_CODES);
    const e = run(
      role('many', { inline: [['p', doc(allow(['iam:CreateAccessKey', 'iam:PassRole', 'ec2:RunInstances'], '*'))]] }),
    );
    expect(e.findings.length).toBeGreaterThan(1);
    for (const f of e.findings) expect(f.severity).toBe(FINDING_CODES[f.code as keyof typeof FINDING_CODES].severity);
  });

  it('judges without facts like with empty facts', () => {
    const item = role('x', { inline: [['p', doc(allow('iam:AttachRolePolicy', '*'))]] });
    expect(run(item, NO_FACTS)).toEqual(run(item));
  });
});
