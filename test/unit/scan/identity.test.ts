import { normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';
import { buildArn, identityOf } from '../../../scan/findings/identity';
import { type JsonEval, runWard, SAMPLE } from './findings-harness';
import { baseItem, toApiForm } from './scan-harness';

describe('identity of an evaluation', () => {
  it('takes account, region, ARN and name from the item judged, in event form and API form', () => {
    const raw = baseItem('AWS::SQS::Queue');
    for (const form of [raw, toApiForm(raw)]) {
      const item = normalizeConfigurationItem(form);
      expect(identityOf(item, { item })).toEqual({
        accountId: '111122223333',
        region: 'us-east-1',
        arn: 'arn:aws:sqs:us-east-1:111122223333:ward-sample-orders',
        resourceName: 'ward-sample-orders',
      });
    }
  });

  it('records IAM resources in the region `global`, as Config does', () => {
    const item = normalizeConfigurationItem(baseItem('AWS::IAM::Role'));
    expect(identityOf(item, { item, region: 'eu-west-1' }).region).toBe('global');
  });

  it('builds the ARN from type and id when there is no item (periodic rules), and only when it is certain', () => {
    const at = { accountId: '111122223333', region: 'eu-west-1' };
    expect(identityOf({ resourceType: 'AWS::Lambda::Function', resourceId: 'fn' }, at).arn).toBe(
      'arn:aws:lambda:eu-west-1:111122223333:function:fn',
    );
    expect(buildArn('AWS::S3::Bucket', 'b', '111122223333', 'us-east-1')).toBe('arn:aws:s3:::b');
    expect(
      buildArn('AWS::SQS::Queue', 'https://sqs.eu-west-1.amazonaws.com/111122223333/q', '111122223333', 'eu-west-1'),
    ).toBe('arn:aws:sqs:eu-west-1:111122223333:q');
    expect(buildArn('AWS::KMS::Key', 'k', '111122223333', 'cn-north-1')).toBe(
      'arn:aws-cn:kms:cn-north-1:111122223333:key/k',
    );
    expect(buildArn('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:1:t', '1', 'us-east-1')).toBe(
      'arn:aws:sns:us-east-1:1:t',
    );
    // An IAM ARN holds a path the id does not give; an unknown type has no template; a bad account builds nothing.
    expect(buildArn('AWS::IAM::Role', 'AROA1', '111122223333', 'global')).toBeUndefined();
    expect(buildArn('AWS::Foo::Bar', 'x', '111122223333', 'us-east-1')).toBeUndefined();
    expect(buildArn('AWS::Lambda::Function', 'fn', '', 'us-east-1')).toBeUndefined();
  });

  it('puts accountId, region, arn and resourceName on every evaluation of the sample', async () => {
    const report = JSON.parse((await runWard([SAMPLE], { format: 'json' })).stdout);
    const evaluations = report.evaluations as JsonEval[];
    expect(evaluations.length).toBeGreaterThan(100);
    for (const e of evaluations) {
      expect(e.accountId).toBe('111122223333');
      expect(e.region).toBe(e.resourceType.startsWith('AWS::IAM::') ? 'global' : 'us-east-1');
      expect(e.arn).toMatch(/^arn:aws:/);
      expect(e.location).toEqual({ file: SAMPLE, line: expect.any(Number) });
    }
  });

  it('groups the table by account and region when the findings span more than one', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir, snapshotOf } = await import('./scan-harness');
    const topic = baseItem('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:111122223333:ward-sample-build-notices');
    const other = {
      ...topic,
      awsAccountId: '444455556666',
      awsRegion: 'eu-west-1',
      resourceId: 'arn:aws:sns:eu-west-1:444455556666:t2',
      ARN: 'arn:aws:sns:eu-west-1:444455556666:t2',
    };
    const file = join(tempDir(), 's.json');
    writeFileSync(file, snapshotOf([topic, other]));
    const one = (await runWard([file], { rules: 'encrypted-at-rest' })).stdout;
    expect(one).toContain('  account 111122223333, us-east-1');
    expect(one).toContain('  account 444455556666, eu-west-1');
    expect(one.indexOf('account 111122223333')).toBeLessThan(one.indexOf('arn:aws:sns:us-east-1:111122223333'));
    const single = (await runWard([SAMPLE], { rules: 'encrypted-at-rest' })).stdout;
    expect(single).not.toContain('  account 111122223333, us-east-1');
  });
});

describe('fingerprints', () => {
  it('are distinct for two findings of one code at one path, and stable', async () => {
    const { toScanEvaluation } = await import('../../../scan/findings/scan-evaluation');
    const { rules } = await import('../../../rules');
    const rule = rules[0];
    const e = {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'b',
      compliance: 'NON_COMPLIANT',
      annotation: 'x',
      findings: [
        { code: 'unencrypted', message: 'a', path: 'p' },
        { code: 'unencrypted', message: 'b', path: 'p' },
      ],
    } as never;
    const at = { accountId: '111122223333', region: 'us-east-1' };
    const one = toScanEvaluation(rule, e, at).findings.map((f) => f.fingerprint);
    expect(new Set(one).size).toBe(2);
    expect(toScanEvaluation(rule, e, at).findings.map((f) => f.fingerprint)).toEqual(one);
    const other = toScanEvaluation(rule, e, { ...at, region: 'eu-west-1' }).findings.map((f) => f.fingerprint);
    expect(other.some((f) => one.includes(f))).toBe(false);
  });
});
