/**
 * The last step of `ward scan`: the summary's warnings, the baseline and control summaries, then the report in
 * the chosen format (table, JSON from its spool, SARIF, or one of the writers) to stdout or `--output`.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ControlSummaryBuilder } from './findings/control-summary';
import { renderControlSummary } from './findings/control-summary';
import type { ScanReport } from './findings/report';
import { type JsonSpool, writeText } from './outputs/json';
import { projectLinks } from './outputs/project-links';
import { toSarif } from './outputs/sarif';
import type { SarifResultBudget } from './outputs/sarif-budget';
import { renderTable, useColor } from './outputs/table';
import type { createWriter } from './outputs/writers';
import type { ScanOptions, ScanSetup } from './scan-setup';

/** What {@link writeReport} writes, and where. */
export interface ReportTarget {
  readonly setup: ScanSetup;
  readonly inputs: readonly string[];
  readonly options: ScanOptions;
  /** The working directory (SARIF URIs). */
  readonly cwd: string;
  readonly report: ScanReport;
  readonly controls: ControlSummaryBuilder | undefined;
  readonly spool: JsonSpool | undefined;
  readonly writer: ReturnType<typeof createWriter>;
  /** With `--format sarif`: the results kept as the scan ran. */
  readonly sarifBudget: SarifResultBudget | undefined;
  /** `--output`, opened before the scan; undefined: stdout. */
  readonly outFd: number | undefined;
  readonly stdout: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Rules' data tables past their age (said once the scan is done). */
  readonly staleTables: readonly string[];
  /** The scan's warnings so far; {@link warn} adds to them. */
  readonly warnings: readonly string[];
  /** Adds a warning (and says it on stderr unless quiet). */
  warn(message: string): void;
}

/** Writes the report of a finished scan, its summary being `summary` plus what is known only now. */
export async function writeReport(t: ReportTarget, summary: ReturnType<ScanReport['summary']>): Promise<void> {
  const { setup, report } = t;
  for (const w of t.staleTables) t.warn(w);
  for (const w of setup.suppressor?.warnings() ?? []) t.warn(w);
  if (setup.baseline) report.setBaseline(setup.baseline.summary());
  let sarif: ReturnType<typeof toSarif> | undefined;
  if (setup.format === 'sarif') {
    sarif = toSarif(report, {
      version: packageVersion(),
      links: projectLinks(),
      cwd: t.cwd,
      automationId: automationId(t.inputs, summary, report.accounts, t.options),
      baselineGiven: setup.baseline !== undefined,
      budget: t.sarifBudget,
    });
    for (const w of sarif.warnings) t.warn(w);
  }
  for (const w of t.warnings) report.warn(w);
  const controlSummary = t.controls?.summary(setup.selected);
  const final = {
    ...report.summary(summary.mode, summary.regions),
    ...(controlSummary ? { controls: controlSummary } : {}),
  };
  if (sarif && controlSummary) {
    const run = (sarif.log as { runs: { properties?: Record<string, unknown> }[] }).runs[0];
    run.properties = { ...run.properties, controls: controlSummary };
  }
  const out: Writable & { isTTY?: boolean } = t.outFd !== undefined ? createWriteStream('', { fd: t.outFd }) : t.stdout;
  if (t.spool) await t.spool.finish(out, final);
  else if (t.writer) {
    await t.writer.finish(out, {
      summary: final,
      controls: controlSummary,
      report,
      output: t.options.output,
      version: packageVersion(),
    });
  } else if (sarif) {
    await writeText(out, `${JSON.stringify(sarif.log, null, 2)}\n`);
  } else {
    const color = t.outFd === undefined && useColor(t.stdout, t.env, setup.color);
    await writeText(out, renderTable(report, final, color, t.cwd));
    if (controlSummary) await writeText(out, `\n${renderControlSummary(controlSummary)}`);
  }
  if (t.outFd !== undefined) {
    await new Promise<void>((resolve, reject) => {
      out.on('error', reject);
      out.end(resolve);
    });
  }
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

/** ward's version, from package.json (one level further up when run from the build in dist/). */
export function packageVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return (require('../package.json') as { version: string }).version;
  }
}
