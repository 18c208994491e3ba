import { closeSync, createWriteStream, openSync, readFileSync, rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { rules as registry } from '../rules';
import { unknownName } from '../rules/runtime/did-you-mean';
import { describeError, WardError } from '../rules/runtime/errors';
import { staleTableWarnings } from '../rules/runtime/data-table';
import { createLogger, type Logger } from '../rules/runtime/logger';
import { parseRuleParameters } from '../rules/runtime/parameters';
import type { AnyRule } from '../rules/runtime/types';
import { ExitCode, exitCodeOf } from './exit-codes';
import { resolveInputs, ScanInputError } from './inputs/resolve';
import { type LiveFlags, LiveUsageError, runLiveScan, wantsLive } from './inputs/live-command';
import { NotJudgedKind } from './not-judged';
import { JsonSpool, writeText } from './outputs/json';
import { createProgress } from './progress';
import { loadBaseline, type Baseline } from './findings/baseline';
import { failsOn } from './findings/fail-on';
import { ScanReport } from './findings/report';
import { toScanEvaluation, type EvaluationSource, type ScanEvaluation } from './findings/scan-evaluation';
import { parseSeverityOption } from './findings/severity';
import { findSuppressionsFile, loadSuppressions, SuppressionMatcher } from './findings/suppression';
import { projectLinks } from './outputs/project-links';
import { toSarif } from './outputs/sarif';
import { LiveSnapshotWriter, defaultSnapshotPath } from './outputs/snapshot-writer';
import { type InputSummary, scanSnapshots } from './inputs/snapshot';
import { loadTemplates, splitInputs } from './inputs/template-sources';
import { judgeTemplateItems } from './inputs/template-judge';
import { jobsFor, parseJobs } from './parallel/jobs';
import { renderTable, TABLE_LIMIT, useColor } from './outputs/table';
import { ControlSummaryBuilder, parseFrameworks, renderControlSummary } from './findings/control-summary';
import { createWriter, WRITER_FORMATS } from './outputs/writers';
import { SecurityHubExport } from './outputs/securityhub-export';
import type { SecurityHubClients } from './outputs/securityhub-clients';

/** Output formats of `ward scan`. */
export const SCAN_FORMATS = ['table', 'json', 'sarif', ...WRITER_FORMATS] as const;

/** One of {@link SCAN_FORMATS}. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export { ExitCode } from './exit-codes';

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

/** Where `ward scan` reads and writes (tests pass their own). */
export interface ScanIo {
  readonly stdin: Readable;
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream | (Writable & { isTTY?: boolean });
  readonly env: NodeJS.ProcessEnv;
  /** The rules to choose from (default: the registry). */
  readonly registry?: readonly AnyRule[];
  /** The working directory (SARIF URIs, the default suppressions file); default process.cwd(). */
  readonly cwd?: string;
  /** Today, for suppression expiry and the age of the rules' data tables (tests pass their own). */
  readonly now?: Date;
  /**
   * `--to securityhub`: a Security Hub client per account and region (default: the credentials in use, which
   * import the calling account's findings only). An organization scan passes clients on its members' roles
   * (`clientsFromCredentials` in scan/outputs/securityhub-clients.ts).
   */
  readonly securityHubClients?: SecurityHubClients;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The rules `--rules` selects, in registry order. @throws ScanUsageError naming unknown ids. */
export function selectRules(all: readonly AnyRule[], spec: string | undefined): AnyRule[] {
  if (spec === undefined) return [...all];
  const wanted = list(spec);
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

function scanLogger(env: NodeJS.ProcessEnv, stderr: Writable): Logger {
  // Logs go to stderr so stdout stays one JSON document; quiet unless LOG_LEVEL asks (findings carry errors).
  const logger = createLogger({ command: 'scan' }, stderr);
  logger.level = env.LOG_LEVEL ?? 'silent';
  return logger;
}

/**
 * `ward scan`: evaluates the rules on snapshot files (or live with `--live`) and prints the result. Returns
 * the exit code (scan/exit-codes.ts): 0; 1 with `--fail-on non-compliant` and a NON_COMPLIANT resource; 2 on a
 * usage error, or when anything asked for was not judged (an input, item, resource, rule, region or type):
 * the report then still holds everything judged, its summary lists the rest, and stderr has one line each.
 */
export async function runScan(inputs: readonly string[], options: ScanOptions, io: ScanIo): Promise<number> {
  let outFd: number | undefined;
  const fail = (message: string) => {
    if (outFd !== undefined) {
      // Leave no empty report behind a failed scan.
      closeSync(outFd);
      rmSync(options.output as string, { force: true });
      outFd = undefined;
    }
    io.stderr.write(`ward scan: ${message}\n`);
    return ExitCode.INCOMPLETE;
  };
  const format = (options.format ?? 'table') as ScanFormat;
  if (!SCAN_FORMATS.includes(format))
    return fail(`unknown --format ${options.format} (use ${SCAN_FORMATS.join(', ')})`);
  const failOnParsed = parseSeverityOption(options.failOn ?? 'none', '--fail-on', true);
  if (!failOnParsed.ok) return fail(failOnParsed.message);
  const failOn = failOnParsed.level;
  const minParsed = parseSeverityOption(options.minSeverity ?? 'informational', '--min-severity', false);
  if (!minParsed.ok) return fail(minParsed.message);
  const minSeverity = minParsed.level === 'informational' ? undefined : minParsed.level;
  const colorChoice = options.color ?? 'auto';
  if (!['auto', 'always', 'never'].includes(colorChoice)) {
    return fail(`unknown --color ${colorChoice} (use auto, always or never)`);
  }
  const live = wantsLive(options, inputs);
  if (!live && (options.concurrency !== undefined || options.externalId !== undefined)) {
    return fail(
      `${options.concurrency !== undefined ? '--concurrency' : '--external-id'} applies to live scans ` +
        '(--live, --region, --role-arn, --accounts, --org, --aggregator)',
    );
  }
  if (format === 'sarif' && inputs.includes('-')) {
    return fail(
      '--format sarif needs input files (GitHub rejects a result without a file location): save stdin to a file',
    );
  }
  const jobsParsed = parseJobs(options.jobs);
  if (!jobsParsed.ok) return fail(jobsParsed.message);
  const frameworks = parseFrameworks(options.framework);
  if (!frameworks.ok) return fail(frameworks.message);
  if (format === 'csv' && frameworks.keys.length > 0 && (options.output === undefined || options.output === '-')) {
    return fail('--framework with --format csv needs --output FILE (the control summary goes beside it)');
  }
  if (options.to !== undefined && options.to !== 'securityhub')
    return fail(`unknown --to ${options.to} (use securityhub)`);
  // Global (IAM) findings go to the first region named (not `all`), else AWS_REGION.
  const hubRegion =
    [...list(options.region), ...list(options.regions)].find((r) => r !== 'all') ??
    io.env.AWS_REGION ??
    io.env.AWS_DEFAULT_REGION;
  const toHub =
    options.to === 'securityhub'
      ? new SecurityHubExport(
          hubRegion,
          io.securityHubClients ??
            (live && (options.roleArn || options.roleName) ? memberHubClients(options, hubRegion) : undefined),
        )
      : undefined;
  const controls = frameworks.keys.length > 0 ? new ControlSummaryBuilder(frameworks.keys) : undefined;
  const cwd = io.cwd ?? process.cwd();
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    if (!options.quiet) io.stderr.write(`ward scan: warning: ${message}\n`);
  };
  if (live && inputs.length > 0) return fail('--live reads AWS Config; do not pass input files with it');

  const all = io.registry ?? registry;
  let selected: AnyRule[];
  let rawParams: Record<string, unknown>;
  const params = new Map<AnyRule, unknown>();
  let suppressor: SuppressionMatcher | undefined;
  let baseline: Baseline | undefined;
  try {
    selected = selectRules(all, options.rules);
    if (options.rules === undefined && options.configRules !== undefined) {
      selected = selected.filter((r) => options.configRules?.includes(r.meta.id));
    }
    rawParams = { ...options.configParams, ...readParamsFile(options.params, all) };
    // Every selected rule's parameters are checked before any work, offline and live alike.
    for (const rule of selected) {
      try {
        params.set(rule, parseRuleParameters(rule.meta.parameters, rawParams[rule.meta.id], rule.meta.id));
      } catch (err) {
        throw new ScanUsageError(`--params: ${(err as Error).message}`, { cause: err });
      }
    }
    const suppressionsFile =
      options.suppressions === false ? undefined : (options.suppressions ?? findSuppressionsFile(cwd));
    if (suppressionsFile !== undefined) {
      suppressor = new SuppressionMatcher(loadSuppressions(suppressionsFile, all), io.now ?? new Date());
    }
    if (options.baseline !== undefined) baseline = loadBaseline(options.baseline);
  } catch (err) {
    return fail((err as Error).message);
  }

  if (options.output !== undefined && options.output !== '-') {
    try {
      // Opened now so a bad path fails before a long scan, not after it.
      outFd = openSync(options.output as string, 'w');
    } catch (err) {
      return fail(`--output ${options.output}: cannot write (${describeError(err)})`);
    }
  }

  const logger = scanLogger(io.env, io.stderr);
  const spool = format === 'json' ? new JsonSpool() : undefined;
  const writer = createWriter(format, packageVersion());
  // With --format json and nothing to change, hide or read more of an evaluation after it is judged, judge
  // workers write its text and send only what the report counts.
  const prerender =
    spool !== undefined &&
    suppressor === undefined &&
    baseline === undefined &&
    !minSeverity &&
    controls === undefined &&
    toHub === undefined;
  let prerendered = false;
  const report = new ScanReport(selected, {
    keepPerRule: format === 'sarif' ? Number.POSITIVE_INFINITY : TABLE_LIMIT,
    sink: spool ? (se) => prerendered || spool.add(se) : writer ? (se) => writer.add(se) : undefined,
    minSeverity,
    failOn,
    baselineGiven: baseline !== undefined,
    namePlace: live,
  });
  // Live scans have no file: with SARIF (or --save-snapshot) the items read are saved and anchor the results.
  const snapshotOut =
    live && (format === 'sarif' || options.saveSnapshot !== undefined)
      ? new LiveSnapshotWriter(options.saveSnapshot ?? defaultSnapshotPath(options.output, cwd))
      : undefined;
  const record = (rule: AnyRule, e: Parameters<typeof toScanEvaluation>[1], source: EvaluationSource) => {
    const anchored = snapshotOut ? { ...source, location: snapshotOut.locate(e, source) } : source;
    recordJudged(toScanEvaluation(rule, e, anchored));
  };
  // Evaluations judged in worker threads come as ScanEvaluations; with `prerender` their JSON text comes
  // after them, a batch at a time, and the report only counts them.
  const recordJudged = (se: ScanEvaluation) => {
    suppressor?.apply(se);
    baseline?.mark(se);
    controls?.add(se);
    toHub?.add(se);
    // A resource a rule could not judge is reported NON_COMPLIANT and, like every problem, on one line of stderr.
    const notJudged = report.add(se);
    if (notJudged !== undefined) io.stderr.write(`ward scan: not judged: ${notJudged}\n`);
  };
  const progress = createProgress(
    (options.quiet ? { isTTY: false, write: () => true } : io.stderr) as NodeJS.WriteStream,
    live ? 'ward scan --live' : 'ward scan',
    live ? 'tasks' : 'bytes',
  );
  // A rule's data table past its age (the Lambda runtime dates) does not stop the scan, but is said twice: in the
  // summary's warnings, and on stderr once the scan is done (a failed scan prints only its one-line error).
  // One clock for the whole run: the rules judge dates (Lambda runtimes) against it, never the build's.
  const runClock = io.now ?? new Date();
  const staleTables = staleTableWarnings(selected, runClock);
  try {
    if (live) {
      const regions = await runLiveScan(options, {
        rules: selected,
        paramsFor: (rule) => rawParams[rule.meta.id],
        logger,
        env: io.env,
        onEvaluation: record,
        onError: (message) => {
          report.error(message);
          progress.stop();
          io.stderr.write(`ward scan: ${message}\n`);
        },
        // A disabled region skipped, tags not read: what the user should know, not work left undone.
        onNote: (message) => warn(message),
        onSkipped: (rule, reason) => {
          report.skip(rule, reason, true);
          io.stderr.write(`ward scan: ${rule.meta.id} not run: ${reason}\n`);
        },
        onProgress: (p) =>
          progress.update(
            p.regions.done,
            p.regions.total,
            `accounts ${p.accounts.done}/${p.accounts.total}, ${p.items} items`,
          ),
        onScope: (row) => report.addScope(row),
      });
      progress.stop();
      await snapshotOut?.close();
      if (snapshotOut) warn(`the items read were saved to ${snapshotOut.path} (SARIF results point at their lines)`);
      await emit(report.summary('live', regions));
    } else {
      const runnable: AnyRule[] = [];
      for (const rule of selected) {
        if (rule.meta.trigger.onChange) runnable.push(rule);
        else {
          // Asked for by name, a rule that cannot run is work not done (exit 2); by default it is only listed.
          const reason =
            'periodic-only rule: it lists resources through AWS APIs, which a snapshot file does not have; ' +
            'run `ward scan --live` to include it';
          report.skip(rule, reason, options.rules !== undefined);
          if (options.rules !== undefined) io.stderr.write(`ward scan: ${rule.meta.id} not run: ${reason}\n`);
        }
      }
      // Templates (CloudFormation, CDK assemblies, Terraform plans) are told apart by content; the rest are snapshots.
      const { templates, others } = splitInputs(inputs);
      const inputSummaries: InputSummary[] = [];
      if (templates.length > 0) {
        const loaded = loadTemplates(templates);
        for (const p of loaded.problems) {
          io.stderr.write(`ward scan: ${report.notJudged(NotJudgedKind.INPUT, p.label, p.problem)}\n`);
        }
        for (const note of loaded.notes) {
          io.stderr.write(`ward scan: ${report.notJudged(NotJudgedKind.ITEM, '', note)}\n`);
        }
        await judgeTemplateItems({ items: loaded.items, rules: runnable, params, logger, onEvaluation: record });
        inputSummaries.push(...loaded.summaries);
      }
      // With only templates given, stdin and the bundled sample are not read.
      const resolved =
        others.length > 0 || templates.length === 0
          ? await resolveInputs(others, io.stdin)
          : { inputs: [], problems: [], cleanup: () => undefined };
      for (const p of resolved.problems) {
        io.stderr.write(`ward scan: ${report.notJudged(NotJudgedKind.INPUT, p.label, p.problem)}\n`);
      }
      try {
        const summaries = await scanSnapshots({
          inputs: resolved.inputs,
          rules: runnable,
          params,
          logger,
          onEvaluation: record,
          jobs: jobsFor(jobsParsed.jobs, resolved.inputs),
          onScanEvaluation: (se) => {
            prerendered = prerender;
            recordJudged(se);
            prerendered = false;
          },
          prerender,
          // Table and SARIF show only evaluations with findings; the JSON text, when workers write it, all. The
          // other writers, the control summary and Security Hub read every evaluation whole.
          liteWhen: prerender
            ? 'always'
            : (format === 'table' || format === 'sarif') && controls === undefined && toHub === undefined
              ? 'no-findings'
              : 'never',
          onJson: (text, count) => spool?.addRendered(text, count),
          allCaptures: options.allCaptures ?? false,
          now: runClock,
          onBadItem: (bad) => {
            io.stderr.write(`ward scan: skipped bad item: ${report.badItem(bad)}\n`);
          },
          onBadInput: (label, problem) => {
            io.stderr.write(`ward scan: ${report.notJudged(NotJudgedKind.INPUT, label, problem)}\n`);
          },
          onProgress: (done, total) => progress.update(done, total),
        });
        report.setInputs([...inputSummaries, ...summaries.inputs]);
        if (summaries.olderCapturesSkipped !== undefined)
          report.setOlderCapturesSkipped(summaries.olderCapturesSkipped);
      } finally {
        resolved.cleanup();
        progress.stop();
      }
      await emit(report.summary('snapshot'));
    }
  } catch (err) {
    progress.stop();
    spool?.dispose();
    writer?.dispose();
    await snapshotOut?.close();
    if (err instanceof ScanInputError || err instanceof ScanUsageError || err instanceof LiveUsageError) {
      return fail(err.message);
    }
    throw err;
  }
  // An import that did not fully succeed is work not done (exit 2), like an input that could not be read.
  const imported = toHub ? await toHub.send(selected, io.stderr, { incomplete: report.incomplete }) : true;
  return exitCodeOf({
    incomplete: report.incomplete || !imported,
    failing: failsOn(failOn, report.failOnCounted),
  });

  async function emit(summary: ReturnType<ScanReport['summary']>): Promise<void> {
    for (const w of staleTables) warn(w);
    for (const w of suppressor?.warnings() ?? []) warn(w);
    if (baseline) report.setBaseline(baseline.summary());
    let sarif: ReturnType<typeof toSarif> | undefined;
    if (format === 'sarif') {
      sarif = toSarif(report, {
        version: packageVersion(),
        links: projectLinks(),
        cwd,
        automationId: automationId(inputs, summary, report.accounts, options),
        baselineGiven: baseline !== undefined,
      });
      for (const w of sarif.warnings) warn(w);
    }
    for (const w of warnings) report.warn(w);
    const controlSummary = controls?.summary(selected);
    const final = {
      ...report.summary(summary.mode, summary.regions),
      ...(controlSummary ? { controls: controlSummary } : {}),
    };
    if (sarif && controlSummary) {
      const run = (sarif.log as { runs: { properties?: Record<string, unknown> }[] }).runs[0];
      run.properties = { ...run.properties, controls: controlSummary };
    }
    const out: Writable & { isTTY?: boolean } = outFd !== undefined ? createWriteStream('', { fd: outFd }) : io.stdout;
    if (spool) await spool.finish(out, final);
    else if (writer) {
      await writer.finish(out, {
        summary: final,
        controls: controlSummary,
        report,
        output: options.output,
        version: packageVersion(),
      });
    } else if (sarif) {
      await writeText(out, `${JSON.stringify(sarif.log, null, 2)}\n`);
    } else {
      const color = outFd === undefined && useColor(io.stdout, io.env, colorChoice as 'auto' | 'always' | 'never');
      await writeText(out, renderTable(report, final, color, cwd));
      if (controlSummary) await writeText(out, `\n${renderControlSummary(controlSummary)}`);
    }
    if (outFd !== undefined) {
      await new Promise<void>((resolve, reject) => {
        out.on('error', reject);
        out.end(resolve);
      });
    }
  }
}

/**
 * Security Hub clients on the member roles of an organization scan (live-member-credentials.ts), loaded on
 * first use: the AWS SDK stays out of the startup path of offline scans.
 */
function memberHubClients(options: ScanOptions, homeRegion: string | undefined): SecurityHubClients {
  let clients: Promise<SecurityHubClients | undefined> | undefined;
  return {
    async clientFor(account, region) {
      clients ??= import('./inputs/live-member-credentials').then((m) => m.organizationHubClients(options, homeRegion));
      const c = await clients;
      return c ? c.clientFor(account, region) : { unavailable: `no role for account ${account} in this scan` };
    },
  };
}

/**
 * `runAutomationDetails.id`: `ward/<inputs>/` for files, `ward/<account>/` live, so uploads do not overwrite.
 * An organization scan is named by how it was asked (`aggregator-<name>`, `org`), which stays the same when
 * an account joins or fails; a few accounts by role are named by their ids.
 */
function automationId(
  inputs: readonly string[],
  summary: ReturnType<ScanReport['summary']>,
  accounts: readonly string[],
  options: ScanOptions,
): string {
  const what =
    summary.mode === 'live'
      ? options.aggregator
        ? `aggregator-${options.aggregator}`
        : options.org
          ? 'org'
          : accounts.join('+') || `live-${(summary.regions ?? []).join('+')}`
      : inputs.length === 0
        ? 'sample'
        : inputs.map((i) => i.replace(/\/+$/, '')).join('+');
  return `ward/${what.replace(/[^A-Za-z0-9._+-]+/g, '-')}/`;
}

function packageVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return (require('../package.json') as { version: string }).version;
  }
}
