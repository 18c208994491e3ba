/*
 * The responder re-checks a rule on a runbook's live read turned into a configuration item. These tests run that
 * item through the normaliser and the rule's own reader: a read that says "encrypted with key K" must be read
 * back as exactly that, and ARNs follow the region's partition.
 */
import { keyArn, readConfigurationItem } from '../../../runbooks/configuration-item';
import { partitionOf } from '../../../rules/runtime/partition';
import { dynamodbUseCustomerManagedKey } from '../../../runbooks/dynamodb-use-customer-managed-key';
import { keyConfigurationItem } from '../../../runbooks/kms-policy';
import { s3EnableDefaultEncryption } from '../../../runbooks/s3-enable-default-encryption';
import { snsEnableEncryption } from '../../../runbooks/sns-enable-encryption';
import { sqsEnableEncryption } from '../../../runbooks/sqs-enable-encryption';
import { storeReader } from '../../../rules/encrypted-at-rest/stores';
import { normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const at = (resourceType: string, resourceId: string, region = 'eu-west-1') => ({
  resourceType,
  resourceId,
  accountId: '111122223333',
  region,
});

function readBack(item: Record<string, unknown>) {
  const ci = normalizeConfigurationItem(item);
  return { ci, encryption: storeReader(ci.resourceType)?.(ci) };
}

describe('a runbook read as a configuration item', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('region %s is in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it('keeps the envelope of the resource and the fields of the read', () => {
    const ci = normalizeConfigurationItem(
      readConfigurationItem(at('AWS::SNS::Topic', 'arn:aws:sns:eu-west-1:111122223333:t'), {
        configuration: { TopicArn: 'x' },
        tags: { team: 'a' },
      }),
    );
    expect(ci).toEqual(
      expect.objectContaining({
        resourceType: 'AWS::SNS::Topic',
        resourceId: 'arn:aws:sns:eu-west-1:111122223333:t',
        accountId: '111122223333',
        awsRegion: 'eu-west-1',
        status: 'OK',
        configuration: { TopicArn: 'x' },
        tags: { team: 'a' },
      }),
    );
    expect(ci.arn).toBeUndefined();
  });

  it.each([
    [
      'SNS with the key',
      snsEnableEncryption.toConfigurationItem(at('AWS::SNS::Topic', 'arn:aws:sns:eu-west-1:111122223333:t'), {
        kmsMasterKeyId: KEY,
        tags: {},
      }),
      { encrypted: true, keyRef: KEY },
    ],
    [
      'SNS without a key',
      snsEnableEncryption.toConfigurationItem(at('AWS::SNS::Topic', 'arn:aws:sns:eu-west-1:111122223333:t'), {
        kmsMasterKeyId: null,
        tags: {},
      }),
      { encrypted: false },
    ],
    [
      'SQS with SSE-SQS',
      sqsEnableEncryption.toConfigurationItem(at('AWS::SQS::Queue', 'https://sqs.eu-west-1.amazonaws.com/1/q'), {
        kmsMasterKeyId: null,
        sqsManagedSseEnabled: 'true',
        tags: {},
      }),
      { encrypted: true, keyKind: 'aws-owned' },
    ],
    [
      'SQS unencrypted',
      sqsEnableEncryption.toConfigurationItem(at('AWS::SQS::Queue', 'https://sqs.eu-west-1.amazonaws.com/1/q'), {
        kmsMasterKeyId: null,
        sqsManagedSseEnabled: 'false',
        tags: {},
      }),
      { encrypted: false },
    ],
    [
      'DynamoDB on the key',
      dynamodbUseCustomerManagedKey.toConfigurationItem(at('AWS::DynamoDB::Table', 'orders'), {
        tableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders',
        kmsMasterKeyArn: KEY,
        sseStatus: 'ENABLED',
        tags: {},
      }),
      { encrypted: true, keyRef: KEY },
    ],
    [
      'S3 with SSE-KMS and the key',
      s3EnableDefaultEncryption.toConfigurationItem(at('AWS::S3::Bucket', 'logs'), {
        rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } }],
        tags: {},
      }),
      { encrypted: true, keyRef: KEY },
    ],
    [
      'S3 without default encryption',
      s3EnableDefaultEncryption.toConfigurationItem(at('AWS::S3::Bucket', 'logs'), { rules: null, tags: {} }),
      { encrypted: false },
    ],
  ])('%s reads back as the rule reads Config', (_name, item, expected) => {
    expect(readBack(item).encryption).toEqual(expect.objectContaining(expected));
  });

  it('names S3 buckets and KMS keys in the partition of their region', () => {
    const bucket = normalizeConfigurationItem(
      s3EnableDefaultEncryption.toConfigurationItem(at('AWS::S3::Bucket', 'logs', 'cn-north-1'), {
        rules: null,
        tags: {},
      }),
    );
    expect(bucket.arn).toBe('arn:aws-cn:s3:::logs');
    const key = at('AWS::KMS::Key', '1234abcd-12ab-34cd-56ef-1234567890ab', 'us-gov-west-1');
    expect(keyArn(key)).toBe('arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(normalizeConfigurationItem(keyConfigurationItem(key, { policy: '{}', tags: {} } as never)).arn).toBe(
      keyArn(key),
    );
  });
});
