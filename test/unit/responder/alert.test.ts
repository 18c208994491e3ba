import { consoleLink, fitSubject, formatAlert, MAX_SUBJECT } from '../../../responder/alert';
import type { Decision } from '../../../responder/decide';
import { parseComplianceChangeEvent } from '../../../responder/event';
import { complianceChange } from './fixtures';

const queueUrl = `https://sqs.eu-west-1.amazonaws.com/123456789012/${'a-very-long-queue-name-'.repeat(4)}end`;
const event = parseComplianceChangeEvent(
  complianceChange({
    resourceType: 'AWS::SQS::Queue',
    resourceId: queueUrl,
    region: 'eu-west-1',
    oldCompliance: 'COMPLIANT',
  }),
);
const decision: Decision = {
  action: 'dry-run',
  requestedMode: 'dry-run',
  runbookId: 'sqs-enable-encryption',
  needsRecheck: false,
  reasons: [],
};
const alert = formatAlert({
  kind: 'violation',
  event,
  ruleTitle: 'Data stores are encrypted at rest',
  findings: ['SQS queue has no server-side encryption.'],
  decision,
  plan: {
    runbookId: 'sqs-enable-encryption',
    summary: 'Encrypt the queue with SSE-SQS.',
    changes: [{ operation: 'sqs:SetQueueAttributes', description: 'Encrypt queue with SSE-SQS.' }],
  },
  outcome: 'Dry run, nothing changed.',
  runbookUrl: 'https://example.com/runbooks/sqs-enable-encryption.md',
  auditId: event.id,
});

describe('alerts', () => {
  it('keeps the subject under 100 printable ASCII characters', () => {
    expect(alert.subject.length).toBeLessThan(100);
    expect(alert.subject).toMatch(/^\[ward\] NON_COMPLIANT ward-encrypted-at-rest: SQS::Queue a-very-long/);
    expect(fitSubject(`é ${'x'.repeat(200)}\nnext`)).toHaveLength(MAX_SUBJECT);
    expect(fitSubject('é\nb')).toBe('? b');
  });

  it('tells what is wrong, which resource, what would be done and where the runbook is', () => {
    for (const part of [
      'NON_COMPLIANT: Data stores are encrypted at rest',
      '  - SQS queue has no server-side encryption.',
      `  id:      ${queueUrl}`,
      '  account: 123456789012',
      '  region:  eu-west-1',
      'console: https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/resources/details?',
      'Planned changes:',
      'Runbook: https://example.com/runbooks/sqs-enable-encryption.md',
      `Audit id: ${event.id}`,
    ])
      expect(alert.text).toContain(part);
  });

  it('publishes default, email and https variants; https carries structured JSON for chat', () => {
    const variants = JSON.parse(alert.message) as Record<string, string>;
    expect(Object.keys(variants).sort()).toEqual(['default', 'email', 'https']);
    expect(variants.email).toBe(alert.text);
    const chat = JSON.parse(variants.https);
    expect(chat).toMatchObject({
      kind: 'violation',
      resource: { type: 'AWS::SQS::Queue', id: queueUrl, account: '123456789012', region: 'eu-west-1' },
      response: { mode: 'dry-run', action: 'dry-run', changes: [{ operation: 'sqs:SetQueueAttributes' }] },
    });
  });

  it('links the Config console page of the resource with its id encoded', () => {
    expect(consoleLink('us-east-1', 'AWS::S3::Bucket', 'a b')).toBe(
      'https://us-east-1.console.aws.amazon.com/config/home?region=us-east-1#/resources/details?resourceId=a%20b&resourceType=AWS%3A%3AS3%3A%3ABucket',
    );
  });

  it('writes a resolved notice without a response section', () => {
    const resolved = formatAlert({
      kind: 'resolved',
      event,
      ruleTitle: 'T',
      findings: [],
      decision,
      outcome: '',
      auditId: 'x',
    });
    expect(resolved.subject).toMatch(/^\[ward\] RESOLVED /);
    expect(resolved.text).not.toContain('Response');
  });
});

describe('the identity and severity an alert carries', () => {
  const iam = parseComplianceChangeEvent(
    complianceChange({
      configRuleName: 'ward-credentials-not-shared',
      resourceType: 'AWS::IAM::User',
      resourceId: 'AIDAEXAMPLEUSERID123',
      region: 'us-east-1',
    }),
  );
  const identity = {
    accountId: '123456789012',
    region: 'global',
    arn: 'arn:aws:iam::123456789012:user/ci/deployer',
    resourceName: 'deployer',
  };
  const withIdentity = formatAlert({
    kind: 'violation',
    event: iam,
    ruleTitle: 'Credentials are not shared',
    findings: ['Access key used from two principals.'],
    decision: { ...decision, action: 'notify', requestedMode: 'notify' },
    outcome: 'Nothing was changed automatically.',
    auditId: iam.id,
    identity,
    severity: { level: 'critical', basis: 'findings' },
  });

  it('names the account, region (global for IAM), ARN and name in the text and the JSON', () => {
    expect(withIdentity.text).toContain('  name:    deployer\n  arn:     arn:aws:iam::123456789012:user/ci/deployer');
    expect(withIdentity.text).toContain('  account: 123456789012\n  region:  global');
    expect(JSON.parse(JSON.parse(withIdentity.message).https)).toMatchObject({
      version: '2',
      severity: 'critical',
      severityBasis: 'findings',
      resource: {
        type: 'AWS::IAM::User',
        id: 'AIDAEXAMPLEUSERID123',
        accountId: '123456789012',
        account: '123456789012',
        region: 'global',
        arn: identity.arn,
        resourceName: 'deployer',
      },
    });
    // The console link keeps the region Config recorded the user in.
    expect(withIdentity.text).toContain('https://us-east-1.console.aws.amazon.com/config/home?region=us-east-1');
  });

  it("says when the severity is the rule's highest because the codes were not re-checked", () => {
    const ruleBasis = formatAlert({
      kind: 'violation',
      event,
      ruleTitle: 'T',
      findings: [],
      decision,
      outcome: '',
      auditId: 'x',
      severity: { level: 'high', basis: 'rule' },
    });
    expect(ruleBasis.text).toContain("Severity: high (the rule's highest: the finding codes were not re-checked)");
    expect(withIdentity.text).toContain('Severity: critical\n');
  });

  it('has null ARN, name and severity where they are not known, and the event account and region', () => {
    const chat = JSON.parse(JSON.parse(alert.message).https);
    expect(chat).toMatchObject({ severity: null, resource: { arn: null, resourceName: null, region: 'eu-west-1' } });
  });
});
