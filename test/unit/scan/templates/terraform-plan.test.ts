import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateParseError } from '../../../../scan/inputs/cloudformation-parse';
import { terraformPlanItems } from '../../../../scan/inputs/terraform-plan';
import { findingRows, judgeAll } from './judge-harness';

const PLAN = join(__dirname, '..', '..', '..', 'fixtures', 'templates', 'plan.json');
const text = readFileSync(PLAN, 'utf8');
const { items, notes } = terraformPlanItems(text, 'plan.json');
const item = (address: string) => items.find((t) => t.item.resourceId === address);

describe('Terraform plans as configuration items', () => {
  it('reads root and module resources, addressed by their Terraform address', () => {
    expect(items.map((t) => `${t.item.resourceType} ${t.item.resourceId}`).sort()).toEqual([
      'AWS::EC2::Volume aws_ebs_volume.scratch[0]',
      'AWS::IAM::Policy aws_iam_policy.admin',
      'AWS::IAM::Role aws_iam_role.worker',
      'AWS::S3::Bucket aws_s3_bucket.logs',
      'AWS::SNS::Topic aws_sns_topic.alerts',
      'AWS::SQS::Queue module.jobs.aws_sqs_queue.this',
    ]);
    expect(notes).toEqual([]);
    expect(item('aws_s3_bucket.logs')?.item.awsRegion).toBe('eu-west-1');
  });

  it('folds split-out bucket resources into the bucket, as Config sees one bucket', () => {
    const sc = item('aws_s3_bucket.logs')?.item.supplementaryConfiguration;
    expect(sc?.ServerSideEncryptionConfiguration).toMatchObject({
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    expect(JSON.parse(String((sc?.BucketPolicy as { policyText: string }).policyText))).toMatchObject({
      Statement: [{ Principal: '*' }],
    });
  });

  it('links an attachment whose target is known only by reference (policy_arn = aws_iam_policy.admin.arn)', () => {
    const role = item('aws_iam_role.worker')?.item.configuration;
    expect(role?.attachedManagedPolicies).toEqual([
      { policyArn: 'arn:aws:iam::123456789012:policy/ward-plan-admin', policyName: 'ward-plan-admin' },
    ]);
  });

  it('treats a value known only after apply as unknown, and a computed default as not set', () => {
    const queue = item('module.jobs.aws_sqs_queue.this');
    expect(queue?.unresolved).toEqual(['module.jobs.aws_sqs_queue_policy.this.policy (known after apply)']);
    // The topic's policy is computed by AWS: nothing the plan asked for, so the item gets SNS's owner-only
    // default, as Config will record it (a rule never sees a topic without a policy).
    expect(item('aws_sns_topic.alerts')?.unresolved).toEqual([]);
    const policy = JSON.parse(String(item('aws_sns_topic.alerts')?.item.configuration?.Policy)) as {
      Id: string;
      Statement: { Condition: unknown }[];
    };
    expect(policy.Id).toBe('__default_policy_ID');
    expect(policy.Statement[0].Condition).toEqual({ StringEquals: { 'AWS:SourceOwner': '123456789012' } });
  });

  it.each([
    ['encrypted-at-rest', 'aws_ebs_volume.scratch[0]', 'unencrypted'],
    ['encrypted-at-rest', 'aws_sns_topic.alerts', 'unencrypted'],
    ['no-public-principals', 'module.jobs.aws_sqs_queue.this', 'malformed-policy'],
    ['no-wildcard-actions', 'aws_iam_policy.admin', 'full-admin'],
    ['no-privilege-escalation', 'aws_iam_policy.admin', 'effective-admin'],
    // The role the admin policy is attached to by reference.
    ['no-privilege-escalation', 'aws_iam_role.worker', 'effective-admin'],
  ])('%s flags %s with %s', async (rule, address, code) => {
    const rows = findingRows(await judgeAll(items));
    expect(rows.some((r) => r.startsWith(`${rule} ${address} ${code} 1`))).toBe(true);
  });

  it('finds nothing else: the bucket policy is neutralised by the default Block Public Access', async () => {
    expect(findingRows(await judgeAll(items))).toHaveLength(6);
  });

  it('says an unknown policy is unknown before deploy in the finding', async () => {
    const results = await judgeAll(items);
    const queue = results.find(
      (r) => r.e.resourceId === 'module.jobs.aws_sqs_queue.this' && r.e.compliance === 'NON_COMPLIANT',
    );
    expect(queue?.e.findings[0]?.message).toMatch(
      /^Unknown before deploy \(module\.jobs\.aws_sqs_queue_policy\.this\.policy/,
    );
  });

  it('points each finding at the line and column of the resource address in the plan', () => {
    const volume = item('aws_ebs_volume.scratch[0]')?.location;
    expect(volume?.line).toBe(1);
    expect(text.slice((volume?.column ?? 0) - 1).startsWith('"address": "aws_ebs_volume.scratch[0]"')).toBe(true);
  });

  it('rejects a JSON document that is not a plan, naming the file', () => {
    expect(() => terraformPlanItems('{"format_version":"1.0"}', 'state.json')).toThrow(TemplateParseError);
    expect(() => terraformPlanItems('{"format_version":"1.0"}', 'state.json')).toThrow(
      /^state\.json: not a Terraform plan/,
    );
  });
});
