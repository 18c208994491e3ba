import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES } from '../../../infra/bundling';
import { ResponderStack, type ResponderStackProps, responderEntry } from '../../../infra/responder-stack';
import { runbookPermissions } from '../../../runbooks';

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

/** Every IAM action the responder role is allowed, with the resources of each statement. */
function roleStatements(t: Template): { actions: string[]; resources: unknown[] }[] {
  const policies = t.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).map((s) => ({
      actions: ([] as string[]).concat(s.Action),
      resources: ([] as unknown[]).concat(s.Resource),
    })),
  );
}

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

  it('encrypts both topics with the stack key, which lets EventBridge and SNS use it', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'compliance-events',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'alerts', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          // Exactly, without Condition: EventBridge's KMS requests carry no aws:SourceAccount, so a condition
          // would drop every event silently.
          {
            Sid: 'AllowEventBridgeToPublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
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

  it('keeps the audit table encrypted, recoverable, expiring control items and indexed by resource', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byResource' })],
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('subscribes the alert email and HTTPS endpoints', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://chat.example.com/hooks/ward',
    });
  });

  it('grants the role every action the runbooks declare, and never a changing one on a bare * resource', () => {
    const statements = roleStatements(template);
    for (const p of runbookPermissions()) {
      const granted = statements.filter((s) => s.actions.includes(p.action));
      expect({ action: p.action, granted: granted.length > 0 }).toEqual({ action: p.action, granted: true });
      // Read actions may also come from the rules' declared reads, which AWS cannot scope further.
      if (!/:(Get|List|Describe)/.test(p.action))
        for (const s of granted)
          expect({ action: p.action, resources: s.resources }).not.toEqual({ action: p.action, resources: ['*'] });
    }
  });

  it('scopes the remediation key actions to the configured key', () => {
    const onKey = roleStatements(template).filter((s) => s.resources.includes(KEY));
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
