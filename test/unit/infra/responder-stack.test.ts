import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES } from '../../../infra/bundling';
import {
  RESPONDER_LOG_GROUP_NAME,
  ResponderStack,
  type ResponderStackProps,
  responderEntry,
} from '../../../infra/responder-stack';
import { AUDIT_TABLE_CHANGES, AUDIT_TAMPER_ACTIONS } from '../../../infra/responder-tables';

const env = { account: '123456789012', region: 'eu-west-1' };
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function synth(props: ResponderStackProps = {}) {
  const app = new App();
  const stack = new ResponderStack(app, 'WardResponder', { env, ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

const { app, stack, template } = synth({
  alertEmails: ['secops@example.com'],
  alertHttpsEndpoints: ['https://chat.example.com/hooks/ward'],
  modes: { 'ward-encrypted-at-rest': 'auto' },
  managedRuleNames: ['s3-bucket-server-side-encryption-enabled'],
  remediationKeyArn: KEY,
});

/** Every IAM statement of the responder role: effect, actions, resources. */
function roleStatements(t: Template): { effect: string; actions: string[]; resources: unknown[] }[] {
  const policies = t.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[]).map(
      (s) => ({
        effect: s.Effect,
        actions: ([] as string[]).concat(s.Action),
        resources: ([] as unknown[]).concat(s.Resource),
      }),
    ),
  );
}

/** The set of actions the role is allowed, sorted. */
const allowed = (t: Template) =>
  [...new Set(roleStatements(t).flatMap((s) => (s.effect === 'Allow' ? s.actions : [])))].sort();

/** What every responder role holds whatever the modes: logs, its tables, its key, alerts, its failure queue. */
const BASE_ACTIONS = [
  'dynamodb:DeleteItem', // state table only (locks), see below
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem', // state table only (counters), see below
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'sns:Publish',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:SendMessage',
];

describe('the responder stack', () => {
  it('routes compliance changes of ward-* rules and the named managed rules to the compliance-events topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: { configRuleName: [{ prefix: 'ward-' }, { prefix: 's3-bucket-server-side-encryption-enabled' }] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('ComplianceEvents') } })],
    });
  });

  it('encrypts both topics with the stack key, which lets EventBridge use it for this rule only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'compliance-events',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'alerts', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowEventBridgeToPublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              ArnEquals: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:123456789012:rule/ward-compliance-change'],
                  ],
                },
              },
              StringEquals: {
                'aws:SourceAccount': '123456789012',
                'kms:EncryptionContext:aws:sns:topicArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':sns:eu-west-1:123456789012:compliance-events'],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of the ops stack publish to the encrypted alerts topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]),
      },
    });
  });

  it('outputs the audit table name for ward audit and ward rollback, and lists its failure queues', () => {
    template.hasOutput('AuditTableName', { Value: { Ref: Match.stringLikeRegexp('^Audit') } });
    expect(stack.failureQueues.map((q) => q.id)).toEqual(['responder-subscription-dlq', 'responder-failures']);
  });

  it('lets only this EventBridge rule publish to compliance-events (besides the TLS-only deny)', () => {
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((p) =>
      JSON.stringify(p.Properties.Topics).includes('ComplianceEvents'),
    );
    expect(policies).toHaveLength(1);
    const allows = (policies[0].Properties.PolicyDocument.Statement as Record<string, unknown>[]).filter(
      (s) => s.Effect === 'Allow',
    );
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^ComplianceChange/), 'Arn'] } },
        },
      }),
    ]);
  });

  it('subscribes the responder with a dead-letter queue and sends its failures to an on-failure queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('runs the responder on Node.js 22 arm64 with its settings in the environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          WARD_MODES: JSON.stringify({ 'ward-encrypted-at-rest': 'auto' }),
          WARD_DEFAULT_MODE: 'notify',
          WARD_KILL_SWITCH: 'false',
          WARD_MAX_AUTO_CHANGES_PER_HOUR: '10',
          WARD_REMEDIATION_KEY_ARN: KEY,
        }),
      },
    });
  });

  it('keeps the audit table append-only: steps keyed by response, no expiry, deletes denied to everyone', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    const audit = tables.find((t) => t.Properties.KeySchema.length === 2);
    expect(audit?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      GlobalSecondaryIndexes: [expect.objectContaining({ IndexName: 'byResource' })],
    });
    expect(audit?.Properties.TimeToLiveSpecification).toBeUndefined();
    const replica = audit?.Properties.Replicas[0];
    expect(replica).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(replica.ResourcePolicy.PolicyDocument.Statement).toEqual([
      {
        Sid: 'AuditRecordsAreAppendOnly',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...AUDIT_TAMPER_ACTIONS],
        Resource: '*',
      },
    ]);
  });

  it('keeps the state table apart: encrypted, recoverable, its locks and counters expiring', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.hasOutput('StateTableName', { Value: { Ref: Match.stringLikeRegexp('^State') } });
  });

  it('encrypts the responder log group and both dead-letter queues with the stack key', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: RESPONDER_LOG_GROUP_NAME,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    // CloudWatch Logs may use the key for this log group only, not for every log group of the account.
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
    const logs = (key.Properties.KeyPolicy.Statement as { Sid?: string; Condition?: unknown }[]).find(
      (st) => st.Sid === 'AllowResponderLogs',
    );
    expect(JSON.stringify(logs?.Condition)).toMatch(/"ArnEquals":\{"kms:EncryptionContext:aws:logs:arn":/);
    expect(JSON.stringify(logs?.Condition)).toContain(`:log-group:${RESPONDER_LOG_GROUP_NAME}"`);
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(2);
    for (const q of queues)
      expect(q.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  });

  it('subscribes the alert email and HTTPS endpoints', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://chat.example.com/hooks/ward',
    });
  });

  it('may import into Security Hub only with forwardToSecurityHub, and only into this account default product', () => {
    expect(allowed(template)).not.toContain('securityhub:BatchImportFindings');
    const on = synth({ forwardToSecurityHub: true });
    const statements = roleStatements(on.template).filter((s) => s.actions.some((a) => a.startsWith('securityhub:')));
    expect(statements).toHaveLength(1);
    expect(statements[0].effect).toBe('Allow');
    expect(statements[0].actions).toEqual(['securityhub:BatchImportFindings']);
    expect(statements[0].resources).toHaveLength(1);
    // Aws.PARTITION/REGION/ACCOUNT_ID are tokens: the statement renders them as Fn::Join parts.
    expect(JSON.stringify(statements[0].resources[0])).toBe(
      JSON.stringify({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':securityhub:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':product/',
            { Ref: 'AWS::AccountId' },
            '/default',
          ],
        ],
      }),
    );
    on.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ WARD_FORWARD_TO_SECURITY_HUB: 'true' }) },
    });
    const report = new AwsSolutionsChecks(on.app).validateScope(on.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('holds no runbook action and no rule read with the default configuration (notify everywhere)', () => {
    const { template: notify } = synth();
    expect(allowed(notify)).toEqual(BASE_ACTIONS);
  });

  it('holds exactly the actions of the runbooks of the one rule in auto, each on its own resources', () => {
    expect(allowed(template)).toEqual(
      [
        ...BASE_ACTIONS,
        // encrypted-at-rest's automated runbooks (S3, SNS, SQS, DynamoDB), read and write:
        'dynamodb:DescribeTable',
        'dynamodb:ListTagsOfResource',
        'dynamodb:UpdateTable',
        'kms:CreateGrant',
        'kms:DescribeKey',
        's3:GetBucketTagging',
        's3:GetEncryptionConfiguration',
        's3:PutEncryptionConfiguration',
        'sns:GetTopicAttributes',
        'sns:ListTagsForResource',
        'sns:SetTopicAttributes',
        'sqs:ListQueueTags',
        'sqs:SetQueueAttributes',
        // encrypted-at-rest's declared reads (re-run before acting):
        'elasticache:DescribeReplicationGroups',
        'elasticache:ListTagsForResource',
        'logs:DescribeLogGroups',
        'logs:ListTagsForResource',
      ].sort(),
    );
    // No runbook that is not safe for auto, and no manual playbook, ever: KMS policy and grant changes, access keys.
    for (const never of ['kms:PutKeyPolicy', 'kms:RevokeGrant', 'iam:UpdateAccessKey', 's3:PutBucketPublicAccessBlock'])
      expect(allowed(template)).not.toContain(never);
    // Writes are never on a bare *.
    for (const s of roleStatements(template))
      if (s.effect === 'Allow' && s.actions.some((a) => !/:(Get|List|Describe)/.test(a)))
        expect({ actions: s.actions, resources: s.resources }).not.toEqual({ actions: s.actions, resources: ['*'] });
  });

  it('reads but never changes in dry-run', () => {
    const { template: dry } = synth({ modes: { 'ward-encrypted-at-rest': 'dry-run' }, remediationKeyArn: KEY });
    const extra = allowed(dry).filter((a) => !BASE_ACTIONS.includes(a));
    expect(extra.filter((a) => !/:(Get|List|Describe)/.test(a))).toEqual([]);
    expect(extra).toContain('s3:GetEncryptionConfiguration');
  });

  it('touches the audit table only to append and read; updates and deletes go to the state table alone', () => {
    const statements = roleStatements(template);
    const onAudit = statements.filter((s) => JSON.stringify(s.resources).includes('AuditLog'));
    expect(
      onAudit
        .filter((s) => s.effect === 'Allow')
        .flatMap((s) => s.actions)
        .sort(),
    ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    // Only in response partitions, and not the index (only `ward audit` lists by resource).
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AppendAudit',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditLog'), 'Arn'] },
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['event#*'] } },
          }),
        ]),
      },
    });
    expect(
      onAudit
        .filter((s) => s.effect === 'Deny')
        .flatMap((s) => s.actions)
        .sort(),
    ).toEqual([...AUDIT_TAMPER_ACTIONS, ...AUDIT_TABLE_CHANGES].sort());
    const updates = statements.filter(
      (s) => s.effect === 'Allow' && s.actions.some((a) => ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(a)),
    );
    expect(updates.map((s) => JSON.stringify(s.resources))).toEqual([expect.stringContaining('State')]);
  });

  it('scopes the remediation key actions to the configured key', () => {
    const onKey = roleStatements(template).filter((s) => s.resources.includes(KEY) && s.effect === 'Allow');
    expect(onKey.flatMap((s) => s.actions).sort()).toEqual(['kms:CreateGrant', 'kms:DescribeKey']);
  });

  it('leaves out the key actions when no remediation key is configured', () => {
    const { template: bare } = synth();
    const keyStatements = roleStatements(bare).filter((s) => s.actions.join() === 'kms:CreateGrant,kms:DescribeKey');
    expect(keyStatements).toEqual([]);
    expect(JSON.stringify(roleStatements(bare))).not.toContain('KeyArn');
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it.each([
    [{ modes: { 'ward-x': 'always' } }, /props\.modes\.ward-x/],
    [{ maxAutoChangesPerHour: -1 }, /maxAutoChangesPerHour/],
    [{ alertEmails: ['not-an-address'] }, /alertEmails/],
    [{ alertHttpsEndpoints: ['http://insecure.example.com'] }, /alertHttpsEndpoints/],
  ])('rejects invalid props %j naming the prop', (props, message) => {
    expect(() => synth(props as ResponderStackProps)).toThrow(message);
  });

  it('bundles the responder under 400 KB minified', () => {
    expect(bundleSize(bundleLambda(responderEntry()))).toBeLessThan(MAX_BUNDLE_BYTES);
  });
});
