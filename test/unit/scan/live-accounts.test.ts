import { planAccounts } from '../../../scan/inputs/live-accounts';
import { listOrganizationAccounts } from '../../../scan/inputs/live-organization';
import { FakeClient } from '../../fixtures/events/fakes';

const none = { roleArns: [], accounts: [] };

describe('planAccounts', () => {
  it('reads the default credentials account when no account flag is given', () => {
    expect(planAccounts(none)).toEqual({ kind: 'default' });
  });

  it('takes the account of each role ARN, once per ARN', () => {
    const a = 'arn:aws:iam::111111111111:role/ward-reader';
    const b = 'arn:aws:iam::222222222222:role/path/ward-reader';
    expect(planAccounts({ ...none, roleArns: [a, b, a] })).toEqual({
      kind: 'roles',
      targets: [
        { accountId: '111111111111', roleArn: a },
        { accountId: '222222222222', roleArn: b },
      ],
    });
  });

  it('builds the role ARN from --accounts and --role-name', () => {
    expect(planAccounts({ ...none, accounts: ['111111111111'], roleName: 'ward-reader' })).toEqual({
      kind: 'roles',
      targets: [{ accountId: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/ward-reader' }],
    });
  });

  it('lists the organization with --org, keeping only --accounts when given', () => {
    expect(planAccounts({ ...none, org: true, roleName: 'r', accounts: ['111111111111'] })).toEqual({
      kind: 'org',
      roleName: 'r',
      only: new Set(['111111111111']),
    });
  });

  it.each([
    [{ ...none, roleArns: ['arn:aws:iam::1111:role/x'] }, /--role-arn arn:aws:iam::1111:role\/x: not an IAM role ARN/],
    [{ ...none, accounts: ['12345'], roleName: 'r' }, /--accounts 12345: not a 12-digit account id/],
    [{ ...none, accounts: ['111111111111'] }, /--accounts needs --role-name/],
    [{ ...none, org: true }, /--org needs --role-name/],
    [{ ...none, roleName: 'r' }, /--role-name needs --accounts or --org/],
    [{ ...none, externalId: 'x' }, /--external-id needs --role-arn or --role-name/],
    [
      { ...none, roleArns: ['arn:aws:iam::111111111111:role/r'], org: true },
      /do not combine it with --role-name or --org/,
    ],
  ])('refuses a bad combination with a message naming the flag (%#)', (flags, message) => {
    expect(() => planAccounts(flags)).toThrow(message);
  });

  it('lets --accounts filter an aggregator without a role', () => {
    expect(planAccounts({ ...none, accounts: ['111111111111'], aggregator: true })).toEqual({ kind: 'default' });
  });
});

describe('listOrganizationAccounts', () => {
  it('reads every page and keeps ACTIVE accounts, listing the others with their state', async () => {
    const org = new FakeClient({
      ListAccounts: (i) =>
        i.NextToken
          ? { Accounts: [{ Id: '333333333333', Name: 'closing', State: 'PENDING_CLOSURE', Status: 'PENDING_CLOSURE' }] }
          : {
              Accounts: [
                { Id: '111111111111', Name: 'prod', State: 'ACTIVE', Status: 'ACTIVE' },
                { Id: '222222222222', Name: 'old', Status: 'SUSPENDED' },
              ],
              NextToken: 'n',
            },
    });
    expect(await listOrganizationAccounts(org)).toEqual({
      active: [{ accountId: '111111111111', name: 'prod' }],
      inactive: [
        { accountId: '222222222222', state: 'SUSPENDED' },
        { accountId: '333333333333', state: 'PENDING_CLOSURE' },
      ],
    });
  });
});
