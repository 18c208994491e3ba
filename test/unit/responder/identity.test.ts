import { responderIdentity } from '../../../responder/identity';
import { normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';

const at = { accountId: '123456789012', region: 'eu-west-1' };

describe('the identity of a compliance change', () => {
  it.each([
    ['AWS::S3::Bucket', 'logs-bucket', 'arn:aws:s3:::logs-bucket', 'logs-bucket'],
    [
      'AWS::SQS::Queue',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
      'arn:aws:sqs:eu-west-1:123456789012:jobs',
      'jobs',
    ],
    [
      'AWS::SNS::Topic',
      'arn:aws:sns:eu-west-1:123456789012:alerts',
      'arn:aws:sns:eu-west-1:123456789012:alerts',
      'alerts',
    ],
    ['AWS::Lambda::Function', 'billing', 'arn:aws:lambda:eu-west-1:123456789012:function:billing', 'billing'],
    ['AWS::KMS::Key', '1234abcd-12ab', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab', undefined],
  ])('builds the ARN and name of %s from the event alone', (resourceType, resourceId, arn, name) => {
    const id = responderIdentity({ resourceType, resourceId, ...at });
    expect(id).toEqual({ ...at, arn, ...(name ? { resourceName: name } : {}) });
  });

  it('leaves out what the id does not give (an RDS instance), and puts IAM in the global region', () => {
    expect(responderIdentity({ resourceType: 'AWS::RDS::DBInstance', resourceId: 'db-ABC', ...at })).toEqual(at);
    expect(responderIdentity({ resourceType: 'AWS::IAM::User', resourceId: 'AIDAEXAMPLE', ...at }).region).toBe(
      'global',
    );
  });

  it('takes the ARN and name of the configuration item read for a re-check', () => {
    const item = normalizeConfigurationItem({
      resourceType: 'AWS::RDS::DBInstance',
      resourceId: 'db-ABC',
      resourceName: 'orders',
      ARN: 'arn:aws:rds:eu-west-1:123456789012:db:orders',
      awsAccountId: at.accountId,
      awsRegion: at.region,
      configuration: {},
    });
    expect(responderIdentity({ resourceType: 'AWS::RDS::DBInstance', resourceId: 'db-ABC', ...at }, item)).toEqual({
      ...at,
      arn: 'arn:aws:rds:eu-west-1:123456789012:db:orders',
      resourceName: 'orders',
    });
  });
});
