import { dynamodbUseCustomerManagedKey } from '../../../runbooks/dynamodb-use-customer-managed-key';
import { findAccessKeyIds, iamDeactivateExposedAccessKey } from '../../../runbooks/iam-deactivate-exposed-access-key';
import { isPublicStatement, publicStatementIndices, withoutStatements } from '../../../runbooks/kms-policy';
import { kmsRemovePublicStatements } from '../../../runbooks/kms-remove-public-statements';
import { externalGrants, granteeAccount, kmsRevokeExternalGrant } from '../../../runbooks/kms-revoke-external-grant';
import { s3BlockPublicAccess } from '../../../runbooks/s3-block-public-access';
import { s3EnableDefaultEncryption } from '../../../runbooks/s3-enable-default-encryption';
import { snsEnableEncryption } from '../../../runbooks/sns-enable-encryption';
import { sqsEnableEncryption } from '../../../runbooks/sqs-enable-encryption';
import { parsePolicy } from '../../../rules/policy/document';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const at = (resourceType: string, resourceId: string) => ({
  resourceType,
  resourceId,
  accountId: '123456789012',
  region: 'us-east-1',
});
const bucket = at('AWS::S3::Bucket', 'logs');

describe('s3-enable-default-encryption plan', () => {
  it.each([
    ['plans SSE-KMS with the key when a key is configured', null, { kmsKeyArn: KEY }, /SSE-KMS with .*key\/1234/],
    ['plans SSE-S3 when no key is configured', null, {}, /SSE-S3/],
    [
      'plans nothing when the key is already the default',
      [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } }],
      { kmsKeyArn: KEY },
      /nothing to change/,
    ],
    [
      'moves an SSE-S3 bucket to the key',
      [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      { kmsKeyArn: KEY },
      /SSE-KMS/,
    ],
  ])('%s', (_name, rules, settings, summary) => {
    const plan = s3EnableDefaultEncryption.plan(bucket, { rules: rules as never, tags: {} }, settings);
    expect(plan.summary).toMatch(summary);
  });
});

describe('s3-block-public-access plan', () => {
  it('names the settings it turns on', () => {
    const plan = s3BlockPublicAccess.plan(
      bucket,
      { block: { BlockPublicAcls: true, IgnorePublicAcls: true }, tags: {} },
      {},
    );
    expect(plan.changes[0].description).toContain('BlockPublicPolicy, RestrictPublicBuckets');
  });
  it('plans nothing when all four are on', () => {
    const all = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
    expect(s3BlockPublicAccess.plan(bucket, { block: all, tags: {} }, {}).changes).toEqual([]);
  });
});

describe('sns-enable-encryption plan', () => {
  const topic = at('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:123456789012:orders');
  it('is blocked without a configured key rather than using alias/aws/sns', () => {
    const plan = snsEnableEncryption.plan(topic, { kmsMasterKeyId: null, tags: {} }, {});
    expect(plan.blocked).toMatch(/alias\/aws\/sns breaks CloudWatch alarms and EventBridge/);
    expect(plan.changes).toEqual([]);
  });
  it('replaces an AWS-managed key with the configured key', () => {
    const plan = snsEnableEncryption.plan(topic, { kmsMasterKeyId: 'alias/aws/sns', tags: {} }, { kmsKeyArn: KEY });
    expect(plan.changes[0].description).toContain('(was alias/aws/sns)');
  });
});

describe('sqs-enable-encryption plan', () => {
  const queue = at('AWS::SQS::Queue', 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs');
  it.each([
    ['turns on SSE-SQS without a key', { kmsMasterKeyId: null, sqsManagedSseEnabled: 'false' }, {}, 1],
    ['accepts SSE-SQS as encrypted without a key', { kmsMasterKeyId: null, sqsManagedSseEnabled: 'true' }, {}, 0],
    [
      'moves SSE-SQS to the key when one is configured',
      { kmsMasterKeyId: null, sqsManagedSseEnabled: 'true' },
      { kmsKeyArn: KEY },
      1,
    ],
  ])('%s', (_n, state, settings, changes) => {
    expect(sqsEnableEncryption.plan(queue, { ...state, tags: {} }, settings).changes).toHaveLength(changes);
  });
});

describe('kms public statements', () => {
  const doc = (statement: object) => parsePolicy(JSON.stringify({ Statement: [statement] }));
  const first = (statement: object) => {
    const d = doc(statement);
    if (!d.ok) throw new Error(d.error);
    return d.document.statements[0];
  };
  it.each([
    [
      'flags Principal "*" without condition',
      { Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
      true,
    ],
    [
      'flags Principal AWS "*"',
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' },
      true,
    ],
    [
      'keeps a wildcard limited by kms:CallerAccount (the AWS-managed key pattern)',
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': '123456789012' } },
      },
      false,
    ],
    [
      'keeps a wildcard limited by aws:PrincipalOrgID',
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
      },
      false,
    ],
    [
      'flags a wildcard whose only condition does not limit who (kms:ViaService)',
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
      true,
    ],
    ['ignores Deny statements', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }, false],
    [
      'ignores the account root',
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
      false,
    ],
  ])('%s', (_n, statement, expected) => {
    expect(isPublicStatement(first(statement))).toBe(expected);
  });

  const policy = JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-policy',
    Statement: [
      {
        Sid: 'Root',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'kms:*',
        Resource: '*',
      },
      { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    ],
  });

  it('removes only the public statement and keeps the rest of the document', () => {
    expect(publicStatementIndices(policy)).toEqual([1]);
    const after = JSON.parse(withoutStatements(policy, [1]));
    expect(after).toEqual({
      Version: '2012-10-17',
      Id: 'key-policy',
      Statement: [expect.objectContaining({ Sid: 'Root' })],
    });
  });

  it('refuses to plan when every statement is public', () => {
    const allOpen = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }],
    });
    const plan = kmsRemovePublicStatements.plan(
      at('AWS::KMS::Key', 'k'),
      { keyId: 'k', policy: allOpen, tags: {} },
      {},
    );
    expect(plan.blocked).toMatch(/Every statement/);
  });
});

describe('kms external grants', () => {
  const grants = [
    { grantId: 'own', granteePrincipal: 'arn:aws:iam::123456789012:role/app', operations: ['Decrypt'] },
    { grantId: 'partner', granteePrincipal: 'arn:aws:iam::111122223333:role/partner', operations: ['Decrypt'] },
    { grantId: 'stranger', granteePrincipal: 'arn:aws:iam::444455556666:root', operations: ['Encrypt', 'Decrypt'] },
    { grantId: 'service', granteePrincipal: 'dynamodb.us-east-1.amazonaws.com', operations: ['Decrypt'] },
  ];
  const state = { keyId: 'k', grants, tags: {} };
  it('finds grants to other accounts and spares trusted accounts and service principals', () => {
    expect(
      externalGrants(state, '123456789012', { trustedAccountIds: ['111122223333'] }).map((g) => g.grantId),
    ).toEqual(['stranger']);
  });
  it('reads the grantee account from ARNs and bare ids only', () => {
    expect([
      granteeAccount('arn:aws:iam::444455556666:root'),
      granteeAccount('444455556666'),
      granteeAccount('s3.amazonaws.com'),
    ]).toEqual(['444455556666', '444455556666', undefined]);
  });
  it('plans one RevokeGrant per external grant', () => {
    const plan = kmsRevokeExternalGrant.plan(at('AWS::KMS::Key', 'k'), state, {});
    expect(plan.changes.map((c) => c.operation)).toEqual(['kms:RevokeGrant', 'kms:RevokeGrant']);
  });
});

describe('exposed access keys', () => {
  it('finds long-term key ids in environment values, never temporary ones', () => {
    const found = findAccessKeyIds({
      A: 'AKIAIOSFODNN7EXAMPLE',
      B: 'key=AKIAIOSFODNN7EXAMPLE;x',
      C: 'ASIAIOSFODNN7EXAMPLE',
      D: 'nothing',
    });
    expect([...found.entries()]).toEqual([['AKIAIOSFODNN7EXAMPLE', ['A', 'B']]]);
  });
  it('blocks when the key belongs to no user of this account', () => {
    const plan = iamDeactivateExposedAccessKey.plan(
      at('AWS::Lambda::Function', 'fn'),
      { functionArn: 'arn', keys: [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', variables: ['A'] }], tags: {} },
      {},
    );
    expect(plan.blocked).toMatch(/belong to no user of this account/);
  });
});

describe('dynamodb-use-customer-managed-key (fake client: moto ignores UpdateTable SSESpecification)', () => {
  it('is blocked without a configured key', () => {
    const plan = dynamodbUseCustomerManagedKey.plan(
      at('AWS::DynamoDB::Table', 't'),
      { tableArn: 'a', kmsMasterKeyArn: null, sseStatus: null, tags: {} },
      {},
    );
    expect(plan.blocked).toBeDefined();
  });
});
