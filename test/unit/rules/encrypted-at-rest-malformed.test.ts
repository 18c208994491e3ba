import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { evaluateItem, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import { captureLogger } from '../../fixtures/events/fakes';
import { ACCOUNT, apiForm, eventCi, type Json, REGION } from './encrypted-at-rest.fixtures';

/*
 * Items whose encryption fields have a shape Config never documents (a string where an object belongs, a
 * number for a key id, an unknown boolean spelling). The rule must not throw, must not call such a store
 * `unencrypted` (it may be encrypted) and must never call it COMPLIANT: it reports `encryption-unknown` for a flag
 * it cannot read, and `unreadable-configuration` naming the field for an object or key field of the wrong type.
 */
const cases: [string, string, Json | null, Json, string, readonly string[]][] = [
  [
    'S3 encryption configuration that is not an object',
    'AWS::S3::Bucket',
    { name: 'b' },
    { ServerSideEncryptionConfiguration: 'AES256' },
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'S3 rules that are not a list',
    'AWS::S3::Bucket',
    { name: 'b' },
    { ServerSideEncryptionConfiguration: { rules: { sseAlgorithm: 'AES256' } } },
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'S3 rule that is null',
    'AWS::S3::Bucket',
    { name: 'b' },
    { ServerSideEncryptionConfiguration: { rules: [null] } },
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'DynamoDB ssedescription that is a string',
    'AWS::DynamoDB::Table',
    { tableName: 't', ssedescription: 'KMS' },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'RDS storageEncrypted "yes"',
    'AWS::RDS::DBInstance',
    { storageEncrypted: 'yes', kmsKeyId: null },
    {},
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  ['EBS encrypted 1', 'AWS::EC2::Volume', { encrypted: 1 }, {}, 'NON_COMPLIANT', ['encryption-unknown']],
  [
    'SNS KmsMasterKeyId that is a number',
    'AWS::SNS::Topic',
    { TopicArn: 'arn:aws:sns:us-east-1:111122223333:t', KmsMasterKeyId: 42 },
    {},
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'SQS SqsManagedSseEnabled that is an object',
    'AWS::SQS::Queue',
    { SqsManagedSseEnabled: { value: true } },
    {},
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'Kinesis StreamEncryption that is a string',
    'AWS::Kinesis::Stream',
    { Name: 's', StreamEncryption: 'KMS' },
    {},
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'Kinesis EncryptionType that is a number',
    'AWS::Kinesis::Stream',
    { Name: 's', StreamEncryption: { EncryptionType: 1 } },
    {},
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'OpenSearch EncryptionAtRestOptions that is a list',
    'AWS::OpenSearch::Domain',
    { EncryptionAtRestOptions: [true] },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'Elasticsearch enabled "maybe"',
    'AWS::Elasticsearch::Domain',
    { encryptionAtRestOptions: { enabled: 'maybe' } },
    {},
    'NON_COMPLIANT',
    ['encryption-unknown'],
  ],
  [
    'Secrets Manager KMSKeyId that is an object',
    'AWS::SecretsManager::Secret',
    { Name: 'x', KMSKeyId: { arn: 'x' } },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'Backup vault EncryptionKeyArn that is a number',
    'AWS::Backup::BackupVault',
    { BackupVaultName: 'v', EncryptionKeyArn: 7 },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'EFS Encrypted "TRUE" with a KmsKeyId list',
    'AWS::EFS::FileSystem',
    { Encrypted: 'TRUE', KmsKeyId: ['k'] },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'DynamoDB ssedescription.kmsmasterKeyArn that is a number',
    'AWS::DynamoDB::Table',
    { tableName: 't', ssedescription: { status: 'ENABLED', ssetype: 'KMS', kmsmasterKeyArn: 12 } },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'DynamoDB ssedescription.status that is a list',
    'AWS::DynamoDB::Table',
    { tableName: 't', ssedescription: { status: ['ENABLED'] } },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'S3 kmsMasterKeyID that is a number',
    'AWS::S3::Bucket',
    { name: 'b' },
    {
      ServerSideEncryptionConfiguration: {
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: 5 } }],
      },
    },
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'RDS kmsKeyId that is true',
    'AWS::RDS::DBInstance',
    { storageEncrypted: true, kmsKeyId: true },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'Redshift kmsKeyId that is an object',
    'AWS::Redshift::Cluster',
    { encrypted: true, kmsKeyId: {} },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'Kinesis KeyId that is a number',
    'AWS::Kinesis::Stream',
    { Name: 's', StreamEncryption: { EncryptionType: 'KMS', KeyId: 3 } },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
  [
    'Elasticsearch kmsKeyId that is a list',
    'AWS::Elasticsearch::Domain',
    { encryptionAtRestOptions: { enabled: true, kmsKeyId: ['k'] } },
    {},
    'NON_COMPLIANT',
    ['unreadable-configuration'],
  ],
];

describe('encrypted-at-rest on malformed items', () => {
  const log = captureLogger();
  const ctx = createRuleContext({
    mode: 'snapshot',
    accountId: ACCOUNT,
    region: REGION,
    keys: createSnapshotKeyLookup(),
    logger: log.logger,
  });
  const defaults = parseRuleParameters(encryptedAtRest.meta.parameters, undefined, 'encrypted-at-rest');
  describe.each([
    ['event form', (ci: Json) => ci],
    ['API form', apiForm],
  ])('%s', (_form, toForm) => {
    it.each(cases)('%s', async (_name, type, configuration, supplementary, compliance, codes) => {
      const item = normalizeConfigurationItem(
        toForm(eventCi(type, `${type.split('::')[1]}-bad`, configuration, supplementary)),
      );
      const out = await evaluateItem(encryptedAtRest, item, defaults, ctx);
      expect(out.map((e) => [e.compliance, e.findings.map((f) => f.code)])).toEqual([[compliance, codes]]);
      // The finding names the field that could not be read.
      if (codes[0] === 'unreadable-configuration') expect(out[0].findings[0]?.path).toMatch(/^(supplementaryC|c)onfiguration\./);
    });
  });
});
