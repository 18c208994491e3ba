import { WardError } from '../../rules/runtime/errors';

/** A bad combination or value of the account flags (`--role-arn`, `--accounts`, `--role-name`, `--org`). */
export class AccountSelectionError extends WardError {}

/** The account flags of `ward scan`, as given. */
export interface AccountFlags {
  readonly roleArns: readonly string[];
  readonly accounts: readonly string[];
  readonly roleName?: string;
  readonly externalId?: string;
  readonly org?: boolean;
  /** With `--aggregator`, `--accounts` filters the aggregator's accounts instead of naming roles. */
  readonly aggregator?: boolean;
}

/** How the scan reaches accounts: the default credentials only, explicit roles, or the organization's list. */
export type AccountPlan =
  | { readonly kind: 'default' }
  | { readonly kind: 'roles'; readonly targets: readonly AccountTarget[] }
  | { readonly kind: 'org'; readonly roleName: string; readonly only: ReadonlySet<string> };

/** One account to scan: through `roleArn`, or with the default credentials when it is the caller's own. */
export interface AccountTarget {
  readonly accountId: string;
  readonly roleArn?: string;
  readonly name?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The 12-digit account id of a role ARN, or undefined when it is not a role ARN. */
export function accountOfRoleArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/.exec(arn)?.[1];
}
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The ARN of `roleName` in `accountId` (the role name may carry a path: `path/name`). */
export function roleArnFor(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Checks the account flags and says how to reach the accounts. @throws AccountSelectionError naming the flag.
 */
export function planAccounts(flags: AccountFlags): AccountPlan {
  const badArn = flags.roleArns.find((a) => !accountOfRoleArn(a));
  if (badArn !== undefined) {
    throw new AccountSelectionError(`--role-arn ${badArn}: not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`);
  }
  const badId = flags.accounts.find((a) => !ACCOUNT_ID.test(a));
  if (badId !== undefined) throw new AccountSelectionError(`--accounts ${badId}: not a 12-digit account id`);
  if (flags.roleName !== undefined && !ROLE_NAME.test(flags.roleName.split('/').pop() ?? '')) {
    throw new AccountSelectionError(`--role-name ${flags.roleName}: not an IAM role name`);
  }
  if (flags.externalId !== undefined && flags.roleArns.length === 0 && flags.roleName === undefined) {
    throw new AccountSelectionError('--external-id needs --role-arn or --role-name');
  }
  if (flags.roleArns.length > 0) {
    if (flags.roleName !== undefined || flags.org) {
      throw new AccountSelectionError('--role-arn names the roles itself: do not combine it with --role-name or --org');
    }
    if (flags.accounts.length > 0 && !flags.aggregator) {
      throw new AccountSelectionError('--accounts with --role-arn: the ARNs already name the accounts');
    }
    const seen = new Set<string>();
    const targets: AccountTarget[] = [];
    for (const roleArn of flags.roleArns) {
      if (seen.has(roleArn)) continue;
      seen.add(roleArn);
      targets.push({ accountId: accountOfRoleArn(roleArn) as string, roleArn });
    }
    return { kind: 'roles', targets };
  }
  if (flags.org) {
    if (flags.roleName === undefined) {
      throw new AccountSelectionError('--org needs --role-name: the reader role to assume in each account');
    }
    return { kind: 'org', roleName: flags.roleName, only: new Set(flags.accounts) };
  }
  if (flags.roleName !== undefined) {
    if (flags.accounts.length === 0) throw new AccountSelectionError('--role-name needs --accounts or --org');
    return {
      kind: 'roles',
      targets: [...new Set(flags.accounts)].map((accountId) => ({
        accountId,
        roleArn: roleArnFor(accountId, flags.roleName as string),
      })),
    };
  }
  if (flags.accounts.length > 0 && !flags.aggregator) {
    throw new AccountSelectionError('--accounts needs --role-name (or --aggregator, where it filters)');
  }
  return { kind: 'default' };
}
