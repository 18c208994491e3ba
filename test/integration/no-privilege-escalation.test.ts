/**
 * The ward-no-privilege-escalation Lambda handler on IAM data made by the real AWS SDK v3 against moto: the
 * handler reads attached customer-managed policies (iam:GetPolicy, iam:GetPolicyVersion), a user's groups
 * (iam:ListGroupPolicies, GetGroupPolicy, ListAttachedGroupPolicies) and the roles a principal may pass
 * (iam:ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies) from moto's IAM, and reports with
 * PutEvaluations in TestMode (captured with an SDK middleware: moto stores no evaluations). moto's IAM items
 * cannot be read through SDK v3's Config client (moto.md: string timestamps), so the change notifications carry
 * items built the way Config builds them: from GetAccountAuthorizationDetails, in lowerCamel case.
 */
import type { ConfigServiceClient, PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { noPrivilegeEscalation } from '../../rules/no-privilege-escalation/rule';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import type { AnyRule } from '../../rules/runtime/types';
import { changeEvent, deepFreeze } from '../fixtures/events/config-events';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

const region = motoRegion(__filename);
const iam = new IAMClient(motoClientConfig(region));
const prefix = uniqueName('npe');
const names = {
  admin: `${prefix}-break-glass`,
  ops: `${prefix}-ops`,
  deployer: `${prefix}-deployer`,
  plain: `${prefix}-plain`,
  group: `${prefix}-devs`,
  user: `${prefix}-dev`,
};
const json = (d: unknown) => JSON.stringify(d);
const TRUST = json({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const lambdaContext = deepFreeze({
  invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-no-privilege-escalation`,
  awsRequestId: 'integration',
});

let restore: () => void;
let adminArn = '';
const roleArn = (name: string) => `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}`;

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
  return {
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
    configurationStateId: Date.now(),
    configuration,
    supplementaryConfiguration: {},
    tags: {},
    relationships: [],
    relatedEvents: [],
  };
}

/** The event-form items of this test's roles and user, from GetAccountAuthorizationDetails (paginated). */
async function items(): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  let marker: string | undefined;
  do {
    const page: GetAccountAuthorizationDetailsCommandOutput = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Marker: marker, Filter: ['Role', 'User'] }),
    );
    for (const r of page.RoleDetailList ?? []) {
      const key = Object.entries(names).find(([, n]) => n === r.RoleName)?.[0];
      if (key) out[key] = item('AWS::IAM::Role', r.RoleId ?? '', r.RoleName ?? '', r.Arn ?? '', lowerCamel(r));
    }
    for (const u of page.UserDetailList ?? []) {
      if (u.UserName === names.user)
        out.user = item('AWS::IAM::User', u.UserId ?? '', u.UserName, u.Arn ?? '', lowerCamel(u));
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

/** The real handler, its Config client wrapped to record each PutEvaluations input. */
function capturingHandler() {
  const sent: PutEvaluationsCommandInput[] = [];
  const handler = createConfigRuleHandler(noPrivilegeEscalation as AnyRule, {
    configClient: (target: AccountTarget) => {
      const client: ConfigServiceClient = defaultConfigClient(target);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutEvaluationsCommand') sent.push(args.input as PutEvaluationsCommandInput);
          return next(args);
        },
        { step: 'initialize', name: 'capturePutEvaluations' },
      );
      return client;
    },
  });
  return { handler, sent };
}

async function evaluate(key: string) {
  const all = await items();
  const ci = all[key];
  if (!ci) throw new Error(`no item for ${key}`);
  const { handler, sent } = capturingHandler();
  await handler(
    changeEvent(ci, { resultToken: 'TESTMODE', ruleParameters: {}, configRuleName: 'ward-no-privilege-escalation' }),
    lambdaContext,
  );
  const evaluations = sent.flatMap((s) => s.Evaluations ?? []);
  expect(sent.every((s) => s.TestMode === true)).toBe(true);
  expect(evaluations).toHaveLength(1);
  return evaluations[0];
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  const created = await iam.send(
    new CreatePolicyCommand({
      PolicyName: names.admin,
      PolicyDocument: json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    }),
  );
  adminArn = created.Policy?.Arn ?? '';
  await iam.send(new CreateRoleCommand({ RoleName: names.ops, AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: names.ops, PolicyArn: adminArn }));
  await iam.send(new CreateRoleCommand({ RoleName: names.deployer, AssumeRolePolicyDocument: TRUST }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: names.deployer,
      PolicyName: 'deploy',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn(names.ops) },
          { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
        ],
      }),
    }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: names.plain, AssumeRolePolicyDocument: TRUST }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: names.plain,
      PolicyName: 'pass-plain',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn(names.deployer) },
          { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
        ],
      }),
    }),
  );
  await iam.send(new CreateGroupCommand({ GroupName: names.group }));
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: names.group,
      PolicyName: 'self-admin',
      PolicyDocument: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iam:AttachGroupPolicy',
            Resource: `arn:aws:iam::${MOTO_ACCOUNT}:group/${names.group}`,
          },
        ],
      }),
    }),
  );
  await iam.send(new CreateUserCommand({ UserName: names.user }));
  await iam.send(new AddUserToGroupCommand({ UserName: names.user, GroupName: names.group }));
});
afterAll(() => restore());

describe('ward-no-privilege-escalation against moto', () => {
  it('flags a role whose attached customer-managed policy is admin, naming the policy', async () => {
    const e = await evaluate('ops');
    expect(e?.ComplianceType).toBe('NON_COMPLIANT');
    expect(e?.ComplianceResourceType).toBe('AWS::IAM::Role');
    expect(e?.Annotation).toContain(`attached policy "${names.admin}"`);
    expect(e?.Annotation).toContain('allows every action on every resource');
  });

  it('flags PassRole to a named role that IAM shows is privileged', async () => {
    const e = await evaluate('deployer');
    expect(e?.ComplianceType).toBe('NON_COMPLIANT');
    expect(e?.Annotation).toContain('[passrole-lambda-invoke]');
    expect(e?.Annotation).toContain(roleArn(names.ops));
  });

  it('accepts PassRole to a named role that is not privileged', async () => {
    const e = await evaluate('plain');
    expect(e?.ComplianceType).toBe('COMPLIANT');
  });

  it("judges a user with its group's policies read from IAM", async () => {
    const e = await evaluate('user');
    expect(e?.ComplianceType).toBe('NON_COMPLIANT');
    expect(e?.Annotation).toContain('[attach-group-policy]');
    expect(e?.Annotation).toContain(`group "${names.group}"`);
  });
});
