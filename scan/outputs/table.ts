import { SEVERITY_ORDER, type AnyRule } from '../../rules/runtime/types';
import { type EvaluationLocation, locationOf, type ScanReport, type ScanSummary } from '../findings/report';

/** NON_COMPLIANT resources listed per rule in the table; the rest are counted (JSON has them all). */
export const TABLE_LIMIT = 100;

/** ANSI styles, or none. */
interface Style {
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  yellow(s: string): string;
}

const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const PLAIN: Style = { bold: (s) => s, red: (s) => s, green: (s) => s, dim: (s) => s, yellow: (s) => s };
const COLOR: Style = { bold: ansi(1), red: ansi(31), green: ansi(32), dim: ansi(2), yellow: ansi(33) };

/** True when output to this stream may be coloured: a TTY and NO_COLOR unset or empty (no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** `file:line`, with the CDK construct path and the `Fn::If` branch when there are. */
function where(at: EvaluationLocation): string {
  const extra = [at.cdkPath, at.branch && `when ${at.branch}`].filter(Boolean).join(', ');
  return `${at.file}:${at.line}${at.column ? `:${at.column}` : ''}${extra ? ` (${extra})` : ''}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line summary at the end of the table. */
export function summaryLine(s: ScanSummary): string {
  const source =
    s.mode === 'live'
      ? `${plural(s.regions?.length ?? 0, 'region')} (live)`
      : `${plural(s.itemsRead, 'item')} from ${plural(s.inputs.length, 'input')}`;
  const ruleCount = Object.keys(s.rules).length;
  return (
    `ward scan: ${source}: ${s.compliance.NON_COMPLIANT} non-compliant, ${s.compliance.COMPLIANT} compliant, ` +
    `${s.compliance.NOT_APPLICABLE} not applicable (${plural(ruleCount, 'rule')}); ` +
    `${plural(s.badItems.count, 'bad item')}, ${plural(s.skippedRules.length, 'rule')} skipped` +
    (s.errors.length ? `, ${plural(s.errors.length, 'error')}` : '')
  );
}

/**
 * The table a person reads first: one group per rule, rules with NON_COMPLIANT resources first (most severe
 * first), each with its counts, then every NON_COMPLIANT resource with its finding codes and messages; skipped
 * rules and problems after; a one-line summary at the end.
 */
export function renderTable(report: ScanReport, summary: ScanSummary, color: boolean): string {
  const st = color ? COLOR : PLAIN;
  const severity = (r: AnyRule) => SEVERITY_ORDER.indexOf(r.meta.severity);
  const ran = report.rules.filter((r) => !summary.skippedRules.some((s) => s.rule === r.meta.id));
  const ordered = ran
    .map((rule, i) => ({ rule, i, c: report.countsOf(rule.meta.id) }))
    .sort(
      (a, b) =>
        Number(b.c.NON_COMPLIANT > 0) - Number(a.c.NON_COMPLIANT > 0) ||
        (a.c.NON_COMPLIANT > 0 ? severity(a.rule) - severity(b.rule) || b.c.NON_COMPLIANT - a.c.NON_COMPLIANT : 0) ||
        a.i - b.i,
    );
  const out: string[] = [];
  for (const { rule, c } of ordered) {
    const nc = c.NON_COMPLIANT > 0 ? st.red(`${c.NON_COMPLIANT} non-compliant`) : '0 non-compliant';
    out.push(`${st.bold(rule.meta.id)}  [${rule.meta.severity}]  ${rule.meta.title}`);
    out.push(`  ${nc}, ${st.green(`${c.COMPLIANT} compliant`)}, ${st.dim(`${c.NOT_APPLICABLE} not applicable`)}`);
    const listed = report.nonCompliantOf(rule.meta.id);
    for (const e of listed) {
      const at = locationOf(e);
      out.push(`  ${st.red('✗')} ${e.resourceType}  ${e.resourceId}${at ? st.dim(`  ${where(at)}`) : ''}`);
      for (const f of e.findings) {
        out.push(`      ${st.yellow(f.code)}: ${f.message}${f.path ? st.dim(`  (${f.path})`) : ''}`);
      }
    }
    if (c.NON_COMPLIANT > listed.length) {
      out.push(`  … and ${c.NON_COMPLIANT - listed.length} more non-compliant (use --format json for all)`);
    }
    out.push('');
  }
  if (summary.skippedRules.length > 0) {
    out.push(st.bold('Skipped rules'));
    for (const s of summary.skippedRules) out.push(`  ${s.rule}: ${s.reason}`);
    out.push('');
  }
  if (summary.badItems.count > 0) {
    out.push(st.bold(`Bad items skipped (${summary.badItems.count})`));
    for (const p of summary.badItems.problems.slice(0, 20)) out.push(`  ${p}`);
    if (summary.badItems.count > 20) out.push(`  … and ${summary.badItems.count - 20} more (see --format json)`);
    out.push('');
  }
  if (summary.errors.length > 0) {
    out.push(st.bold(`Errors (${summary.errors.length})`));
    for (const e of summary.errors) out.push(`  ${e}`);
    out.push('');
  }
  out.push(summaryLine(summary));
  return `${out.join('\n')}\n`;
}
