import { writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ControlSummary } from '../findings/control-summary';
import type { ScanReport, ScanSummary } from '../findings/report';
import type { ScanEvaluation } from '../findings/scan-evaluation';
import { controlSummaryCsv, CsvWriter } from './csv';
import { OcsfWriter } from './ocsf';
import { HtmlWriter } from './html';
import { toAsff } from './asff';
import { LineSpool } from './line-spool';
import { projectLinks } from './project-links';

/** The report formats written by a streaming writer (table, json and sarif have their own paths in run.ts). */
export const WRITER_FORMATS = ['csv', 'ocsf', 'asff', 'html'] as const;

/** One of {@link WRITER_FORMATS}. */
export type WriterFormat = (typeof WRITER_FORMATS)[number];

/** What a writer knows at the end of the scan. */
export interface FinishContext {
  readonly summary: ScanSummary;
  readonly controls?: ControlSummary;
  readonly report: ScanReport;
  /** `--output` (undefined or `-`: stdout). */
  readonly output?: string;
  readonly version: string;
}

/** A report writer fed every shown evaluation as it comes. */
export interface FormatWriter {
  add(se: ScanEvaluation): void;
  finish(out: Writable, ctx: FinishContext): Promise<void>;
  dispose(): void;
}

/** Where the CSV control summary goes: beside the report, `<name>.controls.csv`. */
export function controlsCsvPath(output: string): string {
  return `${output.replace(/\.csv$/i, '')}.controls.csv`;
}

/** The writer of a format, or undefined for the formats run.ts writes itself. */
export function createWriter(format: string, version: string): FormatWriter | undefined {
  switch (format) {
    case 'csv': {
      const csv = new CsvWriter();
      return {
        add: (se) => csv.add(se),
        async finish(out, ctx) {
          await csv.finish(out, ctx.summary.notJudged);
          // A second table would break RFC 4180 readers, so the per-control summary is a file of its own.
          if (ctx.controls && ctx.output !== undefined && ctx.output !== '-') {
            writeFileSync(controlsCsvPath(ctx.output), controlSummaryCsv(ctx.controls, ctx.summary.notJudged.count));
          }
        },
        dispose: () => csv.dispose(),
      };
    }
    case 'ocsf': {
      const ocsf = new OcsfWriter({ version, time: Date.now(), ruleReadme: projectLinks().ruleReadme });
      return {
        add: (se) => ocsf.add(se),
        finish: (out, ctx) => ocsf.finish(out, ctx.summary.notJudged),
        dispose: () => ocsf.dispose(),
      };
    }
    case 'asff': {
      // A JSON array, as `aws securityhub batch-import-findings --findings file://...` takes it.
      const spool = new LineSpool();
      const ctx = {
        now: new Date().toISOString(),
        homeRegion: asffHomeRegion(),
        ruleReadme: projectLinks().ruleReadme,
      };
      return {
        add(se) {
          const f = toAsff(se, ctx);
          if (f) spool.add(`${spool.count === 0 ? '  ' : ', '}${JSON.stringify(f)}`);
        },
        finish: (out) => spool.finish(out, '[\n', ']\n'),
        dispose: () => spool.dispose(),
      };
    }
    case 'html': {
      const links = projectLinks();
      const html = new HtmlWriter({
        version,
        generatedAt: new Date().toISOString(),
        ruleReadme: links.ruleReadme,
        playbook: (runbook) => `${links.home}/blob/main/runbooks/${runbook}.md`,
      });
      return {
        add: (se) => html.add(se),
        finish: (out, ctx) => html.finish(out, ctx.summary, ctx.controls),
        dispose: () => undefined,
      };
    }
    default:
      return undefined;
  }
}

/** The region findings of global (IAM) resources are imported into: AWS_REGION, else us-east-1. */
export function asffHomeRegion(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
