import { ConfigServiceClient, type PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { CreateRepositoryCommand, ECRClient, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateFileSystemCommand, EFSClient, PutFileSystemPolicyCommand } from '@aws-sdk/client-efs';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { noPublicPrincipals } from '../../rules/no-public-principals/rule';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import { createLogger } from '../../rules/runtime/logger';
import { createRuleContext } from '../../rules/runtime/rule-context';
import {
  type AnyRule,
  type Evaluation,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../rules/runtime';
import { changeEvent } from '../fixtures/events/config-events';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * Real resources with real policies in moto, read back through the SDK; the configuration items are built from
 * those API responses in the event form Config sends, then judged by the rule. The Lambda case also runs the
 * real handler, whose gather reads the function policy with lambda:GetPolicy from moto.
 */

const region = motoRegion(__filename);
const config = motoClientConfig(region);
const s3 = new S3Client(config);
const sns = new SNSClient(config);
const sqs = new SQSClient(config);
const lambda = new LambdaClient(config);
const iam = new IAMClient(config);
const ecr = new ECRClient(config);
const efs = new EFSClient(config);
const silent = createLogger({}, { write: () => undefined });
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

let restore: () => void;
beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

function ci(resourceType: string, resourceId: string, configuration: object, supplementary: object = {}) {
  return Object.freeze({
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-20T10:15:30.123Z',
    configurationItemStatus: 'OK',
    awsAccountId: MOTO_ACCOUNT,
    resourceType,
    resourceId,
    resourceName: resourceId,
    awsRegion: region,
    tags: {},
    relationships: [],
    configuration,
    supplementaryConfiguration: supplementary,
  });
}

async function judge(raw: object, params: object = {}): Promise<Evaluation> {
  const ctx = createRuleContext({
    mode: 'live',
    accountId: MOTO_ACCOUNT,
    region,
    logger: silent,
    keys: { describe: async () => undefined },
  });
  const p = parseRuleParameters(noPublicPrincipals.meta.parameters, params, 'no-public-principals');
  const [e] = await evaluateItem(noPublicPrincipals as AnyRule, normalizeConfigurationItem(raw), p, ctx);
  return e;
}
const codes = (e: Evaluation) => e.findings.map((f) => f.code).sort();

/** The bucket's CI as Config records it: ACL (JSON string, Config's grantee shape), policy, Public Access Block. */
async function bucketItem(bucket: string) {
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  const permission: Record<string, string> = {
    FULL_CONTROL: 'FullControl',
    READ: 'Read',
    WRITE: 'Write',
    READ_ACP: 'ReadAcp',
    WRITE_ACP: 'WriteAcp',
  };
  const groups: Record<string, string> = {
    'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
    'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
    'http://acs.amazonaws.com/groups/s3/LogDelivery': 'LogDelivery',
  };
  const grantList = (acl.Grants ?? []).map((g) => ({
    grantee: g.Grantee?.URI
      ? groups[g.Grantee.URI]
      : { id: g.Grantee?.ID, displayName: g.Grantee?.DisplayName ?? null },
    permission: permission[g.Permission ?? ''] ?? g.Permission,
  }));
  const owner = { id: acl.Owner?.ID, displayName: acl.Owner?.DisplayName ?? null };
  const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then(
    (r) => r.Policy ?? null,
    () => null,
  );
  const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then(
    (r) => r.PublicAccessBlockConfiguration,
    () => undefined,
  );
  const sc: Record<string, unknown> = {
    AccessControlList: JSON.stringify({ grantSet: null, grantList, owner, isRequesterCharged: false }),
    BucketPolicy: { policyText: policy },
  };
  if (pab) {
    sc.PublicAccessBlockConfiguration = {
      blockPublicAcls: pab.BlockPublicAcls ?? false,
      ignorePublicAcls: pab.IgnorePublicAcls ?? false,
      blockPublicPolicy: pab.BlockPublicPolicy ?? false,
      restrictPublicBuckets: pab.RestrictPublicBuckets ?? false,
    };
  }
  return ci('AWS::S3::Bucket', bucket, { name: bucket, owner }, sc);
}

async function createBucket(bucket: string, policy: object, restrictPublicBuckets = false): Promise<void> {
  await s3.send(
    new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as never } }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
  if (restrictPublicBuckets) {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { RestrictPublicBuckets: true },
      }),
    );
  }
}

const publicRead = (bucket: string, condition?: object) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Read',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

describe('no-public-principals against moto', () => {
  describe('S3 bucket', () => {
    it.each([
      ['flags a public bucket policy', undefined, false, ['public-principal']],
      [
        'passes a bucket policy restricted by aws:SourceVpce',
        { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
        false,
        [],
      ],
      [
        'flags a bucket policy with aws:SourceIp 0.0.0.0/0',
        { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } },
        false,
        ['public-principal'],
      ],
      ['passes a public policy neutralised by RestrictPublicBuckets', undefined, true, []],
    ] as const)('%s', async (_name, condition, restrict, expected) => {
      const bucket = uniqueName('npp-bucket');
      await createBucket(bucket, publicRead(bucket, condition), restrict);
      expect(codes(await judge(await bucketItem(bucket)))).toEqual([...expected]);
    });

    it('flags a bucket shared with another account, unless the account is trusted', async () => {
      const bucket = uniqueName('npp-bucket');
      await createBucket(bucket, {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::999988887777:root' },
            Action: 's3:GetObject',
            Resource: '*',
          },
        ],
      });
      expect(codes(await judge(await bucketItem(bucket)))).toEqual(['external-principal']);
      expect(codes(await judge(await bucketItem(bucket), { trustedAccountIds: '999988887777' }))).toEqual([]);
    });
  });

  describe('SNS topic', () => {
    async function topicItem(arn: string) {
      const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
      return ci('AWS::SNS::Topic', arn, { TopicArn: arn, Owner: Attributes?.Owner, Policy: Attributes?.Policy });
    }

    it("passes the topic's default policy as moto creates it", async () => {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('npp-topic') }));
      const e = await judge(await topicItem(TopicArn as string));
      expect(e.compliance).toBe('COMPLIANT');
    });

    it('flags a console-style public publish statement added to the default policy', async () => {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('npp-topic') }));
      const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
      const doc = JSON.parse(Attributes?.Policy as string);
      doc.Statement.push({
        Sid: '__console_pub_0',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'SNS:Publish',
        Resource: TopicArn,
      });
      await sns.send(
        new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(doc) }),
      );
      const e = await judge(await topicItem(TopicArn as string));
      expect(codes(e)).toEqual(['public-principal']);
      expect(e.findings[0]?.message).toContain('__console_pub_0');
    });
  });

  describe('SQS queue', () => {
    it.each([
      [
        'passes SNS delivery scoped by aws:SourceArn',
        { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:${region}:${MOTO_ACCOUNT}:t` } },
        [],
      ],
      ['flags SNS delivery without a source condition', undefined, ['unscoped-service-principal']],
    ] as const)('%s', async (_name, condition, expected) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('npp-queue') }));
      const { Attributes: before } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: before?.QueueArn,
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      };
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
      const e = await judge(ci('AWS::SQS::Queue', QueueUrl as string, { ...Attributes }));
      expect(codes(e)).toEqual([...expected]);
    });
  });

  describe('Lambda function', () => {
    let fn: string;
    beforeAll(async () => {
      const roleName = uniqueName('npp-fn-role');
      const { Role } = await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        }),
      );
      fn = uniqueName('npp-fn');
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: fn,
          Runtime: 'nodejs22.x',
          Role: Role?.Arn,
          Handler: 'index.handler',
          Code: { ZipFile: EMPTY_ZIP },
        }),
      );
      // An S3 trigger permission without aws:SourceAccount: the confused-deputy case.
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: fn,
          StatementId: 's3-invoke',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
          SourceArn: 'arn:aws:s3:::npp-uploads',
        }),
      );
    });

    async function functionItem(withPolicy: boolean) {
      const conf = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
      const configuration = {
        functionName: conf.FunctionName,
        functionArn: conf.FunctionArn,
        role: conf.Role,
        runtime: conf.Runtime,
      };
      const sc = withPolicy ? { Policy: (await lambda.send(new GetPolicyCommand({ FunctionName: fn }))).Policy } : {};
      return ci('AWS::Lambda::Function', fn, configuration, sc);
    }

    it('passes the permission scoped to a bucket ARN (moto writes SourceArn as a condition)', async () => {
      // AddPermission's SourceArn becomes an ArnLike aws:SourceArn condition (moto.md section 7), a fixed value.
      expect(codes(await judge(await functionItem(true)))).toEqual([]);
    });

    it('flags a permission for s3.amazonaws.com with neither aws:SourceAccount nor aws:SourceArn', async () => {
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: fn,
          StatementId: 's3-any',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
        }),
      );
      expect(codes(await judge(await functionItem(true)))).toEqual(['unscoped-service-principal']);
    });

    it('reads the policy with lambda:GetPolicy when the CI lacks it, through the real handler', async () => {
      const sent: PutEvaluationsCommandInput[] = [];
      const handler = createConfigRuleHandler(noPublicPrincipals as AnyRule, {
        configClient: (target: AccountTarget) => {
          const client: ConfigServiceClient = defaultConfigClient(target);
          client.middlewareStack.add(
            (next, context) => async (args) => {
              if (context.commandName === 'PutEvaluationsCommand') sent.push(args.input as PutEvaluationsCommandInput);
              return next(args);
            },
            { step: 'initialize', name: 'capturePutEvaluations' },
          );
          return client;
        },
      });
      await handler(changeEvent(await functionItem(false), { resultToken: 'TESTMODE' }), {
        invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-no-public-principals`,
        awsRequestId: 'integration',
      });
      expect(sent[0]?.Evaluations?.[0]).toEqual(
        expect.objectContaining({ ComplianceResourceId: fn, ComplianceType: 'NON_COMPLIANT' }),
      );
      expect(sent[0]?.Evaluations?.[0]?.Annotation).toContain('s3.amazonaws.com');
    });
  });

  describe('policies only the API has (gather against moto)', () => {
    const publicDoc = (action: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'open', Effect: 'Allow', Principal: { AWS: '*' }, Action: action }],
      });

    it('reads an ECR repository policy with ecr:GetRepositoryPolicy when the CI shows {}', async () => {
      const repositoryName = uniqueName('npp-repo');
      await ecr.send(new CreateRepositoryCommand({ repositoryName }));
      const e0 = await judge(
        ci('AWS::ECR::Repository', repositoryName, { RepositoryName: repositoryName, RepositoryPolicyText: {} }),
      );
      expect(e0.compliance).toBe('COMPLIANT');
      await ecr.send(new SetRepositoryPolicyCommand({ repositoryName, policyText: publicDoc('ecr:BatchGetImage') }));
      const e = await judge(
        ci('AWS::ECR::Repository', repositoryName, { RepositoryName: repositoryName, RepositoryPolicyText: {} }),
      );
      expect(e.findings).toEqual([
        expect.objectContaining({ code: 'public-principal', path: 'ecr:GetRepositoryPolicy.Statement[0]' }),
      ]);
    });

    it('reads an EFS file system policy with elasticfilesystem:DescribeFileSystemPolicy when the CI shows {}', async () => {
      const fs = await efs.send(new CreateFileSystemCommand({ CreationToken: uniqueName('npp-fs') }));
      const id = fs.FileSystemId as string;
      const item = () => ci('AWS::EFS::FileSystem', id, { FileSystemId: id, FileSystemPolicy: {} });
      expect((await judge(item())).compliance).toBe('COMPLIANT');
      await efs.send(
        new PutFileSystemPolicyCommand({ FileSystemId: id, Policy: publicDoc('elasticfilesystem:ClientMount') }),
      );
      expect(codes(await judge(item()))).toEqual(['public-principal']);
    });
  });

  describe('IAM role trust policy', () => {
    it.each([
      [
        'passes a GitHub OIDC trust that checks sub',
        { 'token.actions.githubusercontent.com:sub': 'repo:example/app:ref:refs/heads/main' },
        [],
      ],
      ['flags a GitHub OIDC trust without sub', {}, ['oidc-without-subject']],
    ] as const)('%s', async (_name, sub, expected) => {
      const { Role } = await iam.send(
        new CreateRoleCommand({
          RoleName: uniqueName('npp-gh'),
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: {
                  Federated: `arn:aws:iam::${MOTO_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
                },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', ...sub } },
              },
            ],
          }),
        }),
      );
      const got = await iam.send(new GetRoleCommand({ RoleName: Role?.RoleName }));
      const e = await judge(
        ci('AWS::IAM::Role', got.Role?.RoleId as string, {
          roleName: got.Role?.RoleName,
          arn: got.Role?.Arn,
          assumeRolePolicyDocument: got.Role?.AssumeRolePolicyDocument,
        }),
      );
      expect(codes(e)).toEqual([...expected]);
    });
  });
});
