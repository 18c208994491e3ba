/**
 * Runbooks against moto with the real SDK: apply fixes the resource, a second apply changes nothing, rollback
 * restores the recorded before-state. (DynamoDB is covered by a unit test: moto ignores UpdateTable SSE.)
 */
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListGrantsCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { createContexts, recheckRule } from '../../responder/recheck';
import { noPublicPrincipals } from '../../rules/no-public-principals/rule';
import type { AnyRule } from '../../rules/runtime/types';
import { s3BlockPublicAccess } from '../../runbooks/s3-block-public-access';
import { createLogger } from '../../rules/runtime/logger';
import { iamDeactivateExposedAccessKey } from '../../runbooks/iam-deactivate-exposed-access-key';
import { kmsRemovePublicStatements } from '../../runbooks/kms-remove-public-statements';
import { kmsRevokeExternalGrant } from '../../runbooks/kms-revoke-external-grant';
import { snsEnableEncryption } from '../../runbooks/sns-enable-encryption';
import { sqsEnableEncryption } from '../../runbooks/sqs-enable-encryption';
import type { RunbookResource } from '../../runbooks/types';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

const region = motoRegion(__filename);
const cfg = () => motoClientConfig(region);
const KEY = `arn:aws:kms:${region}:${MOTO_ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const logger = createLogger();
logger.level = 'silent';
let restore: () => void;

const at = (resourceType: string, resourceId: string): RunbookResource => ({
  resourceType,
  resourceId,
  accountId: MOTO_ACCOUNT,
  region,
});
const ctxFor = (r: RunbookResource, trusted: string[] = []) =>
  createContexts(r, { kmsKeyArn: KEY, trustedAccountIds: trusted }, logger).runbook;

beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

it('sns-enable-encryption encrypts a topic with the key, once, and rolls back', async () => {
  const sns = new SNSClient(cfg());
  const arn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('orders') }))).TopicArn as string;
  const r = at('AWS::SNS::Topic', arn);
  const key = async () => (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes?.KmsMasterKeyId;
  const first = await snsEnableEncryption.apply(r, ctxFor(r));
  expect(first.changed).toBe(true);
  expect(await key()).toBe(KEY);
  expect((await snsEnableEncryption.apply(r, ctxFor(r))).changed).toBe(false);
  await snsEnableEncryption.rollback?.(r, first.before, ctxFor(r));
  expect(await key()).toBeFalsy();
});

it('sqs-enable-encryption sets the key on a queue and rolls back', async () => {
  const sqs = new SQSClient(cfg());
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('jobs') }))).QueueUrl as string;
  const r = at('AWS::SQS::Queue', url);
  const attrs = async () =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['KmsMasterKeyId'] }))).Attributes ??
    {};
  const first = await sqsEnableEncryption.apply(r, ctxFor(r));
  expect(first.changed).toBe(true);
  expect((await attrs()).KmsMasterKeyId).toBe(KEY);
  expect((await sqsEnableEncryption.apply(r, ctxFor(r))).changed).toBe(false);
  await sqsEnableEncryption.rollback?.(r, first.before, ctxFor(r));
  expect((await attrs()).KmsMasterKeyId ?? '').toBe('');
});

it('kms-remove-public-statements drops the public statement only and rolls back verbatim', async () => {
  const kms = new KMSClient(cfg());
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId as string;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Root',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      { Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    ],
  });
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy }));
  const r = at('AWS::KMS::Key', keyId);
  const current = async () =>
    (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy as string;
  const first = await kmsRemovePublicStatements.apply(r, ctxFor(r));
  expect(JSON.parse(await current()).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['Root']);
  expect((await kmsRemovePublicStatements.apply(r, ctxFor(r))).changed).toBe(false);
  await kmsRemovePublicStatements.rollback?.(r, first.before, ctxFor(r));
  expect(await current()).toBe(policy);
});

it('kms-revoke-external-grant revokes the grant to an untrusted account, keeps the trusted one, and re-creates it on rollback', async () => {
  const kms = new KMSClient(cfg());
  const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId as string;
  const grant = (principal: string) =>
    kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: principal,
        Operations: ['Decrypt'],
        Name: principal.split(':')[4],
      }),
    );
  await grant('arn:aws:iam::444455556666:role/stranger');
  await grant('arn:aws:iam::111122223333:role/partner');
  const r = at('AWS::KMS::Key', keyId);
  const grantees = async () =>
    ((await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants ?? []).map((g) => g.GranteePrincipal).sort();
  const first = await kmsRevokeExternalGrant.apply(r, ctxFor(r, ['111122223333']));
  expect(await grantees()).toEqual(['arn:aws:iam::111122223333:role/partner']);
  await kmsRevokeExternalGrant.rollback?.(r, first.before, ctxFor(r, ['111122223333']));
  expect(await grantees()).toEqual([
    'arn:aws:iam::111122223333:role/partner',
    'arn:aws:iam::444455556666:role/stranger',
  ]);
});

it('iam-deactivate-exposed-access-key deactivates the key found in a function environment and reactivates it on rollback', async () => {
  const iam = new IAMClient(cfg());
  const user = uniqueName('exporter');
  await iam.send(new CreateUserCommand({ UserName: user }));
  const keyId = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey?.AccessKeyId as string;
  expect(keyId).toMatch(/^AKIA/);
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: uniqueName('fn-role'),
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const fn = uniqueName('billing-export');
  await new LambdaClient(cfg()).send(
    new CreateFunctionCommand({
      FunctionName: fn,
      Runtime: 'nodejs22.x',
      Role: role.Role?.Arn,
      Handler: 'index.handler',
      Code: { ZipFile: Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64') },
      Environment: { Variables: { EXPORT_KEY_ID: keyId, EXPORT_SECRET: 'not-logged' } },
    }),
  );
  const r = at('AWS::Lambda::Function', fn);
  const status = async () =>
    (await iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata?.find(
      (k) => k.AccessKeyId === keyId,
    )?.Status;
  const plan = iamDeactivateExposedAccessKey.plan(r, await iamDeactivateExposedAccessKey.readState(r, ctxFor(r)), {});
  expect(plan.changes[0].description).toContain(
    `Deactivate access key ${keyId} of user ${user} (found in EXPORT_KEY_ID)`,
  );
  const first = await iamDeactivateExposedAccessKey.apply(r, ctxFor(r));
  expect(await status()).toBe('Inactive');
  expect(JSON.stringify(first)).not.toContain('not-logged');
  await iamDeactivateExposedAccessKey.rollback?.(r, first.before, ctxFor(r));
  expect(await status()).toBe('Active');
});

it('s3-block-public-access: the re-check sees a public bucket policy read live, and the fix makes it compliant', async () => {
  const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
  const Bucket = uniqueName('site');
  await s3.send(
    new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: region as never } }),
  );
  const r = at('AWS::S3::Bucket', Bucket);
  const recheck = async () => {
    const { rule, runbook } = createContexts(r, { kmsKeyArn: KEY, trustedAccountIds: [] }, logger);
    const state = await s3BlockPublicAccess.readState(r, runbook);
    return recheckRule(noPublicPrincipals as AnyRule, s3BlockPublicAccess, r, state, {}, rule);
  };
  // No policy yet: nothing public, so the responder would leave the bucket alone.
  expect((await recheck())?.compliance).toBe('COMPLIANT');
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }],
      }),
    }),
  );
  const before = await recheck();
  expect(before?.compliance).toBe('NON_COMPLIANT');
  expect(before?.compliance === 'NON_COMPLIANT' && before.findings.map((f) => f.code)).toContain('public-principal');
  const first = await s3BlockPublicAccess.apply(r, ctxFor(r));
  expect(first.changed).toBe(true);
  // RestrictPublicBuckets neutralises the public policy.
  expect((await recheck())?.compliance).toBe('COMPLIANT');
});
