import { listAccountRegions } from '../../../scan/inputs/live-regions';
import { partitionOf } from '../../../rules/runtime/partition';
import { awsError, FakeClient } from '../../fixtures/events/fakes';

/*
 * account:ListRegions is not implemented in moto; these responses are the recorded shape of the real API
 * (one page of 50 at most, RegionOptStatus per region, NextToken).
 */
const listRegionsPage1 = {
  Regions: [
    { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    { RegionName: 'af-south-1', RegionOptStatus: 'DISABLED' },
    { RegionName: 'ap-east-1', RegionOptStatus: 'ENABLED' },
  ],
  NextToken: 'page-2',
};
const listRegionsPage2 = {
  Regions: [
    { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    { RegionName: 'me-central-1', RegionOptStatus: 'ENABLING' },
    { RegionName: 'il-central-1', RegionOptStatus: 'DISABLING' },
  ],
};

describe('listAccountRegions', () => {
  it('reads every page of account:ListRegions: enabled and opted-in regions are scanned, the rest noted with their status', async () => {
    const account = new FakeClient({ ListRegions: (i) => (i.NextToken ? listRegionsPage2 : listRegionsPage1) });
    const ec2 = new FakeClient();
    const out = await listAccountRegions({ account, ec2 });
    expect(out).toEqual({
      enabled: ['ap-east-1', 'eu-west-1', 'us-east-1'],
      disabled: [
        { region: 'af-south-1', status: 'DISABLED' },
        { region: 'il-central-1', status: 'DISABLING' },
        { region: 'me-central-1', status: 'ENABLING' },
      ],
      source: 'account:ListRegions',
    });
    expect(account.inputs('ListRegions').map((i) => i.NextToken)).toEqual([undefined, 'page-2']);
    expect(ec2.calls).toEqual([]);
  });

  it('falls back to ec2:DescribeRegions with opt-in status when account:ListRegions is denied', async () => {
    const account = new FakeClient({
      ListRegions: () => {
        throw awsError('AccessDeniedException', 403, 'not authorized to perform account:ListRegions');
      },
    });
    const ec2 = new FakeClient({
      DescribeRegions: () => ({
        Regions: [
          { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required', Endpoint: 'ec2.us-east-1.amazonaws.com' },
          { RegionName: 'ap-east-1', OptInStatus: 'opted-in', Endpoint: 'ec2.ap-east-1.amazonaws.com' },
          { RegionName: 'me-south-1', OptInStatus: 'not-opted-in', Endpoint: 'ec2.me-south-1.amazonaws.com' },
          { RegionName: 'eu-south-2' },
        ],
      }),
    });
    const out = await listAccountRegions({ account, ec2 });
    expect(ec2.inputs('DescribeRegions')).toEqual([{ AllRegions: true }]);
    expect(out.enabled).toEqual(['ap-east-1', 'us-east-1']);
    // A region whose status is not given is not taken as enabled.
    expect(out.disabled).toEqual([
      { region: 'eu-south-2', status: 'unknown' },
      { region: 'me-south-1', status: 'not-opted-in' },
    ]);
    expect(out.source).toBe('ec2:DescribeRegions');
  });

  it('keeps only the regions of the caller partition', async () => {
    const account = new FakeClient({
      ListRegions: () => ({
        Regions: [
          { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
          { RegionName: 'cn-north-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
          { RegionName: 'us-gov-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
        ],
      }),
    });
    expect((await listAccountRegions({ account, ec2: new FakeClient() })).enabled).toEqual(['us-east-1']);
    expect((await listAccountRegions({ account, ec2: new FakeClient() }, 'aws-cn')).enabled).toEqual(['cn-north-1']);
    expect(partitionOf('us-gov-east-1')).toBe('aws-us-gov');
  });

  it('fails with both reasons when neither API answers', async () => {
    const account = new FakeClient();
    const ec2 = new FakeClient({
      DescribeRegions: () => {
        throw awsError('UnauthorizedOperation', 403, 'You are not authorized');
      },
    });
    await expect(listAccountRegions({ account, ec2 })).rejects.toThrow(
      /account:ListRegions: InternalFailure: .*; ec2:DescribeRegions: UnauthorizedOperation: You are not authorized/,
    );
  });
});
