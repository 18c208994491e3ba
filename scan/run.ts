import { closeSync, openSync, rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { rules as registry } from '../rules';
import { staleTableWarnings } from '../rules/runtime/data-table';
import { describeError } from '../rules/runtime/errors';
import { createLogger, type Logger } from '../rules/runtime/logger';
import type { AnyRule } from '../rules/runtime/types';
import { ExitCode, exitCodeOf } from './exit-codes';
import { ControlSummaryBuilder } from './findings/control-summary';
import { failsOn } from './findings/fail-on';
import { ScanReport } from './findings/report';
import { toScanEvaluation, type EvaluationSource, type ScanEvaluation } from './findings/scan-evaluation';
import { LiveUsageError, runLiveScan } from './inputs/live-command';
import { ScanInputError } from './inputs/resolve';
import { JsonSpool } from './outputs/json';
import type { SecurityHubClients } from './outputs/securityhub-clients';
import { SecurityHubExport } from './outputs/securityhub-export';
import { LiveSnapshotWriter, defaultSnapshotPath } from './outputs/snapshot-writer';
import { GITHUB_LIMITS } from './outputs/sarif';
import { SarifResultBudget } from './outputs/sarif-budget';
import { TABLE_LIMIT } from './outputs/table';
import { createWriter } from './outputs/writers';
import { createProgress } from './progress';
import { scanFiles } from './run-files';
import { prepareScan, type ScanOptions, type ScanSetup, ScanUsageError } from './scan-setup';
import { packageVersion, writeReport } from './write-report';

export { ExitCode } from './exit-codes';
export {
  SCAN_FORMATS,
  type ScanFormat,
  type ScanOptions,
  ScanUsageError,
  readParamsFile,
  selectRules,
} from './scan-setup';

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
  const cwd = io.cwd ?? process.cwd();
  // One clock for the whole run: suppression expiry, and the dates the rules judge (Lambda runtimes), never the build's.
  const runClock = io.now ?? new Date();
  const prepared = prepareScan(inputs, options, { registry: io.registry ?? registry, cwd, env: io.env, now: runClock });
  if ('error' in prepared) return fail(prepared.error);
  const setup: ScanSetup = prepared;
  const { format, failOn, minSeverity, live, selected, rawParams, params, suppressor, baseline } = setup;
  const toHub =
    options.to === 'securityhub'
      ? new SecurityHubExport(
          setup.hubRegion,
          io.securityHubClients ??
            (live && (options.roleArn || options.roleName) ? memberHubClients(options, setup.hubRegion) : undefined),
        )
      : undefined;
  const controls = setup.frameworks.length > 0 ? new ControlSummaryBuilder(setup.frameworks) : undefined;
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    if (!options.quiet) io.stderr.write(`ward scan: warning: ${message}\n`);
  };
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
  // SARIF keeps the results GitHub takes (the most severe 25,000) as they come, not every NON_COMPLIANT evaluation.
  const sarifBudget = format === 'sarif' ? new SarifResultBudget(selected, GITHUB_LIMITS.results) : undefined;
  const report = new ScanReport(selected, {
    keepPerRule: sarifBudget ? 0 : TABLE_LIMIT,
    sink: spool
      ? (se) => prerendered || spool.add(se)
      : writer
        ? (se) => writer.add(se)
        : sarifBudget
          ? (se) => sarifBudget.add(se)
          : undefined,
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
      await scanFiles({
        inputs,
        stdin: io.stdin,
        stderr: io.stderr,
        selected,
        params,
        rulesNamed: options.rules !== undefined,
        logger,
        now: runClock,
        jobs: setup.jobs,
        allCaptures: options.allCaptures ?? false,
        report,
        progress,
        record,
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
        // Evaluations neither NON_COMPLIANT nor with findings are only counted, unless the baseline reads them
        // (it notes every rule that ran). Suppressions, table and SARIF read only findings.
        onTally:
          baseline === undefined
            ? (rule, compliance, n, accounts) => report.tally(rule, compliance, n, accounts)
            : undefined,
      });
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

  function emit(summary: ReturnType<ScanReport['summary']>): Promise<void> {
    return writeReport(
      {
        setup,
        inputs,
        options,
        cwd,
        report,
        controls,
        spool,
        writer,
        sarifBudget,
        outFd,
        stdout: io.stdout,
        env: io.env,
        staleTables,
        warnings,
        warn,
      },
      summary,
    );
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
