import { Match, Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, deployableRules, GLOBAL_REGION, globalRuleIds, nagViolations, REGION, synthApp } from './app-fixture';

// GIVEN the default configuration in one region, WHEN the app is synthesized:
const { app, stacks } = synthApp();
const rulesStack = stacks[0].rules!;
const template = Template.fromStack(rulesStack);
const regionalRules = deployableRules.filter((r) => !r.meta.global);

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function roleStatements(ruleId: string): Statement[] {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { RoleName: `ward-rule-${ruleId}-${REGION}` },
  });
  const [roleId] = Object.keys(roles);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(roleId),
  );
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the rules stack (rules mode)', () => {
  it('deploys one Node.js 22 arm64 Lambda per regional rule, named ward-<id>, with JSON logs', () => {
    for (const rule of regionalRules)
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `ward-${rule.meta.id}`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      });
    template.resourceCountIs('AWS::Lambda::Function', regionalRules.length);
  });

  it('leaves rules over global resources out of regions other than the global-resources region', () => {
    for (const id of globalRuleIds)
      expect(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `ward-${id}` } })).toEqual(
        {},
      );
  });

  it('gives each rule its own role with no AWS-managed policy', () => {
    const roles = template.findResources('AWS::IAM::Role');
    const ruleRoles = Object.values(roles).filter((r) => String(r.Properties.RoleName).startsWith('ward-rule-'));
    expect(ruleRoles).toHaveLength(regionalRules.length);
    for (const r of ruleRoles) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('AWSConfigRulesExecutionRole');
  });

  it.each(regionalRules.map((r) => [r.meta.id, r] as const))(
    'allows %s only to report to Config, read what it declares, write its logs and its failure queue',
    (id, rule) => {
      const statements = roleStatements(id);
      const actions = statements.flatMap((s) => ([] as string[]).concat(s.Action));
      const allowed = new Set([
        'config:PutEvaluations',
        'config:GetResourceConfigHistory',
        'config:GetComplianceDetailsByConfigRule',
        ...rule.meta.permissions,
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:ReEncrypt*',
        'kms:GenerateDataKey*',
      ]);
      expect(actions.filter((a) => !allowed.has(a))).toEqual([]);
      expect(actions).toEqual(expect.arrayContaining(['config:PutEvaluations', ...rule.meta.permissions]));
      const wildcard = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
      // A "*" resource only where AWS allows nothing narrower: Config reporting and the rule's reads.
      for (const s of wildcard)
        for (const a of ([] as string[]).concat(s.Action))
          expect(['config:PutEvaluations', 'config:GetResourceConfigHistory', ...rule.meta.permissions]).toContain(a);
    },
  );

  it('lets only Config rules of this account and region invoke each rule Lambda', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(regionalRules.length);
    for (const p of permissions)
      expect(p.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
        SourceAccount: ACCOUNT,
        SourceArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:config:${REGION}:${ACCOUNT}:config-rule/*`]],
        },
      });
  });

  it("grants a rule's reads on this account's ARNs where the service supports it", () => {
    const rule = regionalRules.find((r) => r.meta.permissions.includes('kms:GetKeyPolicy'));
    expect(rule).toBeDefined();
    const reads = roleStatements(rule!.meta.id).filter((s) => s.Sid?.startsWith('RuleReads'));
    const on = (action: string) =>
      reads.filter((s) => ([] as string[]).concat(s.Action).includes(action)).map((s) => JSON.stringify(s.Resource));
    expect(on('kms:GetKeyPolicy')).toEqual([
      JSON.stringify({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${REGION}:${ACCOUNT}:key/*`]],
      }),
    ]);
    // kms:ListKeys supports no resource-level permission.
    expect(on('kms:ListKeys')).toEqual(['"*"']);
  });

  it('sends failed asynchronous invocations to an encrypted failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuleFailures'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'ward-rule-failures',
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it('keeps each rule log group encrypted, with the configured retention', () => {
    for (const rule of regionalRules)
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/ward-${rule.meta.id}`,
        RetentionInDays: 90,
        KmsKeyId: Match.anyValue(),
      });
  });

  it('creates each Config rule ward-<id> from the rule metadata: scope, triggers, InputParameters', () => {
    for (const rule of regionalRules) {
      const details = [];
      if (rule.meta.trigger.onChange)
        details.push(
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
        );
      if (rule.meta.trigger.periodic)
        details.push({
          EventSource: 'aws.config',
          MessageType: 'ScheduledNotification',
          MaximumExecutionFrequency: rule.meta.trigger.periodic,
        });
      template.hasResourceProperties('AWS::Config::ConfigRule', {
        ConfigRuleName: `ward-${rule.meta.id}`,
        Source: { Owner: 'CUSTOM_LAMBDA', SourceDetails: details, SourceIdentifier: Match.anyValue() },
        ...(rule.meta.trigger.onChange ? { Scope: { ComplianceResourceTypes: [...rule.meta.resourceTypes] } } : {}),
      });
    }
  });

  it('counts evaluations per rule and result from the JSON logs', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.msg = "evaluation" }',
      MetricTransformations: [
        Match.objectLike({
          MetricNamespace: 'Ward',
          MetricName: 'Evaluations',
          Dimensions: Match.arrayWith([{ Key: 'Rule', Value: '$.rule' }]),
        }),
      ],
    });
  });

  it('passes cdk-nag AwsSolutions with only specific, reasoned acknowledgements', () => {
    expect(nagViolations(app, rulesStack)).toEqual([]);
  });
});

describe('rule configuration reaches Config', () => {
  it('renders configured parameters and global trust into the InputParameters', () => {
    const sharing = deployableRules.find(
      (r) =>
        'trustedAccountIds' in ((r.meta.parameters as unknown as { shape?: object }).shape ?? {}) && !r.meta.global,
    );
    if (!sharing) return;
    const { stacks: s } = synthApp({ trustedAccountIds: ['111111111111', '222222222222'] });
    Template.fromStack(s[0].rules!).hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: `ward-${sharing.meta.id}`,
      InputParameters: Match.objectLike({ trustedAccountIds: '111111111111,222222222222' }),
    });
  });

  it('leaves a disabled rule out entirely', () => {
    const [first] = regionalRules;
    const { stacks: s } = synthApp({ rules: { [first.meta.id]: { enabled: false } } });
    const t = Template.fromStack(s[0].rules!);
    expect(t.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `ward-${first.meta.id}` } })).toEqual(
      {},
    );
    expect(
      t.findResources('AWS::Config::ConfigRule', { Properties: { ConfigRuleName: `ward-${first.meta.id}` } }),
    ).toEqual({});
  });

  it('deploys rules over global resources in the global-resources region only', () => {
    const { stacks: s } = synthApp({ regions: [REGION, GLOBAL_REGION] });
    const [regional, global] = s.map((r) => Template.fromStack(r.rules!));
    for (const id of globalRuleIds) {
      expect(
        regional.findResources('AWS::Config::ConfigRule', { Properties: { ConfigRuleName: `ward-${id}` } }),
      ).toEqual({});
      global.hasResourceProperties('AWS::Config::ConfigRule', { ConfigRuleName: `ward-${id}` });
    }
    global.resourceCountIs('AWS::Config::ConfigRule', deployableRules.length);
  });
});
