import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import {
  type ConfigurationItem,
  evaluateItem,
  evaluateWithFacts,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';
import type { KeyInfo } from '../../../rules/runtime/context';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createLogger } from '../../../rules/runtime/logger';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import {
  ACCOUNT,
  AWS_MANAGED_KEY,
  CUSTOMER_KEY,
  EXTERNAL_KEY,
  eventCi,
  type Json,
  OTHER,
  REGION,
} from './encrypted-at-rest.fixtures';

const params = (raw: Json = {}) => parseRuleParameters(encryptedAtRest.meta.parameters, raw, 'encrypted-at-rest');
const secret = (KMSKeyId?: string) =>
  normalizeConfigurationItem(
    eventCi('AWS::SecretsManager::Secret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:db-AbCdEf`, {
      Name: 'db',
      ...(KMSKeyId ? { KMSKeyId } : {}),
    }),
  );
const volume = (kmsKeyId: string) =>
  normalizeConfigurationItem(eventCi('AWS::EC2::Volume', 'vol-0123456789abcdef0', { encrypted: true, kmsKeyId }));
const sqsOwned = normalizeConfigurationItem(
  eventCi('AWS::SQS::Queue', `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/jobs`, { SqsManagedSseEnabled: 'true' }),
);
const dynamoOwned = normalizeConfigurationItem(eventCi('AWS::DynamoDB::Table', 'orders', { tableName: 'orders' }));
const s3Sse = normalizeConfigurationItem(
  eventCi(
    'AWS::S3::Bucket',
    'b',
    { name: 'b' },
    {
      ServerSideEncryptionConfiguration: {
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256', kmsMasterKeyID: null } }],
      },
    },
  ),
);
const customer: KeyInfo = {
  arn: CUSTOMER_KEY,
  keyId: CUSTOMER_KEY.split('/')[1],
  accountId: ACCOUNT,
  manager: 'CUSTOMER',
};
const awsManaged: KeyInfo = { arn: AWS_MANAGED_KEY, accountId: ACCOUNT, manager: 'AWS' };

interface KeyCase {
  readonly item: ConfigurationItem;
  readonly params: Json;
  readonly facts: Json;
  readonly codes: readonly string[];
}

const cases: [string, KeyCase][] = [
  [
    'accepts an AWS-managed key by default',
    { item: volume(AWS_MANAGED_KEY), params: {}, facts: { key: awsManaged }, codes: [] },
  ],
  [
    'flags an AWS-managed key (resolved by the lookup) with requireCustomerManagedKey',
    {
      item: volume(AWS_MANAGED_KEY),
      params: { requireCustomerManagedKey: 'true' },
      facts: { key: awsManaged },
      codes: ['not-customer-managed-key'],
    },
  ],
  [
    'accepts a customer key (resolved by the lookup) with requireCustomerManagedKey',
    { item: volume(CUSTOMER_KEY), params: { requireCustomerManagedKey: true }, facts: { key: customer }, codes: [] },
  ],
  [
    'flags alias/aws/* as AWS-managed without a lookup',
    {
      item: secret('alias/aws/secretsmanager'),
      params: { requireCustomerManagedKey: true },
      facts: {},
      codes: ['not-customer-managed-key'],
    },
  ],
  [
    'flags a Secrets Manager secret without KMSKeyId (aws/secretsmanager) with requireCustomerManagedKey',
    { item: secret(), params: { requireCustomerManagedKey: true }, facts: {}, codes: ['not-customer-managed-key'] },
  ],
  [
    'flags SSE-SQS (AWS-owned) with requireCustomerManagedKey, never as unencrypted',
    { item: sqsOwned, params: { requireCustomerManagedKey: true }, facts: {}, codes: ['not-customer-managed-key'] },
  ],
  [
    'flags a DynamoDB table on its AWS-owned key with requireCustomerManagedKey, never as unencrypted',
    { item: dynamoOwned, params: { requireCustomerManagedKey: true }, facts: {}, codes: ['not-customer-managed-key'] },
  ],
  [
    'flags SSE-S3 with requireCustomerManagedKey',
    { item: s3Sse, params: { requireCustomerManagedKey: true }, facts: {}, codes: ['not-customer-managed-key'] },
  ],
  [
    'reports a key of another account as external-key and never as not-customer-managed-key',
    {
      item: secret(EXTERNAL_KEY),
      params: { requireCustomerManagedKey: true },
      facts: { key: null },
      codes: ['external-key'],
    },
  ],
  [
    'trusts a key of an account in trustedAccountIds',
    { item: volume(EXTERNAL_KEY), params: { trustedAccountIds: OTHER }, facts: {}, codes: [] },
  ],
  [
    'says the key could not be verified when the lookup cannot answer and a customer key is required',
    {
      item: volume(CUSTOMER_KEY),
      params: { requireCustomerManagedKey: true },
      facts: { key: null, lookupNote: 'x' },
      codes: ['key-unverified'],
    },
  ],
  [
    'accepts a key listed in allowedKmsKeyArns',
    { item: volume(CUSTOMER_KEY), params: { allowedKmsKeyArns: CUSTOMER_KEY }, facts: {}, codes: [] },
  ],
  [
    'flags a key not listed in allowedKmsKeyArns',
    {
      item: volume(AWS_MANAGED_KEY),
      params: { allowedKmsKeyArns: CUSTOMER_KEY },
      facts: {},
      codes: ['key-not-allowed'],
    },
  ],
  [
    'resolves an alias before comparing with allowedKmsKeyArns',
    { item: secret('alias/app'), params: { allowedKmsKeyArns: CUSTOMER_KEY }, facts: { key: customer }, codes: [] },
  ],
  [
    'matches a bare key id against the key ARN in allowedKmsKeyArns',
    { item: secret(CUSTOMER_KEY.split('/')[1]), params: { allowedKmsKeyArns: CUSTOMER_KEY }, facts: {}, codes: [] },
  ],
  [
    'says an unresolved alias could not be checked against allowedKmsKeyArns',
    {
      item: secret('alias/app'),
      params: { allowedKmsKeyArns: CUSTOMER_KEY },
      facts: { key: null },
      codes: ['key-unverified'],
    },
  ],
  [
    'flags an AWS-owned key when allowedKmsKeyArns is set',
    { item: sqsOwned, params: { allowedKmsKeyArns: CUSTOMER_KEY }, facts: {}, codes: ['key-not-allowed'] },
  ],
];

describe('encrypted-at-rest key judgement', () => {
  it.each(cases)('%s', (_name, c) => {
    const [e] = evaluateWithFacts(encryptedAtRest, c.item, params(c.params), c.facts);
    expect(e.findings.map((f) => f.code)).toEqual(c.codes);
    expect(e.compliance).toBe(c.codes.length ? 'NON_COMPLIANT' : 'COMPLIANT');
  });

  it('gives external-key low severity', () => {
    const [e] = evaluateWithFacts(encryptedAtRest, volume(EXTERNAL_KEY), params(), {});
    expect(e.findings[0]).toMatchObject({ code: 'external-key', severity: 'low' });
    expect(e.annotation).toContain(OTHER);
  });

  it('says in the annotation when the key manager is unknown', () => {
    const facts = { key: null, lookupNote: 'no KMS Key/Alias item for it in the snapshot' };
    const [e] = evaluateWithFacts(encryptedAtRest, volume(CUSTOMER_KEY), params(), facts);
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(/key manager unknown: no KMS Key\/Alias item/);
  });

  it('reports an exempt resource NOT_APPLICABLE with the reason', () => {
    const item = normalizeConfigurationItem(
      eventCi(
        'AWS::EC2::Volume',
        'vol-0aaaaaaaaaaaaaaaa',
        { encrypted: false },
        {},
        { tags: { 'ward:exempt': 'scratch' } },
      ),
    );
    const [e] = evaluateWithFacts(encryptedAtRest, item, params({ exemptTag: 'ward:exempt' }), {});
    expect(e).toMatchObject({ compliance: 'NOT_APPLICABLE', reason: 'Exempt: tagged ward:exempt.' });
  });
});

describe('encrypted-at-rest gather with the snapshot key lookup', () => {
  const keys = createSnapshotKeyLookup();
  keys.add(
    normalizeConfigurationItem(
      eventCi(
        'AWS::KMS::Key',
        CUSTOMER_KEY.split('/')[1],
        { keyId: CUSTOMER_KEY.split('/')[1], arn: CUSTOMER_KEY, keyManager: 'CUSTOMER', awsaccountId: ACCOUNT },
        {},
        { ARN: CUSTOMER_KEY },
      ),
    ),
  );
  keys.add(
    normalizeConfigurationItem(
      eventCi('AWS::KMS::Alias', 'alias/app', { AliasName: 'alias/app', TargetKeyId: CUSTOMER_KEY.split('/')[1] }),
    ),
  );
  const ctx = createRuleContext({ mode: 'snapshot', accountId: ACCOUNT, region: REGION, keys, logger: createLogger() });

  it.each([
    ['resolves an alias to a customer key in the same snapshot', 'alias/app', []],
    ['resolves a key ARN to a customer key', CUSTOMER_KEY, []],
    ['cannot resolve an unknown key and says so', AWS_MANAGED_KEY, ['key-unverified']],
  ] as const)('%s', async (_name, ref, codes) => {
    const [e] = await evaluateItem(encryptedAtRest, secret(ref), params({ requireCustomerManagedKey: true }), ctx);
    expect(e.findings.map((f) => f.code)).toEqual(codes);
  });
});
