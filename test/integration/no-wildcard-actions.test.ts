/**
 * no-wildcard-actions on IAM data made by the real AWS SDK v3 against moto. moto's IAM configuration items cannot
 * be read through SDK v3's Config client (moto.md: string timestamps), so the items are built the way Config builds
 * them: from GetAccountAuthorizationDetails, whose field names Config's IAM items use in lowerCamel case.
 * Every AWS-managed policy moto knows is in the bundled catalogue, so `gather` never fetches one here: a fetched
 * document is covered by the unit tests (test/unit/rules/no-wildcard-actions-gather.test.ts); here `gather` meets
 * IAM's NoSuchEntity for real.
 */
import {
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { noWildcardActions } from '../../rules/no-wildcard-actions/rule';
import {
  type ConfigurationItem,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../rules/runtime';
import { createRuleContext } from '../../rules/runtime/rule-context';
import { createLogger } from '../../rules/runtime/logger';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

const region = motoRegion(__filename);
const iam = new IAMClient(motoClientConfig(region));
const params = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);
const prefix = uniqueName('nwa');
const names = {
  policy: `${prefix}-ops`,
  role: `${prefix}-deployer`,
  user: `${prefix}-contractor`,
  group: `${prefix}-readers`,
};
const json = (d: unknown) => JSON.stringify(d);
const TRUST = json({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** PascalCase API shapes -> Config's lowerCamel item fields; dates as ISO strings. */
function lowerCamel(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(lowerCamel);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k[0].toLowerCase() + k.slice(1), lowerCamel(x)]),
    );
  }
  return v;
}

function item(resourceType: string, resourceId: string, name: string, arn: string, configuration: unknown) {
  return normalizeConfigurationItem({
    resourceType,
    resourceId,
    resourceName: name,
    ARN: arn,
    awsAccountId: MOTO_ACCOUNT,
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    configurationItemStatus: 'OK',
    configurationItemCaptureTime: new Date().toISOString(),
    configurationItemVersion: '1.3',
    configuration,
    supplementaryConfiguration: {},
    tags: {},
    relationships: [],
  });
}

/** Builds the IAM items of this test's entities from GetAccountAuthorizationDetails (paginated). */
async function items(): Promise<Record<string, ConfigurationItem>> {
  const out: Record<string, ConfigurationItem> = {};
  let marker: string | undefined;
  do {
    const page: GetAccountAuthorizationDetailsCommandOutput = await iam.send(
      new GetAccountAuthorizationDetailsCommand({
        Marker: marker,
        Filter: ['LocalManagedPolicy', 'Role', 'User', 'Group'],
      }),
    );
    for (const p of page.Policies ?? []) {
      // moto leaves PolicyName and PolicyId out of ManagedPolicyDetail: match the ARN and fill them in.
      if (p.Arn !== policyArn) continue;
      const detail = { ...p, PolicyName: names.policy, PolicyId: p.PolicyId ?? policyId };
      out.policy = item('AWS::IAM::Policy', detail.PolicyId, names.policy, policyArn, lowerCamel(detail));
    }
    for (const r of page.RoleDetailList ?? []) {
      if (r.RoleName !== names.role) continue;
      out.role = item('AWS::IAM::Role', r.RoleId ?? '', r.RoleName, r.Arn ?? '', lowerCamel(r));
    }
    for (const u of page.UserDetailList ?? []) {
      if (u.UserName !== names.user) continue;
      out.user = item('AWS::IAM::User', u.UserId ?? '', u.UserName, u.Arn ?? '', lowerCamel(u));
    }
    for (const g of page.GroupDetailList ?? []) {
      if (g.GroupName !== names.group) continue;
      out.group = item('AWS::IAM::Group', g.GroupId ?? '', g.GroupName, g.Arn ?? '', lowerCamel(g));
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

function lambdaContext() {
  return createRuleContext({
    mode: 'lambda',
    accountId: MOTO_ACCOUNT,
    region,
    logger: createLogger({}, { write: () => undefined }),
    keys: { describe: async () => undefined },
  });
}

let policyArn = '';
let policyId = '';

beforeAll(async () => {
  const created = await iam.send(
    new CreatePolicyCommand({
      PolicyName: names.policy,
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }],
      }),
    }),
  );
  policyArn = created.Policy?.Arn ?? '';
  policyId = created.Policy?.PolicyId ?? '';
  await iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: policyArn,
      SetAsDefault: true,
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [{ Sid: 'OpsEverything', Effect: 'Allow', Action: '*', Resource: '*' }],
      }),
    }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: names.role, AssumeRolePolicyDocument: TRUST }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: names.role,
      PolicyName: 'almost-everything',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }],
      }),
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: names.role, PolicyArn: policyArn }));
  await iam.send(new CreateUserCommand({ UserName: names.user }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: names.user,
      PolicyName: 'grant-anything',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Action: 'IAM:Put*', Resource: '*' },
      }),
    }),
  );
  await iam.send(new CreateGroupCommand({ GroupName: names.group }));
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: names.group,
      PolicyName: 'read-reports',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }],
      }),
    }),
  );
});

describe('no-wildcard-actions on IAM entities made through the SDK', () => {
  it('judges the default version of a customer-managed policy, and only it', async () => {
    const before = await items();
    const [admin] = await evaluateItem(noWildcardActions, before.policy, params, lambdaContext());
    expect(admin.findings.map((f) => f.code)).toEqual(['full-admin']);
    expect(admin.annotation).toContain('statement "OpsEverything" allows every action (*) on every resource');

    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
    const after = await items();
    const [dormant] = await evaluateItem(noWildcardActions, after.policy, params, lambdaContext());
    expect(dormant.compliance).toBe('COMPLIANT');
  });

  it.each([
    ['role', ['not-action-allow']],
    ['user', ['admin-equivalent']],
    ['group', []],
  ])('judges the inline policies of the %s', async (kind, codes) => {
    const all = await items();
    const [e] = await evaluateItem(noWildcardActions, all[kind], params, lambdaContext());
    expect(e.findings.map((f) => f.code)).toEqual(codes);
    expect(e.compliance).toBe(codes.length > 0 ? 'NON_COMPLIANT' : 'COMPLIANT');
  });

  it('asks IAM about an attached AWS-managed policy it does not know, and says what IAM answered', async () => {
    const all = await items();
    const role = all.role;
    const configuration = role.configuration as Record<string, unknown>;
    const withUnknown: ConfigurationItem = {
      ...role,
      configuration: {
        ...configuration,
        rolePolicyList: [],
        attachedManagedPolicies: [
          ...(configuration.attachedManagedPolicies as unknown[]),
          { policyName: 'WardNotPublishedYet', policyArn: 'arn:aws:iam::aws:policy/WardNotPublishedYet' },
        ],
      },
    };
    const restore = useMotoEnvironment(region);
    try {
      const [e] = await evaluateItem(noWildcardActions, withUnknown, params, lambdaContext());
      expect(e.compliance).toBe('COMPLIANT');
      expect(e.annotation).toMatch(/^Not checked: WardNotPublishedYet \(IAM says it does not exist\)/);
    } finally {
      restore();
    }
  });
});
