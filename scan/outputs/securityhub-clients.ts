import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** Why there is no client for an account: its findings are reported not imported (exit 2), never dropped. */
export interface NoClient {
  readonly unavailable: string;
}

/**
 * Where the importer gets a Security Hub client for each account and region. BatchImportFindings must be
 * called from the finding's own account (the default product `product/<account>/default` accepts findings of
 * that account only), so an organization scan gives a client per member, built on that member's role.
 */
export interface SecurityHubClients {
  /** The client that imports into `account`'s default product in `region`, or why there is none. */
  clientFor(account: string, region: string): Promise<SecurityHubClient | NoClient>;
}

/** True when {@link SecurityHubClients.clientFor} gave no client. */
export function isNoClient(c: SecurityHubClient | NoClient): c is NoClient {
  return typeof (c as NoClient).unavailable === 'string';
}

/** Client settings every client gets: the SDK's retries for throttling (5 attempts). */
const CLIENT_DEFAULTS = { maxAttempts: 5 } as const;

function cached(
  make: (account: string, region: string) => Promise<SecurityHubClient | NoClient>,
): SecurityHubClients['clientFor'] {
  const clients = new Map<string, Promise<SecurityHubClient | NoClient>>();
  return (account, region) => {
    const key = `${account}\u0000${region}`;
    let c = clients.get(key);
    if (c === undefined) clients.set(key, (c = make(account, region)));
    return c;
  };
}

/**
 * Clients of the credentials in use (the default provider chain): the caller's own account only, found with
 * STS GetCallerIdentity. Findings of any other account get no client: a single-account scan never imports
 * into an account it is not running as.
 */
export function callerAccountClients(): SecurityHubClients {
  let caller: Promise<string> | undefined;
  const callerAccount = () =>
    (caller ??= new STSClient({})
      .send(new GetCallerIdentityCommand({}))
      .then((r) => r.Account ?? '')
      .catch((err: unknown) => {
        caller = undefined;
        throw err;
      }));
  return {
    clientFor: cached(async (account, region) => {
      let me: string;
      try {
        me = await callerAccount();
      } catch (err) {
        return {
          unavailable: `the calling account could not be found (sts:GetCallerIdentity: ${(err as Error).message})`,
        };
      }
      if (account !== me) {
        return {
          unavailable:
            `the credentials in use are account ${me}'s; BatchImportFindings must be called from account ` +
            `${account} (run with its credentials, or scan the organization so each member's role imports)`,
        };
      }
      return new SecurityHubClient({ ...CLIENT_DEFAULTS, region });
    }),
  };
}

/**
 * Clients built on per-account credentials, e.g. the member roles an organization scan has assumed:
 * `credentialsFor(account)` gives the provider (or undefined when the scan has no role for that account, whose
 * findings are then reported not imported). Role assumption itself belongs to the live scan; this only turns
 * its credentials into Security Hub clients.
 */
export function clientsFromCredentials(
  credentialsFor: (account: string) => AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined,
): SecurityHubClients {
  return {
    clientFor: cached(async (account, region) => {
      const credentials = credentialsFor(account);
      if (credentials === undefined) return { unavailable: `no credentials for account ${account} in this scan` };
      return new SecurityHubClient({ ...CLIENT_DEFAULTS, region, credentials });
    }),
  };
}
