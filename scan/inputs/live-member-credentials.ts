import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { callerAccountClients, clientsFromCredentials, type SecurityHubClients } from '../outputs/securityhub-clients';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { accountOfRoleArn, roleArnFor } from './live-accounts';
import { commaList } from './live-command';
import { assumeRoleCredentials, type AssumeRoleOptions } from './live-credentials';
import { partitionOf } from '../../rules/runtime/partition';

/** How {@link memberCredentials} reaches an account: role ARNs as given, or one role name in every account. */
export interface MemberCredentialsOptions {
  /** `--role-arn`: the roles to assume, one per account. */
  readonly roleArns?: readonly string[];
  /** `--role-name` (with `--accounts` or `--org`): the role assumed in any other account. */
  readonly roleName?: string;
  readonly externalId?: string;
  /** The account of the caller's own credentials: it gets them, no role (as the organization scan does). */
  readonly callerAccountId?: string;
  /** Region of the STS client (default `us-east-1`); it also gives the partition of role ARNs built from names. */
  readonly homeRegion?: string;
  /** The caller's STS client (default: one with the default credential chain in `homeRegion`). */
  readonly sts?: AssumeRoleOptions['sts'];
  /** Session name in each member account's CloudTrail (default `ward-scan`). */
  readonly sessionName?: string;
}

/**
 * Account id -> credentials provider, reaching each account as `ward scan` does across an organization: the
 * role of `roleArns` that belongs to the account, else `roleName` in it; the caller's own account uses the
 * default credentials (undefined). One provider per account, shared by every caller, refreshed before its
 * session ends (assumeRoleCredentials). For other readers and writers of member accounts, such as the
 * Security Hub import of an organization scan: pass the provider as `credentials` of the member's client.
 * Returns undefined for an account it has no role for and that is not the caller's.
 */
export function memberCredentials(
  options: MemberCredentialsOptions,
): (accountId: string) => AwsCredentialIdentityProvider | undefined {
  const byAccount = new Map<string, string>();
  for (const arn of options.roleArns ?? []) {
    const account = accountOfRoleArn(arn);
    if (account) byAccount.set(account, arn);
  }
  const region = options.homeRegion ?? 'us-east-1';
  let sts = options.sts;
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  return (accountId) => {
    if (accountId === options.callerAccountId) return undefined;
    const roleArn =
      byAccount.get(accountId) ??
      (options.roleName ? roleArnFor(accountId, options.roleName, partitionOf(region)) : undefined);
    if (roleArn === undefined) return undefined;
    let provider = providers.get(accountId);
    if (!provider) {
      sts ??= new STSClient({ region, retryMode: 'adaptive' });
      provider = assumeRoleCredentials({
        roleArn,
        sts,
        ...(options.externalId ? { externalId: options.externalId } : {}),
        ...(options.sessionName ? { sessionName: options.sessionName } : {}),
      });
      providers.set(accountId, provider);
    }
    return provider;
  };
}

/** The account flags {@link organizationHubClients} reads (as `ward scan` parses them). */
export interface MemberRoleFlags {
  readonly roleArn?: string;
  readonly roleName?: string;
  readonly externalId?: string;
}

/**
 * `--to securityhub` on a scan through member roles (`--role-arn`, `--accounts`/`--org` with `--role-name`):
 * each member's findings are imported with that member's role (BatchImportFindings must be called from the
 * finding's account), the caller's own account with the caller's credentials. Undefined when the scan assumes
 * no role: the importer's default then imports the caller's account only, and reports the others not imported.
 */
export function organizationHubClients(
  flags: MemberRoleFlags,
  homeRegion: string | undefined,
): SecurityHubClients | undefined {
  const roleArns = commaList(flags.roleArn);
  if (roleArns.length === 0 && !flags.roleName) return undefined;
  const credentialsOf = memberCredentials({
    roleArns,
    roleName: flags.roleName,
    externalId: flags.externalId,
    homeRegion,
  });
  const members = clientsFromCredentials(credentialsOf);
  const caller = callerAccountClients();
  let callerAccount: Promise<string | undefined> | undefined;
  return {
    async clientFor(account, region) {
      callerAccount ??= new STSClient({ region: homeRegion ?? 'us-east-1' })
        .send(new GetCallerIdentityCommand({}))
        .then((r) => r.Account)
        .catch(() => undefined);
      // As in the scan: the caller's own account is read, and imported, with the caller's credentials.
      return account === (await callerAccount) ? caller.clientFor(account, region) : members.clientFor(account, region);
    },
  };
}
