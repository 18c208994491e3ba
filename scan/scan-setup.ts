/**
 * `ward scan`'s options checked before any work: format, severities, colour, jobs, frameworks, the rules
 * selected and their parameters, suppressions and the baseline. Every mistake is one message for exit code 2,
 * found before a long scan starts, never after it.
 */
import { readFileSync } from 'node:fs';
import { unknownName } from '../rules/runtime/did-you-mean';
import { describeError, WardError } from '../rules/runtime/errors';
import { parseRuleParameters } from '../rules/runtime/parameters';
import type { AnyRule, SeverityLevel } from '../rules/runtime/types';
import { commaList, type LiveFlags, wantsLive } from './inputs/live-command';
import { loadBaseline, type Baseline } from './findings/baseline';
import type { FrameworkKey } from '../rules/runtime/controls';
import { parseFrameworks } from './findings/control-summary';
import { parseSeverityOption } from './findings/severity';
import { findSuppressionsFile, loadSuppressions, SuppressionMatcher } from './findings/suppression';
import { parseJobs } from './parallel/jobs';
import { WRITER_FORMATS } from './outputs/writers';

/** Output formats of `ward scan`. */
export const SCAN_FORMATS = ['table', 'json', 'sarif', ...WRITER_FORMATS] as const;

/** One of {@link SCAN_FORMATS}. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** A command-line mistake (unknown rule, bad option, bad --params file): exit 2 with the message. */
export class ScanUsageError extends WardError {}

/** Options of `ward scan`, as commander parses them; the live ones (one account or an organization) are `LiveFlags`. */
export interface ScanOptions extends LiveFlags {
  readonly rules?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOn?: string;
  readonly params?: string;
  /** Hide NON_COMPLIANT evaluations below this severity from the report (still counted in the summary). */
  readonly minSeverity?: string;
  /** Suppressions file; default `ward.suppressions.json|yaml|yml` in the working directory; false: none. */
  readonly suppressions?: string | false;
  /** An earlier `--format json` report. */
  readonly baseline?: string;
  /** Judge every capture of an AWSLogs tree, not only each resource's latest. */
  readonly allCaptures?: boolean;
  /** Where `--live` writes the items it read (for SARIF anchors). */
  readonly saveSnapshot?: string;
  /** `auto` (default), `always` or `never`. */
  readonly color?: string;
  /** No warnings or progress on stderr (the report still holds them). */
  readonly quiet?: boolean;
  /** Threads judging snapshot items (the scan thread and N - 1 workers): a number, or `auto` (default). */
  readonly jobs?: string | number;
  /** Rules `ward.config.json` enables (used when `--rules` is not given). */
  readonly configRules?: readonly string[];
  /** Parameters per rule from `ward.config.json` (`--params` entries win). */
  readonly configParams?: Readonly<Record<string, unknown>>;
  /** `--framework`: add a per-control summary of these frameworks (comma-separated). */
  readonly framework?: string;
  /** `--to securityhub`: import the findings into AWS Security Hub. */
  readonly to?: string;
}

/** What a scan was asked to do, checked. */
export interface ScanSetup {
  readonly format: ScanFormat;
  readonly failOn: SeverityLevel | undefined;
  /** Undefined when nothing is hidden (`informational`). */
  readonly minSeverity: SeverityLevel | undefined;
  readonly color: 'auto' | 'always' | 'never';
  /** A live scan (an account, an organization, an aggregator) rather than files. */
  readonly live: boolean;
  /** `--jobs` as asked (undefined: `auto`). */
  readonly jobs: number | undefined;
  readonly frameworks: readonly FrameworkKey[];
  /** The region Security Hub receives global (IAM) findings in: the first region named, else the environment's. */
  readonly hubRegion: string | undefined;
  readonly selected: readonly AnyRule[];
  /** Parameters by rule id as given (`ward.config.json`, then `--params`). */
  readonly rawParams: Readonly<Record<string, unknown>>;
  /** Each selected rule's parameters, parsed. */
  readonly params: ReadonlyMap<AnyRule, unknown>;
  readonly suppressor: SuppressionMatcher | undefined;
  readonly baseline: Baseline | undefined;
}

/** What {@link prepareScan} reads besides the options. */
export interface SetupContext {
  /** The rules to choose from. */
  readonly registry: readonly AnyRule[];
  /** Where the default suppressions file is looked for. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Today, for suppression expiry. */
  readonly now: Date;
}

/**
 * Checks every option of a scan, in the order the user reads them, and loads what they name (rules,
 * parameters, suppressions, baseline). Returns the setup, or the one message of the first mistake.
 */
export function prepareScan(
  inputs: readonly string[],
  options: ScanOptions,
  context: SetupContext,
): ScanSetup | { readonly error: string } {
  const format = (options.format ?? 'table') as ScanFormat;
  if (!SCAN_FORMATS.includes(format))
    return { error: `unknown --format ${options.format} (use ${SCAN_FORMATS.join(', ')})` };
  const failOn = parseSeverityOption(options.failOn ?? 'none', '--fail-on', true);
  if (!failOn.ok) return { error: failOn.message };
  const min = parseSeverityOption(options.minSeverity ?? 'informational', '--min-severity', false);
  if (!min.ok) return { error: min.message };
  const color = options.color ?? 'auto';
  if (color !== 'auto' && color !== 'always' && color !== 'never') {
    return { error: `unknown --color ${color} (use auto, always or never)` };
  }
  const live = wantsLive(options, inputs);
  if (!live && (options.concurrency !== undefined || options.externalId !== undefined)) {
    return {
      error:
        `${options.concurrency !== undefined ? '--concurrency' : '--external-id'} applies to live scans ` +
        '(--live, --region, --role-arn, --accounts, --org, --aggregator)',
    };
  }
  if (format === 'sarif' && inputs.includes('-')) {
    return {
      error: '--format sarif needs input files (GitHub rejects a result without a file location): save stdin to a file',
    };
  }
  const jobs = parseJobs(options.jobs);
  if (!jobs.ok) return { error: jobs.message };
  const frameworks = parseFrameworks(options.framework);
  if (!frameworks.ok) return { error: frameworks.message };
  if (format === 'csv' && frameworks.keys.length > 0 && (options.output === undefined || options.output === '-')) {
    return { error: '--framework with --format csv needs --output FILE (the control summary goes beside it)' };
  }
  if (options.to !== undefined && options.to !== 'securityhub')
    return { error: `unknown --to ${options.to} (use securityhub)` };
  if (live && inputs.length > 0) return { error: '--live reads AWS Config; do not pass input files with it' };
  // Global (IAM) findings go to the first region named (not `all`), else AWS_REGION.
  const hubRegion =
    [...commaList(options.region), ...commaList(options.regions)].find((r) => r !== 'all') ??
    context.env.AWS_REGION ??
    context.env.AWS_DEFAULT_REGION;
  try {
    const { selected, rawParams, params } = rulesAndParameters(options, context.registry);
    const suppressionsFile =
      options.suppressions === false ? undefined : (options.suppressions ?? findSuppressionsFile(context.cwd));
    const suppressor =
      suppressionsFile === undefined
        ? undefined
        : new SuppressionMatcher(loadSuppressions(suppressionsFile, context.registry), context.now);
    const baseline = options.baseline !== undefined ? loadBaseline(options.baseline) : undefined;
    return {
      format,
      failOn: failOn.level,
      minSeverity: min.level === 'informational' ? undefined : min.level,
      color,
      live,
      jobs: jobs.jobs,
      frameworks: frameworks.keys,
      hubRegion,
      selected,
      rawParams,
      params,
      suppressor,
      baseline,
    };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * The rules selected (`--rules`, else those `ward.config.json` enables) and their parameters, each checked
 * before any work, offline and live alike. @throws ScanUsageError naming the problem.
 */
function rulesAndParameters(
  options: ScanOptions,
  all: readonly AnyRule[],
): { selected: AnyRule[]; rawParams: Record<string, unknown>; params: Map<AnyRule, unknown> } {
  let selected = selectRules(all, options.rules);
  if (options.rules === undefined && options.configRules !== undefined) {
    selected = selected.filter((r) => options.configRules?.includes(r.meta.id));
  }
  const rawParams = { ...options.configParams, ...readParamsFile(options.params, all) };
  const params = new Map<AnyRule, unknown>();
  for (const rule of selected) {
    try {
      params.set(rule, parseRuleParameters(rule.meta.parameters, rawParams[rule.meta.id], rule.meta.id));
    } catch (err) {
      throw new ScanUsageError(`--params: ${(err as Error).message}`, { cause: err });
    }
  }
  return { selected, rawParams, params };
}

/** The rules `--rules` selects, in registry order. @throws ScanUsageError naming unknown ids. */
export function selectRules(all: readonly AnyRule[], spec: string | undefined): AnyRule[] {
  if (spec === undefined) return [...all];
  const wanted = commaList(spec);
  const ids = all.map((r) => r.meta.id);
  if (wanted.length === 0) throw new ScanUsageError(`--rules names no rule (known: ${ids.join(', ')})`);
  const unknown = wanted.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ScanUsageError(
      `${unknown.map((id) => unknownName('rule', id, ids)).join('; ')} in --rules (known: ${ids.join(', ')})`,
    );
  }
  return all.filter((r) => wanted.includes(r.meta.id));
}

/** Reads `--params FILE` (a JSON map rule id -> parameters). @throws ScanUsageError naming the problem. */
export function readParamsFile(path: string | undefined, all: readonly AnyRule[]): Record<string, unknown> {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScanUsageError(`--params ${path}: ${describeError(err)}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScanUsageError(`--params ${path}: expected a JSON object mapping rule ids to parameters`);
  }
  const ids = all.map((r) => r.meta.id);
  const unknown = Object.keys(parsed).filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new ScanUsageError(`--params ${path}: ${unknown.map((id) => unknownName('rule id', id, ids)).join('; ')}`);
  }
  return parsed as Record<string, unknown>;
}
