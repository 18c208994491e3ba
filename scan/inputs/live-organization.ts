import { ListAccountsCommand, type ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import type { AccountTarget } from './live-accounts';

/** What {@link listOrganizationAccounts} found. */
export interface OrganizationAccounts {
  readonly active: readonly AccountTarget[];
  /** Accounts not ACTIVE (suspended, closing): not scanned, each with its state. */
  readonly inactive: readonly { readonly accountId: string; readonly state: string }[];
}

/**
 * Every account of the organization (Organizations ListAccounts, all pages; the management or a
 * delegated-administrator account can call it), split into ACTIVE ones and the rest.
 */
export async function listOrganizationAccounts(org: {
  send(command: ListAccountsCommand): Promise<Partial<ListAccountsCommandOutput>>;
}): Promise<OrganizationAccounts> {
  const active: AccountTarget[] = [];
  const inactive: { accountId: string; state: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand({ NextToken }));
    for (const a of page.Accounts ?? []) {
      if (!a.Id) continue;
      // State replaces the deprecated Status; read either.
      const state = a.State ?? a.Status ?? 'unknown';
      if (state === 'ACTIVE') active.push({ accountId: a.Id, ...(a.Name ? { name: a.Name } : {}) });
      else inactive.push({ accountId: a.Id, state });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return { active, inactive };
}
