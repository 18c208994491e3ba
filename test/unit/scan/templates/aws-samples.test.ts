/**
 * AWS's own public sample templates (github.com/aws-cloudformation/aws-cloudformation-templates at 142ce6f,
 * Apache-2.0: test/fixtures/aws-samples/ keeps them unchanged with the licence and notice), judged as
 * `ward scan` judges any template: every evaluation pinned, each on the line of its resource or property.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../../rules';
import { scan } from '../scan-harness';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'aws-samples');

interface Out {
  summary: { notJudged: { count: number }; inputs: { layout: string }[] };
  evaluations: {
    rule: string;
    resourceId: string;
    compliance: string;
    annotation: string;
    findings: { code: string; message: string }[];
    location: { file: string; line: number; logicalId?: string } | null;
  }[];
}

async function judge(file: string): Promise<Out> {
  const r = await scan([join(DIR, file)], { format: 'json' }, '', rules);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Out;
}

/** `rule resource verdict codes`, one line per evaluation, sorted. */
const verdicts = (out: Out) =>
  out.evaluations
    .map(
      (e) =>
        `${e.rule} ${e.resourceId} ${e.compliance}${e.findings.length ? ` ${e.findings.map((f) => f.code).join(',')}` : ''}`,
    )
    .sort();

describe("AWS's public sample templates", () => {
  it.each([
    [
      'S3-compliant-bucket.yaml',
      [
        'encrypted-at-rest ObjectStorageBucket COMPLIANT',
        'encrypted-at-rest ObjectStorageLogBucket COMPLIANT',
        'encrypted-at-rest ObjectStorageReplicaBucket COMPLIANT',
        'no-privilege-escalation ObjectStorageReplicationRole COMPLIANT',
        'no-public-principals ObjectStorageBucket COMPLIANT',
        'no-public-principals ObjectStorageLogBucket COMPLIANT',
        'no-public-principals ObjectStorageReplicaBucket COMPLIANT',
        'no-public-principals ObjectStorageReplicationRole COMPLIANT',
        'no-wildcard-actions ObjectStorageReplicationRole COMPLIANT',
      ],
    ],
    // The sample leaves the topic on SNS's default: no encryption at rest.
    [
      'SNS-SNSTopic.yaml',
      ['encrypted-at-rest SNSTopic NON_COMPLIANT unencrypted', 'no-public-principals SNSTopic COMPLIANT'],
    ],
    [
      'SQS-SQSStandardQueue.yaml',
      [
        'encrypted-at-rest MyDeadLetterQueue COMPLIANT',
        'encrypted-at-rest SQSQueue COMPLIANT',
        'no-public-principals MyDeadLetterQueue COMPLIANT',
        'no-public-principals SQSQueue COMPLIANT',
      ],
    ],
    ['DynamoDB-DynamoDB_Table.yaml', ['encrypted-at-rest myDynamoDBTable COMPLIANT']],
    // `AuthorizationType: NONE` on the proxy method of an API without a resource policy.
    [
      'APIGateway-apigateway_lambda_integration.yaml',
      [
        'entry-points-authenticated ApiMethod NON_COMPLIANT open-method',
        'lambda-runtime-supported LambdaFunction COMPLIANT',
        'no-privilege-escalation LambdaIamRole COMPLIANT',
        'no-public-principals LambdaFunction COMPLIANT',
        'no-public-principals LambdaIamRole COMPLIANT',
        'no-wildcard-actions LambdaIamRole COMPLIANT',
      ],
    ],
    // AmazonDynamoDBFullAccess brings lambda:CreateFunction and datapipeline:* with iam:PassRole (conditional).
    [
      'Lambda-LambdaSample.yaml',
      [
        'lambda-runtime-supported LambdaFunction COMPLIANT',
        'no-privilege-escalation LambdaRole NON_COMPLIANT privilege-escalation-passrole,privilege-escalation-passrole',
        'no-public-principals LambdaFunction COMPLIANT',
        'no-public-principals LambdaRole COMPLIANT',
        'no-wildcard-actions LambdaRole COMPLIANT',
      ],
    ],
    // A bucket policy for an account given as a parameter without default: unknown, so reported.
    [
      'S3-s3-bucket-and-policy-for-caa-v1.yaml',
      [
        'encrypted-at-rest Bucket COMPLIANT',
        'no-public-principals Bucket NON_COMPLIANT external-principal,external-principal',
      ],
    ],
    [
      'S3CrossAccountReplicationWithKMS-source.yaml',
      [
        'encrypted-at-rest S3BucketSource COMPLIANT',
        'kms-keys-not-shared KmsKey COMPLIANT',
        'no-privilege-escalation ReplicationRole COMPLIANT',
        'no-public-principals ReplicationRole COMPLIANT',
        'no-public-principals S3BucketSource COMPLIANT',
        'no-wildcard-actions ReplicationRole COMPLIANT',
      ],
    ],
    // The destination side grants the source account (a parameter) its key and bucket.
    [
      'S3CrossAccountReplicationWithKMS-destination.yaml',
      [
        'encrypted-at-rest S3BucketDestination COMPLIANT',
        'kms-keys-not-shared KmsKey NON_COMPLIANT external-key-access',
        'no-public-principals S3BucketDestination NON_COMPLIANT external-principal',
      ],
    ],
  ])('judges %s', async (file, expected) => {
    const out = await judge(file);
    expect(out.summary.inputs.map((i) => i.layout)).toEqual(['cloudformation']);
    expect(out.summary.notJudged.count).toBe(0);
    expect(verdicts(out)).toEqual(expected);
    // Every evaluation is on a line of its resource (or of the resource that attaches a policy to it).
    const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
    for (const e of out.evaluations) {
      expect(e.location?.file.endsWith(file)).toBe(true);
      const line = e.location?.line ?? 0;
      expect(line).toBeGreaterThan(0);
      expect(line).toBeLessThanOrEqual(lines.length);
    }
  });

  it('says why an unknown account is reported, naming the parameter without a default', async () => {
    const out = await judge('S3-s3-bucket-and-policy-for-caa-v1.yaml');
    const bucket = out.evaluations.find((e) => e.rule === 'no-public-principals' && e.resourceId === 'Bucket');
    expect(bucket?.findings[0]?.message).toMatch(/^Unknown before deploy \(.*Ref PublisherAccountID \(no default\)/);
    // Judged on the bucket, at the line of the AWS::S3::BucketPolicy that attaches the policy.
    const lines = readFileSync(join(DIR, 'S3-s3-bucket-and-policy-for-caa-v1.yaml'), 'utf8').split('\n');
    expect(lines[(bucket?.location?.line ?? 0) - 1]).toMatch(/^ {2}BucketPolicy:/);
  });

  it('marks the escalation through a conditional iam:PassRole of an AWS-managed policy as conditional', async () => {
    const out = await judge('Lambda-LambdaSample.yaml');
    const role = out.evaluations.find((e) => e.rule === 'no-privilege-escalation');
    for (const f of role?.findings ?? [])
      expect(f.message).toMatch(/"AmazonDynamoDBFullAccess" \(AWS-managed\) \(conditional\)/);
  });
});
