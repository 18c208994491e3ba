import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { STORE_TYPES } from '../../../rules/encrypted-at-rest/stores';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import {
  ACCOUNT,
  AWS_MANAGED_KEY,
  apiForm,
  CUSTOMER_KEY,
  EXTERNAL_KEY,
  eventCi,
  type Json,
  OTHER,
} from './encrypted-at-rest.fixtures';

/** An encrypted item of each type that records a KMS key, with the key at its type's path and casing. */
function encryptedWith(type: string, key: string): [Json, Json] {
  switch (type) {
    case 'AWS::S3::Bucket':
      return [
        { name: 'b' },
        {
          ServerSideEncryptionConfiguration: {
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: key } }],
          },
        },
      ];
    case 'AWS::DynamoDB::Table':
      return [{ ssedescription: { status: 'ENABLED', ssetype: 'KMS', kmsmasterKeyArn: key } }, {}];
    case 'AWS::RDS::DBSnapshot':
    case 'AWS::EC2::Volume':
    case 'AWS::Redshift::Cluster':
      return [{ encrypted: true, kmsKeyId: key }, {}];
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
    case 'AWS::RDS::DBClusterSnapshot':
      return [{ storageEncrypted: true, kmsKeyId: key }, {}];
    case 'AWS::EFS::FileSystem':
      return [{ Encrypted: true, KmsKeyId: key }, {}];
    case 'AWS::SNS::Topic':
      return [{ KmsMasterKeyId: key }, {}];
    case 'AWS::SQS::Queue':
      return [{ KmsMasterKeyId: key, SqsManagedSseEnabled: 'false' }, {}];
    case 'AWS::Kinesis::Stream':
      return [{ StreamEncryption: { EncryptionType: 'KMS', KeyId: key } }, {}];
    case 'AWS::SecretsManager::Secret':
      return [{ KMSKeyId: key }, {}];
    case 'AWS::OpenSearch::Domain':
      return [{ EncryptionAtRestOptions: { Enabled: true, KmsKeyId: key } }, {}];
    case 'AWS::Elasticsearch::Domain':
      return [{ encryptionAtRestOptions: { enabled: 'true', kmsKeyId: key } }, {}];
    case 'AWS::Backup::BackupVault':
      return [{ EncryptionKeyArn: key }, {}];
    default:
      throw new Error(`no builder for ${type}`);
  }
}

const strict = parseRuleParameters(encryptedAtRest.meta.parameters, { requireCustomerManagedKey: true }, 'x');
const trusting = parseRuleParameters(encryptedAtRest.meta.parameters, { trustedAccountIds: OTHER }, 'x');

const rows = STORE_TYPES.flatMap((type) =>
  [
    ['customer key', CUSTOMER_KEY, { key: { arn: CUSTOMER_KEY, accountId: ACCOUNT, manager: 'CUSTOMER' } }, strict, []],
    [
      'AWS-managed key',
      AWS_MANAGED_KEY,
      { key: { arn: AWS_MANAGED_KEY, accountId: ACCOUNT, manager: 'AWS' } },
      strict,
      ['not-customer-managed-key'],
    ],
    ['key from another account', EXTERNAL_KEY, { key: null }, strict, ['external-key']],
    ['key from a trusted account', EXTERNAL_KEY, { key: null }, trusting, []],
  ].map(([what, key, facts, params, codes]) => [type, what, key, facts, params, codes] as const),
);

describe('encrypted-at-rest judges keys the same way for every type', () => {
  describe.each([
    ['event form', (ci: Json) => ci],
    ['API form', apiForm],
  ])('%s', (_form, toForm) => {
    it.each(rows)('%s with a %s', (type, _what, key, facts, params, codes) => {
      const [configuration, supplementary] = encryptedWith(type, key as string);
      const item = normalizeConfigurationItem(
        toForm(eventCi(type, `${type.split('::')[1]}-x`, configuration, supplementary)),
      );
      const [e] = evaluateWithFacts(encryptedAtRest, item, params as typeof strict, facts as never);
      expect(e.findings.map((f) => f.code)).toEqual(codes);
    });
  });
});
