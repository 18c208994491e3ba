import { isAbsolute, relative } from 'node:path';
import { SEVERITY_ORDER, type AnyRule, type SeverityLevel } from '../../rules/runtime/types';
import type { ItemLocation } from '../findings/location';
import type { ScanReport, ScanSummary } from '../findings/report';
import { describeNotJudged } from '../not-judged';
import { activeSeverity, type ScanEvaluation } from '../findings/scan-evaluation';
import { severityRank } from '../findings/severity';

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

/**
 * True when output to this stream may be coloured: `--color always|never` decides when given; otherwise a TTY
 * and NO_COLOR unset or empty (no-color.org), and FORCE_COLOR forces it.
 */
export function useColor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  choice: 'auto' | 'always' | 'never' = 'auto',
): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line summary at the end of the table. */
export function summaryLine(s: ScanSummary): string {
  const source =
    s.mode === 'live'
      ? `${plural(s.regions?.length ?? 0, 'region')} (live)`
      : `${plural(s.itemsRead, 'item')} from ${plural(s.inputs.length, 'input')}`;
  const ruleCount = Object.keys(s.rules).length;
  const bySeverity = SEVERITY_ORDER.filter((k) => s.severity[k] > 0)
    .map((k) => `${s.severity[k]} ${k}`)
    .join(', ');
  const extras = [
    s.suppressed ? `${s.suppressed} suppressed` : '',
    s.hidden ? `${s.hidden} below --min-severity ${s.minSeverity} not listed` : '',
    s.baseline ? `${s.baseline.new} new, ${s.baseline.unchanged} unchanged, ${s.baseline.fixed.length} fixed` : '',
    s.olderCapturesSkipped ? `${plural(s.olderCapturesSkipped, 'older capture')} skipped` : '',
  ].filter(Boolean);
  return (
    `ward scan: ${source}: ${s.compliance.NON_COMPLIANT} non-compliant${bySeverity ? ` (${bySeverity})` : ''}, ` +
    `${s.compliance.COMPLIANT} compliant, ` +
    `${s.compliance.NOT_APPLICABLE} not applicable (${plural(ruleCount, 'rule')}); ` +
    `${plural(s.badItems.count, 'bad item')}, ${plural(s.skippedRules.length, 'rule')} skipped` +
    (s.errors.length ? `, ${plural(s.errors.length, 'error')}` : '') +
    (extras.length ? `; ${extras.join('; ')}` : '') +
    (s.notJudged.count ? `; ${s.notJudged.count} not judged (exit code 2)` : '')
  );
}

const rank = (s: SeverityLevel | undefined) => (s === undefined ? SEVERITY_ORDER.length : severityRank(s));

/** A file as the table shows it: relative to the working directory when it lies inside it. */
function shortPath(file: string, cwd: string | undefined): string {
  if (cwd === undefined || !isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** `file:line[:column]`, with the CDK construct path and the `Fn::If` branch when there are. */
function whereOf(at: ItemLocation, cwd: string | undefined): string {
  const extra = [at.cdkPath, at.branch && `when ${at.branch}`].filter(Boolean).join(', ');
  return `${shortPath(at.file, cwd)}:${at.line}${at.column !== undefined ? `:${at.column}` : ''}${extra ? ` (${extra})` : ''}`;
}

/** Where a resource is, for the group headers: `account 111122223333, us-east-1`. */
const placeOf = (se: ScanEvaluation) =>
  `account ${se.identity.accountId || '(unknown)'}, ${se.identity.region || '(unknown region)'}`;

/**
 * The table a person reads first: one group per rule, rules with NON_COMPLIANT resources first (most severe
 * first), each with its counts, then every unsuppressed NON_COMPLIANT resource, most severe first, with its
 * severity, ARN (or id), finding codes and messages; grouped by account and region when the findings span more
 * than one. Suppressed resources are hidden (counted in the summary). Skipped rules, problems and warnings
 * after; a one-line summary at the end.
 */
export function renderTable(report: ScanReport, summary: ScanSummary, color: boolean, cwd?: string): string {
  const st = color ? COLOR : PLAIN;
  const ran = report.rules.filter((r) => !summary.skippedRules.some((s) => s.rule === r.meta.id));
  const listedOf = (rule: AnyRule) =>
    report
      .nonCompliantOf(rule.meta.id)
      .map((se) => ({ se, severity: activeSeverity(se) }))
      .filter((x) => x.severity !== undefined)
      .sort((a, b) => rank(a.severity) - rank(b.severity));
  const ordered = ran
    .map((rule, i) => {
      const listed = listedOf(rule);
      return { rule, i, c: report.countsOf(rule.meta.id), listed, top: rank(listed[0]?.severity) };
    })
    .sort(
      (a, b) =>
        Number(b.c.NON_COMPLIANT > 0) - Number(a.c.NON_COMPLIANT > 0) ||
        (a.c.NON_COMPLIANT > 0 ? a.top - b.top || b.c.NON_COMPLIANT - a.c.NON_COMPLIANT : 0) ||
        a.i - b.i,
    );
  const grouped = report.spansPlaces;
  const out: string[] = [];
  for (const { rule, c, listed } of ordered) {
    const nc = c.NON_COMPLIANT > 0 ? st.red(`${c.NON_COMPLIANT} non-compliant`) : '0 non-compliant';
    out.push(`${st.bold(rule.meta.id)}  [${rule.meta.severity}]  ${rule.meta.title}`);
    out.push(`  ${nc}, ${st.green(`${c.COMPLIANT} compliant`)}, ${st.dim(`${c.NOT_APPLICABLE} not applicable`)}`);
    const places = grouped ? [...new Set(listed.map((x) => placeOf(x.se)))].sort() : [''];
    for (const place of places) {
      if (grouped) out.push(`  ${st.bold(place)}`);
      const indent = grouped ? '  ' : '';
      for (const { se, severity } of listed.filter((x) => !grouped || placeOf(x.se) === place)) {
        const e = se.evaluation;
        const where = se.location ? st.dim(`  ${whereOf(se.location, cwd)}`) : '';
        const base = se.baseline === 'new' ? st.yellow('  [new]') : '';
        out.push(
          `${indent}  ${st.red('✗')} [${severity}] ${e.resourceType}  ${se.identity.arn ?? e.resourceId}${base}${where}`,
        );
        for (const f of se.findings) {
          if (f.suppressed) continue;
          out.push(
            `${indent}      ${st.yellow(f.code)} (${f.severity}): ${f.message}${f.path ? st.dim(`  (${f.path})`) : ''}`,
          );
        }
      }
    }
    const notListed = c.NON_COMPLIANT - listed.length;
    if (notListed > 0) {
      out.push(
        `  … and ${notListed} more non-compliant (suppressed, below --min-severity or past the table limit; see --format json)`,
      );
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
  if (summary.baseline && summary.baseline.fixed.length > 0) {
    out.push(st.bold(`Fixed since the baseline (${summary.baseline.fixed.length})`));
    for (const f of summary.baseline.fixed.slice(0, 20))
      out.push(`  ${st.green('✓')} ${f.rule}  ${f.resourceType}  ${f.resourceId}`);
    out.push('');
  }
  if (summary.warnings.length > 0) {
    out.push(st.bold(`Warnings (${summary.warnings.length})`));
    for (const w of summary.warnings) out.push(`  ${w}`);
    out.push('');
  }
  // Bad items and errors are listed above; inputs, unreadable resources and failed rules are listed here.
  const notJudged = summary.notJudged.entries.filter((n) => n.kind !== 'item' && n.kind !== 'scope');
  if (notJudged.length > 0) {
    out.push(st.bold(`Not judged (${notJudged.length})`));
    for (const n of notJudged.slice(0, 20)) out.push(`  ${describeNotJudged(n)}`);
    if (notJudged.length > 20) out.push(`  … and ${notJudged.length - 20} more (see --format json)`);
    out.push('');
  }
  out.push(summaryLine(summary));
  return `${out.join('\n')}\n`;
}
