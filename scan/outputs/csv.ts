import type { Writable } from 'node:stream';
import { ENGINE_CODES } from '../../rules/runtime/controls';
import { Compliance } from '../../rules/runtime/types';
import { findingControls, type ControlSummary } from '../findings/control-summary';
import type { ScanSummary } from '../findings/report';
import type { ScanEvaluation } from '../findings/scan-evaluation';
import { LineSpool } from './line-spool';

/** The columns of `ward scan --format csv`, in order (a stable interface: add columns at the end only). */
export const CSV_COLUMNS = [
  'accountId',
  'region',
  'resourceType',
  'resourceId',
  'arn',
  'rule',
  'code',
  'severity',
  'compliance',
  'message',
  'path',
  'suppressed',
  'controls',
] as const;

/** Columns of the `--framework` control summary file. */
export const CSV_CONTROL_COLUMNS = ['control', 'framework', 'id', 'title', 'passed', 'failed', 'suppressed', 'rules'];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A field that a
 * spreadsheet would run as a formula (starting with = + - @ or a tab/CR) gets a leading `'`: resource names
 * and messages come from the account, so a crafted name must not become a formula in the reader's sheet.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record (CRLF ends it, as RFC 4180 says). */
export function csvRecord(fields: readonly (string | number | boolean | null | undefined)[]): string {
  return fields.map(csvField).join(',');
}

/** The rows of one evaluation: one per finding (only NON_COMPLIANT evaluations have findings). */
export function csvRows(se: ScanEvaluation): string[] {
  if (se.evaluation.compliance !== Compliance.NON_COMPLIANT) return [];
  const e = se.evaluation;
  const id = se.identity;
  return se.findings.map((f) =>
    csvRecord([
      id.accountId,
      id.region,
      e.resourceType,
      e.resourceId,
      id.arn ?? '',
      se.rule.meta.id,
      f.code,
      f.severity,
      e.compliance,
      f.message,
      f.path ?? '',
      f.suppressed !== undefined,
      findingControls(se.rule, f.code, e.resourceType).join(' '),
    ]),
  );
}

/**
 * The `--framework` summary as CSV text. When the scan was incomplete (`notJudged` > 0) a last `NOT_JUDGED`
 * row says so: the passed counts are of what was judged, and must not read as a clean audit.
 */
export function controlSummaryCsv(summary: ControlSummary, notJudged = 0): string {
  const lines = [csvRecord(CSV_CONTROL_COLUMNS)];
  for (const c of summary.controls) {
    lines.push(csvRecord([c.control, c.framework, c.id, c.title, c.passed, c.failed, c.suppressed, c.rules.join(' ')]));
  }
  if (notJudged > 0) {
    lines.push(
      csvRecord([
        NOT_JUDGED,
        '',
        '',
        `incomplete scan: ${notJudged} not judged; the counts above are of what was judged (see the report)`,
        '',
        '',
        '',
        '',
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The `compliance` value of a row for work the scan did not do. */
export const NOT_JUDGED = 'NOT_JUDGED';

/**
 * The rows of what a scan did not judge (its summary's `notJudged`), so a CSV of an incomplete scan never
 * reads as clean: compliance `NOT_JUDGED`, the input, item, rule or region in `resourceId` (and the rule in
 * `rule`), the reason in `message`. Resources already listed by a NON_COMPLIANT `unreadable-configuration` or
 * `evaluation-error` row (`listed`: `<rule> <type> <id>`) are not repeated.
 */
export function notJudgedRows(notJudged: ScanSummary['notJudged'], listed: ReadonlySet<string> = new Set()): string[] {
  const rows: string[] = [];
  for (const n of notJudged.entries) {
    if ((n.kind === 'resource' || n.kind === 'rule') && listed.has(n.subject)) continue;
    rows.push(
      csvRecord([
        '',
        '',
        '',
        n.subject,
        '',
        n.kind === 'rule' ? n.subject.split(' ')[0] : '',
        '',
        '',
        NOT_JUDGED,
        `not judged (${n.kind}): ${n.problem}`,
        '',
        false,
        '',
      ]),
    );
  }
  const more = notJudged.count - notJudged.entries.length;
  if (more > 0) {
    rows.push(
      csvRecord([
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        NOT_JUDGED,
        `${more} more not judged: see summary.notJudged of the JSON report`,
        '',
        false,
        '',
      ]),
    );
  }
  return rows;
}

/**
 * The `--format csv` writer: a header, then one record per finding, then one `NOT_JUDGED` record per piece of
 * work the scan did not do; CRLF line ends.
 */
export class CsvWriter {
  private readonly spool = new LineSpool();
  private readonly listed = new Set<string>();

  /** Spools the rows of one evaluation. */
  add(se: ScanEvaluation): void {
    for (const row of csvRows(se)) this.spool.add(`${row}\r`);
    if (se.findings.some((f) => ENGINE_CODES.includes(f.code))) {
      // The subject report.ts gives a resource it could not judge.
      this.listed.add(`${se.rule.meta.id} ${se.evaluation.resourceType} ${se.evaluation.resourceId}`);
    }
  }

  /** Writes the header, the rows and the not-judged rows to `out`. */
  finish(out: Writable, notJudged?: ScanSummary['notJudged']): Promise<void> {
    const gaps = notJudged ? notJudgedRows(notJudged, this.listed) : [];
    return this.spool.finish(out, `${csvRecord(CSV_COLUMNS)}\r\n`, gaps.map((r) => `${r}\r\n`).join(''));
  }

  dispose(): void {
    this.spool.dispose();
  }
}
