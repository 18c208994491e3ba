/** What the configured modes let the responder read and change: the source of its IAM role. */
import { isReadAction, runbookReach } from '../../../responder/runbook-modes';

const ids = (list: readonly { id: string }[]) => list.map((r) => r.id);

describe('the runbooks a configuration reaches', () => {
  it('reaches nothing when every rule is in notify (the default)', () => {
    expect(runbookReach({ modes: {}, defaultMode: 'notify' })).toEqual({ read: [], write: [], rules: [] });
  });

  it("reads a dry-run rule's automated runbooks and re-runs the rule, but writes nothing", () => {
    const reach = runbookReach({ modes: { 'ward-encrypted-at-rest': 'dry-run' }, defaultMode: 'notify' });
    expect(ids(reach.read)).toEqual([
      'dynamodb-use-customer-managed-key',
      's3-enable-default-encryption',
      'sns-enable-encryption',
      'sqs-enable-encryption',
    ]);
    expect(reach.write).toEqual([]);
    expect(reach.rules.map((r) => r.meta.id)).toEqual(['encrypted-at-rest']);
  });

  it('keys the mode by Config rule name or by rule id', () => {
    const byId = runbookReach({ modes: { 'no-public-principals': 'auto' }, defaultMode: 'notify' });
    expect(ids(byId.write)).toEqual(['s3-block-public-access']);
  });

  it('never writes with a runbook that is not safe for auto, nor a manual playbook, even with auto everywhere', () => {
    const reach = runbookReach({ modes: {}, defaultMode: 'auto' });
    expect(ids(reach.write)).toEqual([
      'dynamodb-use-customer-managed-key',
      's3-block-public-access',
      's3-enable-default-encryption',
      'sns-enable-encryption',
      'sqs-enable-encryption',
    ]);
    // Reached for reading (a dry run in their place), never for writing. (kms-revoke-external-grant is no rule's
    // runbook for AWS::KMS::Key: kms-keys-not-shared declares kms-remove-public-statements.)
    expect(ids(reach.read)).toEqual([
      'dynamodb-use-customer-managed-key',
      'iam-deactivate-exposed-access-key',
      'kms-remove-public-statements',
      's3-block-public-access',
      's3-enable-default-encryption',
      'sns-enable-encryption',
      'sqs-enable-encryption',
    ]);
    for (const manual of ['rds-reencrypt', 'ebs-reencrypt', 'iam-scope-wildcard-policy'])
      expect(ids(reach.read)).not.toContain(manual);
  });

  it("reaches a managed rule's runbook through its pack name or a configured managed rule name", () => {
    expect(
      ids(runbookReach({ modes: { 'ward-aws-sqs-queue-encrypted': 'auto' }, defaultMode: 'notify' }).write),
    ).toEqual(['sqs-enable-encryption']);
    expect(
      ids(
        runbookReach({ modes: { 'sns-encrypted-kms-abc123': 'auto' }, defaultMode: 'notify' }, [
          'sns-encrypted-kms-abc123',
        ]).write,
      ),
    ).toEqual(['sns-enable-encryption']);
  });
});

describe('read actions', () => {
  it.each([
    ['s3:GetEncryptionConfiguration', true],
    ['sqs:ListQueueTags', true],
    ['dynamodb:DescribeTable', true],
    ['s3:PutEncryptionConfiguration', false],
    ['kms:CreateGrant', false],
    ['sns:SetTopicAttributes', false],
  ])('%s is a read: %s', (action, read) => {
    expect(isReadAction(action)).toBe(read);
  });
});
