import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  ACCOUNT,
  allStacks,
  deployableRules,
  GLOBAL_REGION,
  nagViolations,
  MEMBERS,
  ORG_ID,
  OU,
  REGION,
  synthApp,
} from './app-fixture';

const regionalRules = deployableRules.filter((r) => !r.meta.global);

describe('pack mode', () => {
  // GIVEN mode pack in the regional and the global-resources region
  const { stacks } = synthApp({ mode: 'pack', regions: [REGION, GLOBAL_REGION] });
  const [regional, global] = stacks;

  it('creates no individual Config rules: the conformance pack creates them', () => {
    Template.fromStack(regional.rules!).resourceCountIs('AWS::Config::ConfigRule', 0);
  });

  it('passes every rule Lambda ARN as a pack input parameter', () => {
    const t = Template.fromStack(regional.pack!);
    t.resourceCountIs('AWS::Config::ConformancePack', 1);
    const [pack] = Object.values(t.findResources('AWS::Config::ConformancePack'));
    const names = (pack.Properties.ConformancePackInputParameters as { ParameterName: string }[]).map(
      (p) => p.ParameterName,
    );
    for (const r of regionalRules)
      expect(names).toContain(`${r.meta.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}FunctionArn`);
    expect(pack.Properties.ConformancePackName).toBe('ward');
    expect(pack.Properties.TemplateBody).toContain('CUSTOM_LAMBDA');
  });

  it('adds the global pack in the global-resources region only', () => {
    const names = (s: typeof regional) =>
      Object.values(Template.fromStack(s.pack!).findResources('AWS::Config::ConformancePack')).map(
        (p) => p.Properties.ConformancePackName,
      );
    expect(names(regional)).toEqual(['ward']);
    expect(names(global)).toEqual(['ward', 'ward-global']);
  });
});

describe('organization mode', () => {
  const { app, stacks } = synthApp({
    mode: 'organization',
    regions: [REGION, GLOBAL_REGION],
    organization: {
      organizationId: ORG_ID,
      targetOrganizationalUnitIds: [OU],
      excludedAccountIds: ['999999999999'],
      memberAccountIds: MEMBERS,
    },
  });
  const [regional, global] = stacks;
  const rules = Template.fromStack(regional.rules!);
  const org = Template.fromStack(global.organization!);

  it('lets Config of the central and each member account invoke the central Lambdas, each scoped by account', () => {
    const permissions = Object.values(rules.findResources('AWS::Lambda::Permission'));
    const rulesHere = deployableRules.filter((r) => !r.meta.global).length;
    expect(permissions).toHaveLength(rulesHere * (MEMBERS.length + 1));
    const accounts = new Set(permissions.map((p) => p.Properties.SourceAccount));
    expect([...accounts].sort()).toEqual([...MEMBERS, ACCOUNT].sort());
    for (const p of permissions) expect(p.Properties.Principal).toBe('config.amazonaws.com');
  });

  it('lets the central Lambdas assume only the member role, within the organization', () => {
    rules.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/ward-member']] },
            Condition: { StringEquals: { 'aws:ResourceOrgID': ORG_ID } },
          }),
        ]),
      },
    });
    rules.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WARD_MEMBER_ROLE_NAME: 'ward-member' }) },
    });
  });

  it('deploys organization conformance packs with the Lambda ARNs, excluding the listed accounts', () => {
    org.hasResourceProperties('AWS::Config::OrganizationConformancePack', {
      OrganizationConformancePackName: 'ward',
      ExcludedAccounts: ['999999999999'],
      ConformancePackInputParameters: Match.arrayWith([
        Match.objectLike({ ParameterName: Match.stringLikeRegexp('FunctionArn$') }),
      ]),
    });
  });

  it('deploys the member role with a service-managed StackSet, trusting only ward rule roles', () => {
    const [set] = Object.values(org.findResources('AWS::CloudFormation::StackSet'));
    expect(set.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: [GLOBAL_REGION] }],
    });
    const body = JSON.parse(set.Properties.TemplateBody);
    const role = body.Resources.WardMemberRole.Properties;
    expect(role.RoleName).toBe('ward-member');
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition.ArnLike['aws:PrincipalArn']).toEqual({
      'Fn::Sub': `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/ward-rule-*`,
    });
    const actions = role.Policies[0].PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
      ([] as string[]).concat(s.Action),
    );
    expect(actions).toEqual(
      expect.arrayContaining(['config:PutEvaluations', ...deployableRules.flatMap((r) => r.meta.permissions)]),
    );
    // Reads on the member account's ARNs where the service supports it (any region: the role is global).
    const onKeys = role.Policies[0].PolicyDocument.Statement.find(
      (s: { Action: string[] }) => Array.isArray(s.Action) && s.Action.includes('kms:GetKeyPolicy'),
    );
    expect(onKeys?.Resource).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*' }]);
  });

  it('creates the organization aggregator and the StackSet once, in the global-resources region', () => {
    org.hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      OrganizationAggregationSource: Match.objectLike({ AllAwsRegions: true }),
    });
    const regionalOrg = Template.fromStack(regional.organization!);
    regionalOrg.resourceCountIs('AWS::CloudFormation::StackSet', 0);
    regionalOrg.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
  });

  it('passes cdk-nag AwsSolutions on every stack', () => {
    for (const s of allStacks(stacks))
      expect({ stack: s.stackName, violations: nagViolations(app, s) }).toEqual({ stack: s.stackName, violations: [] });
  });
});

describe('operations', () => {
  const { app, stacks } = synthApp({ alerts: { emails: ['ops@example.com'] } });
  const [{ ops, responder }] = stacks;
  const t = Template.fromStack(ops!);

  it('alarms on errors and throttles of every rule Lambda', () => {
    for (const r of regionalRules)
      for (const metric of ['Errors', 'Throttles'])
        t.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: `ward-${r.meta.id}` }],
          Threshold: 1,
        });
  });

  it('alarms on messages in every failure queue and on responder errors', () => {
    t.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible' }, 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'ward-responder-errors', MetricName: 'Errors' });
  });

  it("publishes every alarm to the responder's alerts topic, which lets CloudWatch use its key", () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expect(JSON.stringify(a.Properties.AlarmActions)).toMatch(/Alerts/);
    const r = Template.fromStack(responder!);
    r.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowCloudWatchAlarms', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('draws a dashboard of evaluations per rule, non-compliant results and remediation outcomes', () => {
    const [dash] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dash.Properties.DashboardBody);
    expect(body).toContain('Evaluations');
    expect(body).toContain('NON_COMPLIANT');
    expect(body).toContain('Responses');
  });

  it('creates its own encrypted alerts topic when the responder is off', () => {
    const { app: a2, stacks: s2 } = synthApp({
      responder: { enabled: false },
      alerts: { emails: ['ops@example.com'] },
    });
    const t2 = Template.fromStack(s2[0].ops!);
    t2.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ward-alerts', KmsMasterKeyId: Match.anyValue() });
    t2.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    expect(nagViolations(a2, s2[0].ops!)).toEqual([]);
  });

  it('passes cdk-nag AwsSolutions', () => {
    expect(nagViolations(app, ops!)).toEqual([]);
    expect(nagViolations(app, responder!)).toEqual([]);
  });
});

describe('recorder stack', () => {
  const { app, stacks } = synthApp({ recorder: { create: true }, regions: [REGION, GLOBAL_REGION] });

  it('records all supported types, global ones only in the global-resources region', () => {
    const [regional, global] = stacks.map((s) => Template.fromStack(s.recorder!));
    regional.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false },
    });
    global.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
    });
    regional.hasResourceProperties('AWS::Config::DeliveryChannel', { S3BucketName: Match.anyValue() });
  });

  it('passes cdk-nag AwsSolutions', () => {
    for (const s of stacks) expect(nagViolations(app, s.recorder!)).toEqual([]);
  });
});

describe('the cdk-nag check itself', () => {
  it('flags a deliberately bad resource, so a clean report above means something', () => {
    const { App, Stack } = jest.requireActual('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const { Queue, QueueEncryption } = jest.requireActual(
      'aws-cdk-lib/aws-sqs',
    ) as typeof import('aws-cdk-lib/aws-sqs');
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Bad');
    new Queue(stack, 'Plain', { encryption: QueueEncryption.UNENCRYPTED });
    expect(nagViolations(app, stack).join('\n')).toMatch(/AwsSolutions-SQS/);
  });
});

describe('responder settings from ward.config.json', () => {
  // GIVEN a remediation key and a per-rule mode in the configuration
  const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const { stacks } = synthApp({
    responder: { remediationKeyArn: key },
    rules: { 'encrypted-at-rest': { remediation: 'auto' } },
  });
  const t = Template.fromStack(stacks[0].responder!);

  it('passes the key and the modes to the responder Lambda, and lets its role use that key only', () => {
    // THEN the responder function has the key and the mode in its environment
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          WARD_REMEDIATION_KEY_ARN: key,
          WARD_MODES: Match.stringLikeRegexp('"ward-encrypted-at-rest":"auto"'),
        }),
      },
    });
    // AND a policy statement grants KMS actions on exactly that key
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    const onKey = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).filter(
        (s) => JSON.stringify(s.Resource) === JSON.stringify(key),
      ),
    );
    expect(onKey.length).toBeGreaterThan(0);
    expect(JSON.stringify(onKey.map((s) => s.Action))).toMatch(/kms:/);
  });
});
