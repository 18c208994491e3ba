import { normalizeConfigurationItem } from '../../../rules/runtime';
import {
  createKmsKeyLookup,
  createSnapshotKeyLookup,
  isAwsManagedAlias,
  parseKeyRef,
} from '../../../rules/runtime/key-lookup';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
const where = { accountId: ACCOUNT, region: REGION };

describe('parseKeyRef', () => {
  it.each([
    ['a key ARN', KEY_ARN, { kind: 'key-arn', accountId: ACCOUNT, region: REGION, name: KEY_ID }],
    [
      'an alias ARN',
      `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app`,
      { kind: 'alias-arn', accountId: ACCOUNT, region: REGION, name: 'alias/app' },
    ],
    ['an alias name', 'alias/aws/sqs', { kind: 'alias', name: 'alias/aws/sqs' }],
    ['a bare key id', KEY_ID, { kind: 'key-id', name: KEY_ID }],
    [
      'a GovCloud key ARN',
      `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT}:key/${KEY_ID}`,
      { kind: 'key-arn', name: KEY_ID },
    ],
  ])('parses %s', (_name, ref, expected) => {
    expect(parseKeyRef(ref)).toMatchObject(expected);
  });

  it.each([
    ['alias/aws/s3', true],
    [`arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/kinesis`, true],
    ['alias/awsome', false],
    ['alias/app', false],
    [KEY_ARN, false],
  ])('knows whether %s is an AWS-managed alias', (ref, expected) => {
    expect(isAwsManagedAlias(ref)).toBe(expected);
  });
});

describe('createKmsKeyLookup', () => {
  function lookup(answer: (keyId: string) => unknown) {
    const calls: string[] = [];
    const regions: string[] = [];
    const keys = createKmsKeyLookup(
      (region) => {
        regions.push(region);
        return {
          send: async (command: unknown) => {
            const keyId = (command as { KeyId: string }).KeyId;
            calls.push(keyId);
            return answer(keyId) as never;
          },
        };
      },
      (keyId) => ({ KeyId: keyId }),
    );
    return { keys, calls, regions };
  }

  it('answers alias/aws/* without calling KMS', async () => {
    const { keys, calls } = lookup(() => {
      throw new Error('must not be called');
    });
    await expect(keys.describe('alias/aws/sns', where)).resolves.toEqual({ manager: 'AWS', accountId: ACCOUNT });
    expect(calls).toEqual([]);
  });

  it('reads the manager and owner from DescribeKey, once per reference', async () => {
    const { keys, calls } = lookup(() => ({
      KeyMetadata: { Arn: KEY_ARN, KeyId: KEY_ID, AWSAccountId: ACCOUNT, KeyManager: 'CUSTOMER' },
    }));
    const first = await keys.describe('alias/app', where);
    await keys.describe('alias/app', where);
    expect(first).toEqual({ arn: KEY_ARN, keyId: KEY_ID, accountId: ACCOUNT, manager: 'CUSTOMER' });
    expect(calls).toEqual(['alias/app']);
  });

  it('calls KMS in the region of a key ARN', async () => {
    const { keys, regions } = lookup(() => ({ KeyMetadata: { Arn: KEY_ARN.replace(REGION, 'eu-west-1') } }));
    await keys.describe(KEY_ARN.replace(REGION, 'eu-west-1'), where);
    expect(regions).toEqual(['eu-west-1']);
  });

  it('answers undefined, never a guess, when DescribeKey fails', async () => {
    const { keys } = lookup(() => {
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    });
    await expect(keys.describe(KEY_ARN, where)).resolves.toBeUndefined();
  });

  it('leaves the manager unset when KMS reports an unknown value', async () => {
    const { keys } = lookup(() => ({ KeyMetadata: { Arn: KEY_ARN, KeyManager: 'SOMETHING' } }));
    await expect(keys.describe(KEY_ARN, where)).resolves.toMatchObject({ accountId: ACCOUNT, manager: undefined });
  });
});

describe('createSnapshotKeyLookup', () => {
  const item = (resourceType: string, resourceId: string, configuration: Record<string, unknown>, account = ACCOUNT) =>
    normalizeConfigurationItem({
      resourceType,
      resourceId,
      awsAccountId: account,
      awsRegion: REGION,
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: '2026-11-01T00:00:00Z',
      configuration,
      supplementaryConfiguration: {},
    });
  const keys = createSnapshotKeyLookup();
  keys.add(
    item('AWS::KMS::Key', KEY_ID, { keyId: KEY_ID, arn: KEY_ARN, keyManager: 'CUSTOMER', awsaccountId: ACCOUNT }),
  );
  keys.add(item('AWS::KMS::Alias', 'alias/app', { AliasName: 'alias/app', TargetKeyId: KEY_ID }));

  it('ignores items that are not KMS keys or aliases', () => {
    expect(keys.add(item('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:111122223333:t', {}))).toBe(false);
  });

  it.each([
    ['a key id', KEY_ID],
    ['a key ARN', KEY_ARN],
    ['an alias name', 'alias/app'],
    ['an alias ARN', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app`],
  ])('resolves %s to the recorded key', async (_name, ref) => {
    await expect(keys.describe(ref, where)).resolves.toMatchObject({ arn: KEY_ARN, manager: 'CUSTOMER' });
  });

  it('does not resolve an alias of another account or region', async () => {
    await expect(keys.describe('alias/app', { accountId: '999988887777', region: REGION })).resolves.toBeUndefined();
    await expect(keys.describe('alias/app', { accountId: ACCOUNT, region: 'eu-west-1' })).resolves.toBeUndefined();
  });

  it('answers undefined for a key the snapshot does not hold', async () => {
    await expect(keys.describe(KEY_ARN.replace(KEY_ID, 'ffff'), where)).resolves.toBeUndefined();
  });
});
