/**
 * The offline half of `ward scan`: templates (CloudFormation, CDK assemblies, Terraform plans) and snapshot
 * files, told apart by content, judged by the change-triggered rules into the report. Periodic rules have no
 * AWS to list from here: they are listed as skipped, and count as work not done when asked for by name.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../rules/runtime/logger';
import type { AnyRule } from '../rules/runtime/types';
import type { ScanReport } from './findings/report';
import type { EvaluationSource, ScanEvaluation, toScanEvaluation } from './findings/scan-evaluation';
import { resolveInputs } from './inputs/resolve';
import { type InputSummary, type SnapshotScanOptions, scanSnapshots } from './inputs/snapshot';
import { runsOnTemplates } from './inputs/template-entry-points';
import { judgeTemplateItems } from './inputs/template-judge';
import { loadTemplates, splitInputs } from './inputs/template-sources';
import { NotJudgedKind, type NotJudgedKindValue } from './not-judged';
import { jobsFor } from './parallel/jobs';
import type { Progress } from './progress';

/** What {@link scanFiles} needs from the scan around it. */
export interface FileScan {
  readonly inputs: readonly string[];
  readonly stdin: Readable;
  readonly stderr: { write(text: string): unknown };
  readonly selected: readonly AnyRule[];
  readonly params: ReadonlyMap<AnyRule, unknown>;
  /** True when `--rules` named the rules: a rule that cannot run is then work not done. */
  readonly rulesNamed: boolean;
  readonly logger: Logger;
  readonly now: Date;
  /** `--jobs` as asked (undefined: one per core for large inputs). */
  readonly jobs: number | undefined;
  readonly allCaptures: boolean;
  readonly report: ScanReport;
  readonly progress: Progress;
  /** A rule's evaluation judged in this thread. */
  record(rule: AnyRule, e: Parameters<typeof toScanEvaluation>[1], source: EvaluationSource): void;
  /** An evaluation judged (perhaps in a worker thread) and already built. */
  onScanEvaluation(se: ScanEvaluation): void;
  /** How much of each evaluation workers send, and whether they write the JSON text (scan/parallel/messages.ts). */
  readonly prerender: boolean;
  readonly liteWhen: SnapshotScanOptions['liteWhen'];
  onJson?: SnapshotScanOptions['onJson'];
  onTally?: SnapshotScanOptions['onTally'];
}

/** Judges the template and snapshot inputs of an offline scan into `scan.report`. */
export async function scanFiles(scan: FileScan): Promise<void> {
  const { report, stderr } = scan;
  // Each input or item not judged goes into the summary and on one line of stderr.
  const notJudged = (kind: NotJudgedKindValue, label: string, problem: string) =>
    stderr.write(`ward scan: ${report.notJudged(kind, label, problem)}\n`);
  const { templates, others } = splitInputs(scan.inputs);
  // With only templates given, stdin and the bundled sample are not read.
  const snapshotsToo = others.length > 0 || templates.length === 0;
  const runnable: AnyRule[] = [];
  for (const rule of scan.selected) {
    if (rule.meta.trigger.onChange) runnable.push(rule);
    // entry-points-authenticated reads methods, routes and URLs that templates write as resources.
    else if (templates.length > 0 && !snapshotsToo && runsOnTemplates(rule)) continue;
    else {
      // Asked for by name, a rule that cannot run is work not done (exit 2); by default it is only listed.
      const reason =
        'periodic-only rule: it lists resources through AWS APIs, which a snapshot file does not have; ' +
        'run `ward scan --live` to include it' +
        (templates.length > 0 && runsOnTemplates(rule) ? ' (the template inputs were judged)' : '');
      report.skip(rule, reason, scan.rulesNamed);
      if (scan.rulesNamed) stderr.write(`ward scan: ${rule.meta.id} not run: ${reason}\n`);
    }
  }
  const inputSummaries: InputSummary[] = [];
  if (templates.length > 0) {
    const loaded = loadTemplates(templates);
    for (const p of loaded.problems) notJudged(NotJudgedKind.INPUT, p.label, p.problem);
    for (const note of loaded.notes) notJudged(NotJudgedKind.ITEM, '', note);
    await judgeTemplateItems({
      items: loaded.items,
      rules: scan.selected.filter(runsOnTemplates),
      params: scan.params,
      logger: scan.logger,
      now: scan.now,
      onEvaluation: scan.record,
    });
    inputSummaries.push(...loaded.summaries);
  }
  const resolved = snapshotsToo
    ? await resolveInputs(others, scan.stdin)
    : { inputs: [], problems: [], cleanup: () => undefined };
  for (const p of resolved.problems) notJudged(NotJudgedKind.INPUT, p.label, p.problem);
  try {
    const summaries = await scanSnapshots({
      inputs: resolved.inputs,
      rules: runnable,
      params: scan.params,
      logger: scan.logger,
      onEvaluation: scan.record,
      jobs: jobsFor(scan.jobs, resolved.inputs),
      onScanEvaluation: scan.onScanEvaluation,
      prerender: scan.prerender,
      liteWhen: scan.liteWhen,
      onJson: scan.onJson,
      onTally: scan.onTally,
      allCaptures: scan.allCaptures,
      now: scan.now,
      onBadItem: (bad) => stderr.write(`ward scan: skipped bad item: ${report.badItem(bad)}\n`),
      onBadInput: (label, problem) => notJudged(NotJudgedKind.INPUT, label, problem),
      onProgress: (done, total) => scan.progress.update(done, total),
    });
    report.setInputs([...inputSummaries, ...summaries.inputs]);
    if (summaries.olderCapturesSkipped !== undefined) report.setOlderCapturesSkipped(summaries.olderCapturesSkipped);
  } finally {
    resolved.cleanup();
    scan.progress.stop();
  }
}
