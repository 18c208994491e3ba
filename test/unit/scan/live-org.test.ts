import { scanAccounts, type AccountsScanClients } from '../../../scan/inputs/live-org';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import type { AnyRule } from '../../../rules/runtime/types';
import type { ScopeRow } from '../../../scan/inputs/live-scope';
import { awsError, captureLogger, FakeClient } from '../../fixtures/events/fakes';

const rule: AnyRule = {
  ...(encryptedAtRest as AnyRule),
  collect: undefined,
  meta: { ...encryptedAtRest.meta, resourceTypes: ['AWS::SNS::Topic'], trigger: { onChange: true } },
};
const CALLER = '999999999999';
const role = (a: string) => `arn:aws:iam::${a}:role/ward-reader`;

/** Clients where AssumeRole into `refused` is denied, and every account-region holds one topic. */
function clients(refused: string, inFlight: { now: number; max: number }): AccountsScanClients {
  const slow = async <T>(v: T) => {
    inFlight.max = Math.max(inFlight.max, ++inFlight.now);
    await new Promise((r) => setTimeout(r, 2));
    inFlight.now--;
    return v;
  };
  const caller = new FakeClient({
    GetCallerIdentity: () => ({ Account: CALLER, Arn: `arn:aws:iam::${CALLER}:user/me` }),
    AssumeRole: (i) => {
      const account = (i.RoleArn as string).split(':')[4];
      if (account === refused) throw awsError('AccessDenied', 403, 'not authorized to perform: sts:AssumeRole');
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}`,
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(Date.now() + 3600_000),
        },
      };
    },
  });
  return {
    sts: (credentials?: () => Promise<{ accessKeyId: string }>) =>
      credentials
        ? new FakeClient({ GetCallerIdentity: async () => ({ Account: (await credentials()).accessKeyId.slice(4) }) })
        : caller,
    organizations: () => new FakeClient(),
    regions: () => ({ account: new FakeClient(), ec2: new FakeClient() }),
    config: (region: string, credentials?: () => Promise<{ accessKeyId: string }>) =>
      new FakeClient({
        ListDiscoveredResources: async () => {
          const account = (await credentials?.())?.accessKeyId.slice(4) ?? CALLER;
          return slow({
            resourceIdentifiers: [
              { resourceType: 'AWS::SNS::Topic', resourceId: `arn:aws:sns:${region}:${account}:t` },
            ],
          });
        },
        BatchGetResourceConfig: async (i) =>
          slow({
            baseConfigurationItems: (i.resourceKeys as { resourceId: string }[]).map((k) => ({
              version: '1.3',
              accountId: k.resourceId.split(':')[4],
              configurationItemCaptureTime: new Date(),
              configurationItemStatus: 'OK',
              arn: k.resourceId,
              resourceType: 'AWS::SNS::Topic',
              resourceId: k.resourceId,
              awsRegion: region,
              configuration: JSON.stringify({ TopicArn: k.resourceId }),
              supplementaryConfiguration: {},
            })),
          }),
      }) as never,
  } as unknown as AccountsScanClients;
}

describe('scanAccounts', () => {
  it('reports an account whose role cannot be assumed and scans the others, every evaluation labelled with its source', async () => {
    const accounts = ['111111111111', '222222222222', '333333333333', '444444444444'];
    const inFlight = { now: 0, max: 0 };
    const errors: string[] = [];
    const scope: ScopeRow[] = [];
    const seen: string[] = [];
    await scanAccounts(
      {
        rules: [rule],
        paramsFor: () => ({}),
        logger: captureLogger().logger,
        homeRegion: 'us-east-1',
        concurrency: 3,
        plan: { kind: 'roles', targets: accounts.map((accountId) => ({ accountId, roleArn: role(accountId) })) },
        regions: ['us-east-1', 'eu-west-1'],
        onEvaluation: (_r, e, s) => seen.push(`${s.accountId} ${s.region} ${e.resourceId}`),
        onError: (m) => errors.push(m),
        onNote: () => undefined,
        onSkipped: () => undefined,
        onScope: (r) => scope.push(r),
      },
      clients('333333333333', inFlight),
    );
    expect(errors).toEqual([
      `account 333333333333: cannot assume ${role('333333333333')}: AccessDenied: not authorized to perform: sts:AssumeRole`,
    ]);
    expect(seen.sort()).toEqual(
      ['111111111111', '222222222222', '444444444444']
        .flatMap((a) => ['eu-west-1', 'us-east-1'].map((r) => `${a} ${r} arn:aws:sns:${r}:${a}:t`))
        .sort(),
    );
    expect(scope.find((r) => r.accountId === '333333333333')).toMatchObject({ region: '*', status: 'failed' });
    expect(scope.filter((r) => r.status === 'scanned')).toHaveLength(6);
    // Account-regions run side by side, never more than --concurrency at once.
    expect(inFlight.max).toBeGreaterThan(1);
    expect(inFlight.max).toBeLessThanOrEqual(3);
  });
});
