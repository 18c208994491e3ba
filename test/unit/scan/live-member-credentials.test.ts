import { memberCredentials } from '../../../scan/inputs/live-member-credentials';
import { FakeClient } from '../../fixtures/events/fakes';

function sts() {
  let n = 0;
  return new FakeClient({
    AssumeRole: () => {
      n++;
      return { Credentials: { AccessKeyId: `ASIA${n}`, SecretAccessKey: 's', SessionToken: `t${n}` } };
    },
  });
}

describe('memberCredentials (account id -> credentials, for readers and writers of member accounts)', () => {
  it('assumes the role ARN given for an account, else the role name in it, once per account', async () => {
    const client = sts();
    const credentialsOf = memberCredentials({
      roleArns: ['arn:aws:iam::111111111111:role/custom-reader'],
      roleName: 'ward-reader',
      externalId: 'x-1',
      sts: client,
    });
    const a = credentialsOf('111111111111');
    const b = credentialsOf('222222222222');
    expect(credentialsOf('111111111111')).toBe(a);
    await Promise.all([a?.(), a?.(), b?.()]);
    expect(client.inputs('AssumeRole').map((i) => [i.RoleArn, i.ExternalId])).toEqual([
      ['arn:aws:iam::111111111111:role/custom-reader', 'x-1'],
      ['arn:aws:iam::222222222222:role/ward-reader', 'x-1'],
    ]);
  });

  it("gives the caller's own account its default credentials, and nothing for an account it has no role for", () => {
    const credentialsOf = memberCredentials({
      roleArns: ['arn:aws:iam::111111111111:role/r'],
      callerAccountId: '999999999999',
      sts: sts(),
    });
    expect(credentialsOf('999999999999')).toBeUndefined();
    expect(credentialsOf('333333333333')).toBeUndefined();
    expect(credentialsOf('111111111111')).toEqual(expect.any(Function));
  });

  it('builds role ARNs in the partition of the home region', async () => {
    const client = sts();
    await memberCredentials({ roleName: 'ward-reader', homeRegion: 'cn-north-1', sts: client })('111111111111')?.();
    expect(client.inputs('AssumeRole')[0].RoleArn).toBe('arn:aws-cn:iam::111111111111:role/ward-reader');
  });
});
