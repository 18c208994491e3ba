import { defineRule, notApplicable } from '../runtime';
import { FINDING_CODES } from './codes';
import { collectStores, PERIODIC_TYPES } from './collect';
import { lookupStoreKey } from './gather-key';
import { judgeStore, type KeyFacts } from './judge-key';
import { encryptedAtRestParameters } from './parameters';
import { STORE_TYPES, storeReader } from './stores';
import { CONTROLS } from './controls';

/**
 * `encrypted-at-rest`: every data store Config records (and CloudWatch Logs log groups and ElastiCache
 * replication groups, which it does not) is encrypted at rest, with keys judged the same way for every type.
 */
export const encryptedAtRest = defineRule({
  meta: {
    id: 'encrypted-at-rest',
    title: 'Data stores are encrypted at rest',
    rationale: 'Unencrypted data stores expose data to anyone who reaches the storage layer or a copy of it.',
    severity: 'high',
    resourceTypes: STORE_TYPES,
    periodicResourceTypes: Object.values(PERIODIC_TYPES),
    trigger: { onChange: true, periodic: 'TwentyFour_Hours' },
    parameters: encryptedAtRestParameters,
    controls: CONTROLS,
    permissions: [
      'kms:DescribeKey',
      'logs:DescribeLogGroups',
      'logs:ListTagsForResource',
      'elasticache:DescribeReplicationGroups',
      'elasticache:ListTagsForResource',
    ],
    findingCodes: FINDING_CODES,
    remediations: {
      'AWS::S3::Bucket': 's3-enable-default-encryption',
      'AWS::SNS::Topic': 'sns-enable-encryption',
      'AWS::SQS::Queue': 'sqs-enable-encryption',
      'AWS::DynamoDB::Table': 'dynamodb-use-customer-managed-key',
      'AWS::RDS::DBInstance': 'rds-reencrypt',
      'AWS::RDS::DBCluster': 'rds-reencrypt',
      'AWS::RDS::DBSnapshot': 'rds-reencrypt',
      'AWS::RDS::DBClusterSnapshot': 'rds-reencrypt',
      'AWS::EC2::Volume': 'ebs-reencrypt',
    },
  },
  async gather(item, ctx): Promise<KeyFacts> {
    const read = storeReader(item.resourceType);
    if (!read) return {};
    return lookupStoreKey(read(item), ctx, { accountId: item.accountId || ctx.accountId, region: item.awsRegion });
  },
  evaluate({ item, params, facts, accountId }) {
    const read = storeReader(item.resourceType);
    if (!read) return [notApplicable(item, `${item.resourceType} is not a store encrypted-at-rest covers.`)];
    const ref = {
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      accountId,
      region: item.awsRegion,
      arn: item.arn,
    };
    return [judgeStore(read(item), facts ?? {}, params, ref)];
  },
  collect: collectStores,
});
