import { isDeleted, normalizeConfigurationItem, readTags } from '../../../rules/runtime/configuration-item';
import { ConfigurationItemError } from '../../../rules/runtime/errors';

const eventForm = Object.freeze({
  configurationItemCaptureTime: '2021-01-13T05:00:23.319Z',
  awsAccountId: '123456789012',
  configurationItemStatus: 'OK',
  resourceId: 'my-bucket',
  resourceName: 'my-bucket',
  ARN: 'arn:aws:s3:::my-bucket',
  awsRegion: 'us-east-1',
  resourceType: 'AWS::S3::Bucket',
  tags: { team: 'data' },
  relationships: [{ resourceType: 'AWS::IAM::Role', resourceId: 'AROA1', name: 'Is attached to Role' }],
  configuration: { name: 'my-bucket' },
  supplementaryConfiguration: {
    AccessControlList: '{"grantList":[{"grantee":"AllUsers","permission":"Read"}],"owner":{"id":"abc"}}',
    BucketPolicy: { policyText: null },
  },
});

describe('normalizeConfigurationItem', () => {
  it('reads the event form: ARN, awsAccountId, object configuration, JSON-string supplementary values', () => {
    const ci = normalizeConfigurationItem(eventForm);
    expect(ci.arn).toBe('arn:aws:s3:::my-bucket');
    expect(ci.accountId).toBe('123456789012');
    expect(ci.configuration).toEqual({ name: 'my-bucket' });
    expect(ci.supplementaryConfiguration.AccessControlList).toEqual({
      grantList: [{ grantee: 'AllUsers', permission: 'Read' }],
      owner: { id: 'abc' },
    });
    expect(ci.relationships[0].name).toBe('Is attached to Role');
    expect(ci.tags).toEqual({ team: 'data' });
  });

  it('reads the API form: arn, accountId, JSON-string configuration, epoch capture time, relationshipName', () => {
    const ci = normalizeConfigurationItem({
      version: '1.3',
      accountId: '111122223333',
      configurationItemCaptureTime: 1610514023.319,
      configurationItemStatus: 'OK',
      arn: 'arn:aws:sns:us-east-1:111122223333:t',
      resourceType: 'AWS::SNS::Topic',
      resourceId: 'arn:aws:sns:us-east-1:111122223333:t',
      awsRegion: 'us-east-1',
      configuration: '{"TopicArn":"arn:aws:sns:us-east-1:111122223333:t","KmsMasterKeyId":"alias/aws/sns"}',
      supplementaryConfiguration: { Tags: '[{"key":"env","value":"prod"}]' },
      relationships: [{ resourceType: 'AWS::KMS::Key', relationshipName: 'Is associated with' }],
    });
    expect(ci.arn).toBe('arn:aws:sns:us-east-1:111122223333:t');
    expect(ci.accountId).toBe('111122223333');
    expect(ci.configuration?.KmsMasterKeyId).toBe('alias/aws/sns');
    expect(ci.captureTime).toBe('2021-01-13T05:00:23.319Z');
    expect(ci.relationships[0].name).toBe('Is associated with');
    expect(ci.tags).toEqual({ env: 'prod' });
  });

  it('treats configuration null and the string "null" as deleted', () => {
    const a = normalizeConfigurationItem({
      ...eventForm,
      configurationItemStatus: 'ResourceDeleted',
      configuration: null,
    });
    const b = normalizeConfigurationItem({
      ...eventForm,
      configurationItemStatus: 'ResourceDeleted',
      configuration: 'null',
    });
    expect(isDeleted(a)).toBe(true);
    expect(isDeleted(b)).toBe(true);
    expect(b.configuration).toBeNull();
  });

  it('rejects an item without resourceType', () => {
    expect(() => normalizeConfigurationItem({ resourceId: 'x' })).toThrow(ConfigurationItemError);
  });

  it.each([
    ['configuration that is not JSON', { configuration: '{oops' }, 'configuration is not valid JSON'],
    ['configuration that is a number', { configuration: 7 }, 'configuration is not a JSON object'],
    ['configuration null with status OK', { configuration: null }, 'configuration is null although the status is OK'],
    [
      'configuration "null" with status ResourceDiscovered',
      { configuration: 'null', configurationItemStatus: 'ResourceDiscovered' },
      'configuration is null although the status is ResourceDiscovered',
    ],
    [
      'no configuration with status OK',
      { configuration: undefined },
      'configuration is missing although the status is OK',
    ],
    [
      'supplementaryConfiguration []',
      { supplementaryConfiguration: [] },
      'supplementaryConfiguration is an array, not an object',
    ],
    [
      'supplementaryConfiguration "[]" (API form)',
      { supplementaryConfiguration: '[]' },
      'supplementaryConfiguration is an array, not an object',
    ],
  ])('keeps %s as a configuration problem of a live resource, never as deleted', (_n, patch, problem) => {
    const ci = normalizeConfigurationItem({ ...eventForm, ...patch });
    expect(isDeleted(ci)).toBe(false);
    expect(ci.configurationProblem?.problem).toBe(problem);
  });

  it('gives tag maps no prototype, so "__proto__" and "constructor" are ordinary keys', () => {
    const ci = normalizeConfigurationItem({ ...eventForm, tags: { __proto__: 'x', env: 'prod' } });
    expect(Object.hasOwn(ci.tags, 'constructor')).toBe(false);
    expect(ci.tags.constructor).toBeUndefined();
  });
});

describe('readTags', () => {
  it.each([
    ['a map', { a: '1' }],
    ['a JSON string', '{"a":"1"}'],
    ['[{key,value}]', [{ key: 'a', value: '1' }]],
    ['[{tagKey,tagValue}]', [{ tagKey: 'a', tagValue: '1' }]],
    ['[{Key,Value}]', [{ Key: 'a', Value: '1' }]],
    ['{k: {Key,Value}}', { a: { Key: 'a', Value: '1' } }],
  ])('reads tags given as %s', (_label, raw) => {
    expect(readTags(raw)).toEqual({ a: '1' });
  });
});
