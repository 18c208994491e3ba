import { GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { DescribeFileSystemPolicyCommand } from '@aws-sdk/client-efs';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { PolicyReadError, gatherPolicy } from '../../../rules/no-public-principals/gather';
import { noPublicPrincipals } from '../../../rules/no-public-principals/rule';
import {
  type ClientConstructor,
  type RuleContext,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';
import { createLogger } from '../../../rules/runtime/logger';

const ACCOUNT = '111122223333';

/** A named AWS error, as the SDK throws it. */
function awsError(name: string): Error {
  const e = new Error(`${name}: simulated`);
  e.name = name;
  return e;
}

/** A RuleContext whose SDK clients answer from `respond` and record every command sent. */
function fakeContext(respond: (command: unknown) => unknown, offline = false) {
  const sent: unknown[] = [];
  const ctx: RuleContext = {
    mode: offline ? 'snapshot' : 'lambda',
    accountId: ACCOUNT,
    region: 'us-east-1',
    logger: createLogger({}, { write: () => undefined }),
    offline,
    keys: { describe: async () => undefined },
    invokedAt: new Date('2026-11-01T00:00:00Z'),
    client<T>(_ctor: ClientConstructor<T>): T {
      return {
        send: async (command: unknown) => {
          sent.push(command);
          const out = respond(command);
          if (out instanceof Error) throw out;
          return out;
        },
      } as T;
    },
  };
  return { ctx, sent };
}

const item = (resourceType: string, configuration: Record<string, unknown>, supplementary = {}) =>
  normalizeConfigurationItem(
    Object.freeze({
      resourceType,
      resourceId: 'npp-res',
      resourceName: 'npp-res',
      awsAccountId: ACCOUNT,
      awsRegion: 'us-east-1',
      configurationItemStatus: 'OK',
      configurationItemCaptureTime: '2026-11-01T00:00:00Z',
      configuration,
      supplementaryConfiguration: supplementary,
    }),
  );

const lambdaPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 's3',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: '*',
    },
  ],
});

describe('no-public-principals gather', () => {
  it.each([
    [
      'lambda:GetPolicy',
      item('AWS::Lambda::Function', { functionName: 'npp-fn' }),
      GetPolicyCommand,
      { Policy: lambdaPolicy },
    ],
    [
      'ecr:GetRepositoryPolicy',
      item('AWS::ECR::Repository', { RepositoryName: 'npp-repo', RepositoryPolicyText: {} }),
      GetRepositoryPolicyCommand,
      { policyText: lambdaPolicy },
    ],
    [
      'elasticfilesystem:DescribeFileSystemPolicy',
      item('AWS::EFS::FileSystem', { FileSystemId: 'fs-1', FileSystemPolicy: {} }),
      DescribeFileSystemPolicyCommand,
      { Policy: lambdaPolicy },
    ],
  ])('reads the policy through %s when the CI has none', async (source, ci, command, response) => {
    const { ctx, sent } = fakeContext(() => response);
    const facts = await gatherPolicy(ci, ctx);
    expect(facts).toEqual({ fetched: { document: lambdaPolicy, source } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(command);
  });

  it('passes the function name and the registry id to the APIs', async () => {
    const { ctx, sent } = fakeContext(() => ({}));
    await gatherPolicy(item('AWS::Lambda::Function', { functionName: 'npp-fn' }), ctx);
    await gatherPolicy(item('AWS::ECR::Repository', { RepositoryName: 'npp-repo' }), ctx);
    expect((sent[0] as GetPolicyCommand).input).toEqual({ FunctionName: 'npp-fn' });
    expect((sent[1] as GetRepositoryPolicyCommand).input).toEqual({ repositoryName: 'npp-repo', registryId: ACCOUNT });
  });

  it.each(['ResourceNotFoundException', 'RepositoryPolicyNotFoundException', 'PolicyNotFound'])(
    'treats %s as "no policy"',
    async (name) => {
      const { ctx } = fakeContext(() => awsError(name));
      const facts = await gatherPolicy(item('AWS::Lambda::Function', { functionName: 'npp-fn' }), ctx);
      expect(facts).toEqual({ fetched: { source: 'lambda:GetPolicy' } });
    },
  );

  it('fails on any other error, so the resource is reported as an evaluation error, never COMPLIANT', async () => {
    const { ctx } = fakeContext(() => awsError('AccessDeniedException'));
    const ci = item('AWS::Lambda::Function', { functionName: 'npp-fn' });
    await expect(gatherPolicy(ci, ctx)).rejects.toBeInstanceOf(PolicyReadError);
    const params = parseRuleParameters(noPublicPrincipals.meta.parameters, {}, 'no-public-principals');
    const [e] = await evaluateItem(noPublicPrincipals, ci, params, ctx);
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(e.findings[0]?.code).toBe('evaluation-error');
  });

  it('calls nothing when the CI carries the policy', async () => {
    const { ctx, sent } = fakeContext(() => ({}));
    const facts = await gatherPolicy(
      item('AWS::Lambda::Function', { functionName: 'npp-fn' }, { Policy: lambdaPolicy }),
      ctx,
    );
    expect(facts).toEqual({});
    expect(sent).toHaveLength(0);
  });

  it('calls nothing for types whose policy is always in the CI', async () => {
    const { ctx, sent } = fakeContext(() => ({}));
    expect(await gatherPolicy(item('AWS::SNS::Topic', {}), ctx)).toEqual({});
    expect(sent).toHaveLength(0);
  });

  it('says what it could not check in offline mode, and calls nothing', async () => {
    const { ctx, sent } = fakeContext(() => ({}), true);
    const facts = await gatherPolicy(item('AWS::EFS::FileSystem', { FileSystemId: 'fs-1', FileSystemPolicy: {} }), ctx);
    expect(facts.unchecked).toContain('elasticfilesystem:DescribeFileSystemPolicy');
    expect(sent).toHaveLength(0);
  });

  it('judges the fetched policy end to end through evaluateItem', async () => {
    const { ctx } = fakeContext(() => ({ Policy: lambdaPolicy }));
    const params = parseRuleParameters(noPublicPrincipals.meta.parameters, {}, 'no-public-principals');
    const [e] = await evaluateItem(
      noPublicPrincipals,
      item('AWS::Lambda::Function', { functionName: 'npp-fn' }),
      params,
      ctx,
    );
    expect(e.findings.map((f) => f.code)).toEqual(['unscoped-service-principal']);
  });

  it('reads the account-level Public Access Block of a bucket through ctx.resources, calling no API', async () => {
    const { ctx, sent } = fakeContext(() => ({}));
    const asked: string[] = [];
    const account = normalizeConfigurationItem({
      resourceType: 'AWS::S3::AccountPublicAccessBlock',
      resourceId: ACCOUNT,
      awsAccountId: ACCOUNT,
      awsRegion: 'us-east-1',
      configuration: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
    });
    const withResources: RuleContext = {
      ...ctx,
      resources: {
        get: async (type, id) => {
          asked.push(`${type}|${id}`);
          return account;
        },
        findByArn: async () => undefined,
      },
    };
    const facts = await gatherPolicy(item('AWS::S3::Bucket', { name: 'npp-res' }), withResources);
    expect(facts).toEqual({ accountPublicAccessBlock: { ignorePublicAcls: true, restrictPublicBuckets: true } });
    expect(asked).toEqual([`AWS::S3::AccountPublicAccessBlock|${ACCOUNT}`]);
    expect(sent).toHaveLength(0);
  });

  it('says so when the account-level Public Access Block cannot be read, without failing the bucket', async () => {
    const { ctx } = fakeContext(() => ({}));
    const failing: RuleContext = {
      ...ctx,
      resources: {
        get: async () => {
          throw awsError('AccessDeniedException');
        },
        findByArn: async () => undefined,
      },
    };
    const facts = await gatherPolicy(item('AWS::S3::Bucket', { name: 'npp-res' }), failing);
    expect(facts.unchecked).toContain('account-level Public Access Block');
  });

  it('declares every API it calls in meta.permissions', () => {
    expect([...noPublicPrincipals.meta.permissions].sort()).toEqual(
      ['ecr:GetRepositoryPolicy', 'elasticfilesystem:DescribeFileSystemPolicy', 'lambda:GetPolicy'].sort(),
    );
  });
});
