import { AccountClient } from '@aws-sdk/client-account';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ConfigReadClient } from '../../rules/runtime/config-resource-lookup';
import { describeError } from '../../rules/runtime/errors';
import { type AccountPlan, type AccountTarget, roleArnFor } from './live-accounts';
import { listOrganizationAccounts } from './live-organization';
import { AssumeRoleError, assumeRoleCredentials } from './live-credentials';
import { parseLiveParams, scanAccountRegion } from './live';
import { createLimiter, forEachLimited, type Limiter, limitClient } from './live-pool';
import { listAccountRegions, type RegionClients } from './live-regions';
import { type ScopeScanOptions, ScopeTally } from './live-scope';

/** `--region`: a list, or every region enabled in each account. */
export type RegionChoice = readonly string[] | 'all';

/** Options of {@link scanAccounts}. */
export interface AccountsScanOptions extends ScopeScanOptions {
  readonly plan: AccountPlan;
  readonly regions: RegionChoice;
  readonly externalId?: string;
}

type Sender = { send(command: never): Promise<unknown> };

/** The clients a multi-account scan creates; tests and the bench pass their own. */
export interface AccountsScanClients {
  sts(credentials?: AwsCredentialIdentityProvider): Sender;
  organizations(): Sender;
  regions(credentials?: AwsCredentialIdentityProvider): RegionClients;
  config(region: string, credentials?: AwsCredentialIdentityProvider): ConfigReadClient;
}

/** SDK settings every client of the scan shares: adaptive retry (client-side rate limiting on throttling). */
export function clientSettings(region: string, credentials?: AwsCredentialIdentityProvider) {
  return {
    region,
    credentials,
    retryMode: 'adaptive',
    maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || 5,
  } as const;
}

/** The real SDK clients, every `send` taking a slot of `limit`. */
export function sdkClients(homeRegion: string, limit: Limiter): AccountsScanClients {
  return {
    // The caller's STS client is not limited: it assumes the roles from inside other clients' limited calls
    // (credentials resolve while a call holds its slot), and waiting for a slot there could deadlock.
    sts: (c) =>
      (c
        ? limitClient(new STSClient(clientSettings(homeRegion, c)), limit)
        : new STSClient(clientSettings(homeRegion))) as Sender,
    organizations: () => limitClient(new OrganizationsClient(clientSettings(homeRegion)), limit) as Sender,
    regions: (c) => ({
      account: limitClient(new AccountClient(clientSettings(homeRegion, c)), limit),
      ec2: limitClient(new EC2Client(clientSettings(homeRegion, c)), limit),
    }),
    config: (region, c) => limitClient(new ConfigServiceClient(clientSettings(region, c)), limit),
  };
}

/**
 * Scans several accounts (assumed roles, or the organization's list) in several regions (or every enabled
 * one), straight from each account's Config: account-regions run side by side, at most `concurrency` at a time
 * and with at most `concurrency` API calls in flight; an account or region that fails is reported and the
 * others go on. Global resources (IAM) are judged once per account; periodic rules marked `global` run once
 * per account, in the home region when it is scanned, else in the first region.
 */
export async function scanAccounts(options: AccountsScanOptions, clients?: AccountsScanClients): Promise<void> {
  const limit = createLimiter(options.concurrency);
  const c = clients ?? sdkClients(options.homeRegion, limit);
  const params = parseLiveParams(options.rules, options.paramsFor, options.onSkipped);

  const sts = c.sts() as { send(cmd: GetCallerIdentityCommand): Promise<{ Account?: string; Arn?: string }> };
  let caller: { Account?: string; Arn?: string };
  try {
    caller = await sts.send(new GetCallerIdentityCommand({}));
    if (!caller.Account) throw new Error('GetCallerIdentity returned no account');
  } catch (err) {
    options.onError(`cannot identify the caller's account (sts:GetCallerIdentity): ${describeError(err)}`);
    return;
  }
  const callerAccount = caller.Account;
  const partition = caller.Arn?.split(':')[1] ?? 'aws';

  let targets: AccountTarget[];
  const plan = options.plan;
  if (plan.kind === 'default') targets = [{ accountId: callerAccount }];
  else if (plan.kind === 'roles') targets = [...plan.targets];
  else {
    try {
      const org = await listOrganizationAccounts(c.organizations() as Parameters<typeof listOrganizationAccounts>[0]);
      for (const a of org.inactive)
        options.onNote(`account ${a.accountId}: ${a.state} in the organization; not scanned`);
      const inOrg = new Set(org.active.map((a) => a.accountId));
      for (const id of plan.only) {
        if (!inOrg.has(id)) options.onError(`account ${id} (--accounts) is not an active account of the organization`);
      }
      targets = org.active
        .filter((a) => plan.only.size === 0 || plan.only.has(a.accountId))
        .map((a) => ({ ...a, roleArn: roleArnFor(a.accountId, plan.roleName, partition) }));
    } catch (err) {
      options.onError(`cannot list the organization's accounts (organizations:ListAccounts): ${describeError(err)}`);
      return;
    }
  }
  // The caller's own account is read with the caller's credentials: it needs no role of its own.
  targets = targets.map((t) =>
    t.accountId === callerAccount && plan.kind === 'org' ? { ...t, roleArn: undefined } : t,
  );

  const progress = { accounts: { done: 0, total: targets.length }, regions: { done: 0, total: 0 }, items: 0 };
  const tell = () => options.onProgress?.(progress);
  const units = createLimiter(options.concurrency);

  const scanTarget = async (target: AccountTarget): Promise<void> => {
    const who = `account ${target.accountId}`;
    const fail = (message: string) => {
      options.onError(`${who}: ${message}`);
      options.onScope?.({
        accountId: target.accountId,
        region: '*',
        status: 'failed',
        evaluations: 0,
        nonCompliant: 0,
        errors: 1,
      });
    };
    const credentials = target.roleArn
      ? assumeRoleCredentials({
          roleArn: target.roleArn,
          externalId: options.externalId,
          sts: sts as unknown as Parameters<typeof assumeRoleCredentials>[0]['sts'],
        })
      : undefined;
    try {
      const me = await (c.sts(credentials) as typeof sts).send(new GetCallerIdentityCommand({}));
      if (me.Account !== target.accountId) {
        return fail(`the credentials reach account ${me.Account ?? 'unknown'}, not ${target.accountId}`);
      }
    } catch (err) {
      return fail(err instanceof AssumeRoleError ? err.message : `sts:GetCallerIdentity: ${describeError(err)}`);
    }

    let regions: string[];
    if (options.regions === 'all') {
      try {
        const listed = await listAccountRegions(c.regions(credentials), partition);
        regions = [...listed.enabled];
        for (const d of listed.disabled) {
          options.onNote(`${who} ${d.region}: region not enabled (${d.status}); skipped`);
          options.onScope?.({
            accountId: target.accountId,
            region: d.region,
            status: 'not-enabled',
            evaluations: 0,
            nonCompliant: 0,
            errors: 0,
          });
        }
      } catch (err) {
        return fail(describeError(err));
      }
    } else regions = [...options.regions];
    progress.regions.total += regions.length;
    tell();

    const globalRegion = regions.includes(options.homeRegion) ? options.homeRegion : regions[0];
    const globalSeen = new Set<string>();
    await Promise.all(
      regions.map((region) =>
        units(async () => {
          const tally = new ScopeTally(target.accountId, region);
          const label = `${target.accountId} ${region}`;
          await scanAccountRegion(
            {
              accountId: target.accountId,
              region,
              config: c.config(region, credentials),
              credentials,
              params,
              runGlobalPeriodic: region === globalRegion,
              globalSeen,
              logger: options.logger,
              onEvaluation: (rule, e, item) => {
                tally.add(e);
                options.onEvaluation(rule, e, { item, accountId: target.accountId, region });
              },
              onError: (m) => {
                tally.errors++;
                options.onError(m);
              },
              step: () => undefined,
              onItems: (n) => {
                progress.items += n;
                tell();
              },
            },
            label,
          );
          progress.regions.done++;
          tell();
          options.onScope?.(tally.row());
        }),
      ),
    );
  };

  await forEachLimited(targets, options.concurrency, async (t) => {
    await scanTarget(t);
    progress.accounts.done++;
    tell();
  });
}
