import { WardError } from '../../rules/runtime/errors';
import type { Logger } from '../../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import { AccountSelectionError, planAccounts } from './live-accounts';
import type { EvaluationSource, ScopeProgress, ScopeRow } from './live-scope';

/** A bad live-scan flag (region, concurrency, accounts): exit 2 with the message. */
export class LiveUsageError extends WardError {}

/** The live-scan flags of `ward scan`, as commander parses them (strings, comma-separated lists). */
export interface LiveFlags {
  readonly live?: boolean;
  readonly region?: string;
  readonly regions?: string;
  readonly aggregator?: string;
  readonly roleArn?: string;
  readonly accounts?: string;
  readonly roleName?: string;
  readonly externalId?: string;
  readonly org?: boolean;
  readonly concurrency?: string;
}

/** Default `--concurrency`: API calls and account-regions in flight across the organization. */
export const DEFAULT_CONCURRENCY = 8;
/** Upper bound of `--concurrency`: beyond this Config throttles more than it serves. */
export const MAX_CONCURRENCY = 64;

/** Splits a comma-separated option into its trimmed, non-empty parts. */
export const commaList = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * True when any flag asks for a live scan (so `--live` itself is optional with them). `--region` is one only
 * without input files (`ward scan --region all` must not quietly scan the bundled sample; with files it names
 * the region of global findings for `--to securityhub`).
 */
export function wantsLive(flags: LiveFlags, inputs: readonly string[] = []): boolean {
  return Boolean(
    flags.live ||
    flags.aggregator ||
    flags.roleArn ||
    flags.roleName ||
    flags.org ||
    flags.accounts ||
    flags.regions ||
    (flags.region && inputs.length === 0),
  );
}

/** How `ward scan` hears back from a live scan. */
export interface LiveHooks {
  readonly rules: readonly AnyRule[];
  paramsFor(rule: AnyRule): unknown;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  onEvaluation(rule: AnyRule, evaluation: Evaluation, source: EvaluationSource): void;
  onError(message: string): void;
  onNote(message: string): void;
  onSkipped(rule: AnyRule, reason: string): void;
  onProgress(progress: ScopeProgress): void;
  onScope(row: ScopeRow): void;
}

/**
 * Runs the live scan the flags ask for: an aggregator (`--aggregator`), or each account's Config (the
 * default credentials' account, `--role-arn`, `--accounts --role-name`, `--org --role-name`) in the regions
 * given or every enabled one (`--region all`). Returns the regions asked for (or `['all']`) for the summary.
 * @throws LiveUsageError naming the flag, before any AWS call.
 */
export async function runLiveScan(flags: LiveFlags, hooks: LiveHooks): Promise<readonly string[]> {
  const regionList = [...new Set([...commaList(flags.region), ...commaList(flags.regions)])];
  const all = regionList.includes('all');
  if (all && regionList.length > 1) throw new LiveUsageError('--region all cannot be combined with region names');
  const badRegion = regionList.find((r) => r !== 'all' && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
  if (badRegion) throw new LiveUsageError(`--region ${badRegion}: not a region name (e.g. eu-west-1) or all`);
  const concurrency = flags.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new LiveUsageError(
      `--concurrency ${flags.concurrency}: expected a whole number from 1 to ${MAX_CONCURRENCY}`,
    );
  }
  let plan;
  try {
    plan = planAccounts({
      roleArns: commaList(flags.roleArn),
      accounts: commaList(flags.accounts),
      roleName: flags.roleName,
      externalId: flags.externalId,
      org: flags.org,
      aggregator: Boolean(flags.aggregator),
    });
  } catch (err) {
    if (err instanceof AccountSelectionError) throw new LiveUsageError(err.message, { cause: err });
    throw err;
  }
  const envRegion = hooks.env.AWS_REGION ?? hooks.env.AWS_DEFAULT_REGION;
  const common = {
    rules: hooks.rules,
    paramsFor: hooks.paramsFor,
    logger: hooks.logger,
    concurrency,
    onEvaluation: hooks.onEvaluation,
    onError: hooks.onError,
    onNote: hooks.onNote,
    onSkipped: hooks.onSkipped,
    onProgress: hooks.onProgress,
    onScope: hooks.onScope,
  };

  if (flags.aggregator) {
    if (plan.kind !== 'default') {
      throw new LiveUsageError(
        '--aggregator reads every account from the aggregator: use --accounts to filter, not roles',
      );
    }
    const homeRegion = envRegion;
    if (!homeRegion) throw new LiveUsageError('--aggregator needs AWS_REGION: the region the aggregator is in');
    // Loaded only here: the AWS SDK clients stay out of the startup path of offline scans.
    const { scanAggregator } = await import('./live-aggregator');
    await scanAggregator({
      ...common,
      homeRegion,
      aggregator: flags.aggregator,
      accounts: new Set(commaList(flags.accounts)),
      regions: new Set(all ? [] : regionList),
    });
    return all || regionList.length === 0 ? ['all'] : regionList;
  }

  if (regionList.length === 0 && !envRegion) throw new LiveUsageError('--live needs --region (or AWS_REGION)');
  const regions = regionList.length > 0 ? regionList : [envRegion as string];
  const homeRegion = envRegion ?? (all ? 'us-east-1' : regions[0]);
  const { scanAccounts } = await import('./live-org');
  await scanAccounts({ ...common, homeRegion, plan, externalId: flags.externalId, regions: all ? 'all' : regions });
  return regions;
}
