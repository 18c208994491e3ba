import { CreateBucketCommand, type BucketLocationConstraint, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { scanLive } from '../../scan/inputs/live';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import { createLogger } from '../../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import { motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * scanLive with its real SDK clients pointed at moto through AWS_ENDPOINT_URL. moto's Config lists only
 * AWS::S3::Bucket, AWS::S3::AccountPublicAccessBlock, AWS::IAM::Role, AWS::IAM::Policy and AWS::SNS::Topic
 * (moto.md section 1), and only its SNS CIs deserialize in SDK v3: its S3 CIs carry string timestamps that
 * the SDK rejects, which this test uses as a real failing batch that must not stop the scan.
 */

const region = motoRegion(__filename);
let restore: () => void;
beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

describe('scanLive against moto', () => {
  it('judges the SNS topics Config lists and reports the S3 batch the SDK cannot read, without stopping', async () => {
    const sns = new SNSClient(motoClientConfig(region));
    const names = [uniqueName('ward-live-a'), uniqueName('ward-live-b')];
    const arns: string[] = [];
    for (const Name of names) arns.push((await sns.send(new CreateTopicCommand({ Name }))).TopicArn as string);
    const bucket = uniqueName('ward-live');
    await new S3Client(motoClientConfig(region)).send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
      }),
    );

    const evaluations: Evaluation[] = [];
    const errors: string[] = [];
    const skipped: string[] = [];
    await scanLive({
      rules: [encryptedAtRest as AnyRule],
      regions: [region],
      paramsFor: () => ({}),
      logger: createLogger({}, { write: () => undefined }),
      onEvaluation: (_rule, e) => evaluations.push(e),
      onError: (m) => errors.push(m),
      onSkipped: (_rule, reason) => skipped.push(reason),
    });

    expect(skipped).toEqual([]);
    const ours = evaluations.filter((e) => arns.includes(e.resourceId));
    expect(ours.map((e) => [e.resourceType, e.resourceId, e.compliance, e.findings.map((f) => f.code)])).toEqual(
      arns.map((arn) => ['AWS::SNS::Topic', arn, 'NON_COMPLIANT', ['unencrypted']]),
    );
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^${region} AWS::S3::Bucket: BatchGetResourceConfig failed`)),
    ]);
  });

  it('reports a region it cannot reach and returns', async () => {
    const errors: string[] = [];
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'; // discard port: nothing listens
    try {
      await scanLive({
        rules: [encryptedAtRest as AnyRule],
        regions: [region],
        paramsFor: () => ({}),
        logger: createLogger({}, { write: () => undefined }),
        onEvaluation: () => undefined,
        onError: (m) => errors.push(m),
        onSkipped: () => undefined,
      });
    } finally {
      process.env.AWS_ENDPOINT_URL = saved;
    }
    expect(errors).toEqual([expect.stringContaining(`${region}: cannot identify the account (sts:GetCallerIdentity)`)]);
  });
});
