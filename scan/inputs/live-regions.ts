import { ListRegionsCommand, type ListRegionsCommandOutput } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, type DescribeRegionsCommandOutput } from '@aws-sdk/client-ec2';
import { describeError, WardError } from '../../rules/runtime/errors';
import { partitionOf } from '../../rules/runtime/partition';

/** The regions of an account, split by whether a scan can reach them. */
export interface AccountRegions {
  /** Enabled regions (enabled by default or opted in), sorted. */
  readonly enabled: readonly string[];
  /** Regions that are not enabled (disabled, or opting in or out), each with its status, sorted. */
  readonly disabled: readonly { readonly region: string; readonly status: string }[];
  /** Which API answered. */
  readonly source: 'account:ListRegions' | 'ec2:DescribeRegions';
}

/** Neither API could list the account's regions; `cause` keeps the second error, the message both. */
export class RegionListError extends WardError {}

/** The clients {@link listAccountRegions} calls (tests pass fakes). */
export interface RegionClients {
  readonly account: { send(command: ListRegionsCommand): Promise<Partial<ListRegionsCommandOutput>> };
  readonly ec2: { send(command: DescribeRegionsCommand): Promise<Partial<DescribeRegionsCommandOutput>> };
}


const ENABLED_STATUSES: ReadonlySet<string> = new Set(['ENABLED', 'ENABLED_BY_DEFAULT']);
const ENABLED_OPT_IN: ReadonlySet<string> = new Set(['opt-in-not-required', 'opted-in']);

/**
 * Every region of the account with its opt-in status: account:ListRegions (all pages), or, when that is
 * denied or unavailable, ec2:DescribeRegions with AllRegions. A region whose status is missing or unknown is
 * treated as not enabled (a scan of it would fail with an unrecognised-client error, not find nothing).
 * @throws RegionListError when neither call works.
 */
export async function listAccountRegions(clients: RegionClients, partition = 'aws'): Promise<AccountRegions> {
  const enabled: string[] = [];
  const disabled: { region: string; status: string }[] = [];
  const put = (region: string | undefined, status: string | undefined, ok: boolean) => {
    // AWS lists only the caller's partition; a region of another one (as some emulators list) is not the account's.
    if (!region || partitionOf(region) !== partition) return;
    if (ok) enabled.push(region);
    else disabled.push({ region, status: status ?? 'unknown' });
  };
  const sorted = (source: AccountRegions['source']): AccountRegions => ({
    enabled: enabled.sort(),
    disabled: disabled.sort((a, b) => a.region.localeCompare(b.region)),
    source,
  });

  let first: unknown;
  try {
    let NextToken: string | undefined;
    do {
      const page = await clients.account.send(new ListRegionsCommand({ MaxResults: 50, NextToken }));
      for (const r of page.Regions ?? []) {
        put(r.RegionName, r.RegionOptStatus, ENABLED_STATUSES.has(r.RegionOptStatus ?? ''));
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return sorted('account:ListRegions');
  } catch (err) {
    first = err;
    enabled.length = 0;
    disabled.length = 0;
  }
  try {
    const out = await clients.ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    for (const r of out.Regions ?? []) put(r.RegionName, r.OptInStatus, ENABLED_OPT_IN.has(r.OptInStatus ?? ''));
    return sorted('ec2:DescribeRegions');
  } catch (err) {
    throw new RegionListError(
      `cannot list the account's regions: account:ListRegions: ${describeError(first)}; ` +
        `ec2:DescribeRegions: ${describeError(err)}`,
      { cause: err },
    );
  }
}
