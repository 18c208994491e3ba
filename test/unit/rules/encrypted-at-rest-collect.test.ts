import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { collectEvaluations, parseRuleParameters } from '../../../rules/runtime';
import type { ClientConstructor, KeyLookup, RuleContext } from '../../../rules/runtime/context';
import { createLogger } from '../../../rules/runtime/logger';
import { ACCOUNT, CUSTOMER_KEY, EXTERNAL_KEY, REGION } from './encrypted-at-rest.fixtures';

type Responder = (input: Record<string, unknown>) => unknown;

/** A fake SDK client answering by command name; records every call. */
class FakeClient {
  readonly calls: string[] = [];
  constructor(private readonly responders: Record<string, Responder>) {}
  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    const name = command.constructor.name.replace(/Command$/, '');
    this.calls.push(name);
    const r = this.responders[name];
    if (!r) throw new Error(`unexpected ${name}`);
    return r(command.input);
  }
}

const logGroup = (name: string, kmsKeyId?: string) => ({
  logGroupName: name,
  logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`,
  arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`,
  ...(kmsKeyId ? { kmsKeyId } : {}),
});

function context(clients: Map<string, FakeClient>, keys: KeyLookup = { describe: async () => undefined }): RuleContext {
  return {
    mode: 'lambda',
    accountId: ACCOUNT,
    region: REGION,
    logger: createLogger(),
    offline: false,
    keys,
    invokedAt: new Date('2026-11-20T00:00:00Z'),
    client<T>(ctor: ClientConstructor<T>): T {
      const c = clients.get(ctor.name);
      if (!c) throw new Error(`no fake for ${ctor.name}`);
      return c as unknown as T;
    },
  };
}

const params = (raw: Record<string, unknown> = {}) =>
  parseRuleParameters(encryptedAtRest.meta.parameters, raw, 'encrypted-at-rest');

const logs = () =>
  new FakeClient({
    DescribeLogGroups: (input) =>
      input.nextToken === 'p2'
        ? { logGroups: [logGroup('/app/external', EXTERNAL_KEY)] }
        : { logGroups: [logGroup('/app/plain'), logGroup('/app/cmk', CUSTOMER_KEY)], nextToken: 'p2' },
    ListTagsForResource: (input) => ({ tags: String(input.resourceArn).endsWith('/app/plain') ? { keep: 'yes' } : {} }),
  });
const elasticache = () =>
  new FakeClient({
    DescribeReplicationGroups: () => ({
      ReplicationGroups: [
        {
          ReplicationGroupId: 'sessions',
          ARN: 'arn:aws:elasticache:us-east-1:111122223333:replicationgroup:sessions',
          AtRestEncryptionEnabled: false,
        },
        {
          ReplicationGroupId: 'cache',
          ARN: 'arn:aws:elasticache:us-east-1:111122223333:replicationgroup:cache',
          AtRestEncryptionEnabled: true,
          KmsKeyId: CUSTOMER_KEY,
        },
      ],
    }),
    ListTagsForResource: () => ({ TagList: [] }),
  });

describe('encrypted-at-rest periodic collection', () => {
  it('judges every log group (all pages) and replication group like a store', async () => {
    const clients = new Map([
      [CloudWatchLogsClient.name, logs()],
      [ElastiCacheClient.name, elasticache()],
    ]);
    const out = await collectEvaluations(encryptedAtRest, params(), context(clients));
    expect(out.map((e) => [e.resourceType, e.resourceId, e.compliance, e.findings.map((f) => f.code)])).toEqual([
      ['AWS::Logs::LogGroup', '/app/plain', 'COMPLIANT', []],
      ['AWS::Logs::LogGroup', '/app/cmk', 'COMPLIANT', []],
      ['AWS::Logs::LogGroup', '/app/external', 'NON_COMPLIANT', ['external-key']],
      ['AWS::ElastiCache::ReplicationGroup', 'sessions', 'NON_COMPLIANT', ['unencrypted']],
      ['AWS::ElastiCache::ReplicationGroup', 'cache', 'COMPLIANT', []],
    ]);
    // Tags are read only when an exemptTag needs them.
    expect(clients.get(CloudWatchLogsClient.name)?.calls).toEqual(['DescribeLogGroups', 'DescribeLogGroups']);
  });

  it('flags a log group on the default AWS-owned key only when a customer key is required', async () => {
    const clients = new Map([
      [CloudWatchLogsClient.name, logs()],
      [ElastiCacheClient.name, elasticache()],
    ]);
    const keys: KeyLookup = { describe: async () => ({ arn: CUSTOMER_KEY, accountId: ACCOUNT, manager: 'CUSTOMER' }) };
    const out = await collectEvaluations(
      encryptedAtRest,
      params({ requireCustomerManagedKey: true }),
      context(clients, keys),
    );
    const plain = out.find((e) => e.resourceId === '/app/plain');
    expect(plain?.findings.map((f) => f.code)).toEqual(['not-customer-managed-key']);
    expect(out.find((e) => e.resourceId === '/app/cmk')?.compliance).toBe('COMPLIANT');
  });

  it('applies exemptTag to collected resources', async () => {
    const clients = new Map([
      [CloudWatchLogsClient.name, logs()],
      [ElastiCacheClient.name, elasticache()],
    ]);
    const out = await collectEvaluations(encryptedAtRest, params({ exemptTag: 'keep=yes' }), context(clients));
    expect(out.find((e) => e.resourceId === '/app/plain')).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      reason: 'Exempt: tagged keep=yes.',
    });
    expect(out.filter((e) => e.compliance === 'NOT_APPLICABLE')).toHaveLength(1);
  });

  it('applies exemptResourceIds to collected resources', async () => {
    const clients = new Map([
      [CloudWatchLogsClient.name, logs()],
      [ElastiCacheClient.name, elasticache()],
    ]);
    const out = await collectEvaluations(encryptedAtRest, params({ exemptResourceIds: 'sessions' }), context(clients));
    expect(out.find((e) => e.resourceId === 'sessions')?.compliance).toBe('NOT_APPLICABLE');
  });

  it('keeps the log group evaluations when ElastiCache cannot be listed, and reports the failure on the account', async () => {
    const failing = new FakeClient({
      DescribeReplicationGroups: () => {
        throw new Error('AccessDenied');
      },
    });
    const clients = new Map([
      [CloudWatchLogsClient.name, logs()],
      [ElastiCacheClient.name, failing],
    ]);
    const out = await collectEvaluations(encryptedAtRest, params(), context(clients));
    expect(out.filter((e) => e.resourceType === 'AWS::Logs::LogGroup')).toHaveLength(3);
    expect(out.at(-1)).toMatchObject({
      resourceType: 'AWS::::Account',
      resourceId: ACCOUNT,
      compliance: 'NON_COMPLIANT',
      findings: [{ code: 'evaluation-error' }],
    });
  });
});
