import type { Writable } from 'node:stream';
import { Compliance, type SeverityLevel } from '../../rules/runtime/types';
import { type ControlSummary, findingControls } from '../findings/control-summary';
import type { ScanSummary } from '../findings/report';
import { fullSeverity, type ScanEvaluation } from '../findings/scan-evaluation';
import { describeNotJudged } from '../not-judged';
import { barChart, type Bar, escapeHtml as esc } from './html-charts';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets';
import { writeText } from './json';

/** Entries of the summary's not-judged list the report shows (the count is exact). */
const NOT_JUDGED_LISTED = 100;

/** Rows the report embeds; beyond this the rest are counted and the JSON report has them all. */
export const HTML_ROW_LIMIT = 50_000;

const SEVERITIES: readonly SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'informational'];
/** Colours with at least 4.5:1 contrast against white text. */
const SEVERITY_COLOR: Readonly<Record<SeverityLevel, string>> = {
  critical: '#a51d2d',
  high: '#b54708',
  medium: '#8a6100',
  low: '#1d5fa6',
  informational: '#4a5563',
};

/** One row of the findings table (compact keys: 10,000 rows stay small). */
interface Row {
  s: string; // severity
  r: string; // rule
  t: string; // resource type
  i: string; // resource id
  a: string; // account
  g: string; // region
  n: string | null; // arn
  f: { c: string; m: string; p: string | null; s: string; x: string[]; u?: string }[];
  e: string | null; // excerpt location file:line
  b: string | null; // runbook
  h: string; // README
  u: string | null; // suppression reason (whole evaluation)
}

/** What the HTML writer needs. */
export interface HtmlContext {
  readonly version: string;
  readonly ruleReadme: (ruleId: string) => string;
  readonly playbook: (runbook: string) => string;
  readonly generatedAt: string;
}

/** The `--format html` writer: one self-contained file (style, script and data inline, nothing fetched). */
export class HtmlWriter {
  private readonly rows: Row[] = [];
  private dropped = 0;

  constructor(private readonly ctx: HtmlContext) {}

  add(se: ScanEvaluation): void {
    if (se.evaluation.compliance !== Compliance.NON_COMPLIANT) return;
    if (this.rows.length >= HTML_ROW_LIMIT) {
      this.dropped++;
      return;
    }
    const e = se.evaluation;
    const runbook = se.rule.meta.remediations?.[e.resourceType] ?? null;
    this.rows.push({
      s: fullSeverity(se) ?? 'informational',
      r: se.rule.meta.id,
      t: e.resourceType,
      i: e.resourceId,
      a: se.identity.accountId,
      g: se.identity.region,
      n: se.identity.arn ?? null,
      f: se.findings.map((f) => ({
        c: f.code,
        m: f.message,
        p: f.path ?? null,
        s: f.severity,
        x: [...findingControls(se.rule, f.code, e.resourceType)],
        ...(f.suppressed ? { u: f.suppressed.reason } : {}),
      })),
      e: se.location ? `${se.location.file}:${se.location.line}` : null,
      b: runbook,
      h: this.ctx.ruleReadme(se.rule.meta.id),
      u: se.suppressed?.reason ?? null,
    });
  }

  /** The whole document. */
  render(summary: ScanSummary, controls?: ControlSummary): string {
    const count = (key: (r: Row) => string) => {
      const m = new Map<string, number>();
      for (const r of this.rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
      return [...m]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([label, value]): Bar => ({ label, value }));
    };
    const sev = SEVERITIES.map((s): Bar => ({ label: s, value: summary.severity[s], color: SEVERITY_COLOR[s] }));
    const places = count((r) => `${r.a} ${r.g}`);
    const charts = [
      barChart('Non-compliant resources by severity', sev, 'chart-severity'),
      barChart(
        'by rule',
        count((r) => r.r),
        'chart-rule',
      ),
      barChart(
        'by resource type',
        count((r) => r.t),
        'chart-type',
      ),
      ...(places.length > 1 ? [barChart('by account and region', places, 'chart-place')] : []),
    ].join('');
    const c = summary.compliance;
    const gaps = summary.notJudged.count;
    // An incomplete scan never reads as clean: what was not judged leads the verdict.
    const verdict =
      (gaps > 0 ? `Incomplete scan: ${gaps} not judged. ` : '') +
      (c.NON_COMPLIANT === 0 && summary.errors.length === 0
        ? gaps > 0
          ? 'No non-compliant resources among those judged.'
          : 'No non-compliant resources.'
        : `${c.NON_COMPLIANT} non-compliant resource${c.NON_COMPLIANT === 1 ? '' : 's'}` +
          ` (${
            SEVERITIES.filter((s) => summary.severity[s] > 0)
              .map((s) => `${summary.severity[s]} ${s}`)
              .join(', ') || 'all suppressed'
          })`);
    const notJudged =
      gaps > 0
        ? `<section aria-labelledby="not-judged-h" id="not-judged"><h2 id="not-judged-h">Not judged (<span data-count="notJudged">${gaps}</span>)</h2><ul>${summary.notJudged.entries
            .slice(0, NOT_JUDGED_LISTED)
            .map((n) => `<li>${esc(n.kind)}: ${esc(describeNotJudged(n))}</li>`)
            .join(
              '',
            )}</ul>${gaps > NOT_JUDGED_LISTED ? `<p>${gaps - NOT_JUDGED_LISTED} more in the JSON report's summary.notJudged.</p>` : ''}</section>`
        : '';
    const controlTable = controls
      ? `<section aria-labelledby="controls-h"><h2 id="controls-h">Controls (${esc(controls.frameworks.join(', '))})</h2><table class="controls"><thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Passed</th><th scope="col">Failed</th></tr></thead><tbody>${controls.controls
          .map(
            (x) =>
              `<tr><td>${esc(x.control)}</td><td>${esc(x.title)}</td><td class="num">${x.passed}</td><td class="num">${x.failed}</td></tr>`,
          )
          .join('')}</tbody></table></section>`
      : '';
    const data = JSON.stringify({ rows: this.rows }).replace(/</g, '\\u003c');
    const facts =
      `<span data-count="NON_COMPLIANT">${c.NON_COMPLIANT}</span> non-compliant, <span data-count="COMPLIANT">${c.COMPLIANT}</span> compliant, ` +
      `<span data-count="NOT_APPLICABLE">${c.NOT_APPLICABLE}</span> not applicable; <span data-count="suppressed">${summary.suppressed}</span> suppressed; ` +
      `${summary.itemsRead} items read, ${summary.badItems.count} bad items, ${summary.errors.length} errors`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>ward scan report</title><style>${HTML_STYLE}</style></head>
<body><a class="skip" href="#findings">Skip to findings</a><main>
<h1>ward scan report</h1>
<p class="verdict ${c.NON_COMPLIANT > 0 || gaps > 0 ? 'bad' : 'good'}" id="verdict">${esc(verdict)}</p>
<p class="facts">${facts}. Generated ${esc(this.ctx.generatedAt)} by ward ${esc(this.ctx.version)}.${this.dropped > 0 ? ` ${this.dropped} more non-compliant resources are not listed here (the JSON report has them all).` : ''}${summary.hidden > 0 ? ` ${summary.hidden} hidden by --min-severity.` : ''}</p>
${notJudged}
<section class="charts" aria-label="Charts">${charts}</section>
${controlTable}
<section aria-labelledby="findings-h" id="findings"><h2 id="findings-h">Findings</h2>
<form class="filters" role="search" onsubmit="return false">
<label>Severity <select id="f-sev"><option value="">all</option>${SEVERITIES.map((s) => `<option>${s}</option>`).join('')}</select></label>
<label>Rule <select id="f-rule"><option value="">all</option>${[...new Set(this.rows.map((r) => r.r))]
      .sort()
      .map((r) => `<option>${esc(r)}</option>`)
      .join('')}</select></label>
<label>Account <select id="f-acct"><option value="">all</option>${[...new Set(this.rows.map((r) => r.a))]
      .sort()
      .map((a) => `<option>${esc(a)}</option>`)
      .join('')}</select></label>
<label>Text <input id="f-text" type="search" placeholder="id, ARN, message"></label>
<output id="shown" aria-live="polite"></output></form>
<table class="findings"><thead><tr>
<th scope="col"><button data-sort="s">Severity</button></th><th scope="col"><button data-sort="r">Rule</button></th>
<th scope="col"><button data-sort="t">Type</button></th><th scope="col"><button data-sort="i">Resource</button></th>
<th scope="col"><button data-sort="a">Account</button></th><th scope="col"><button data-sort="g">Region</button></th><th scope="col">Findings</th>
</tr></thead><tbody id="rows"></tbody></table><p id="pager"></p></section>
</main><script id="ward-data" type="application/json">${data}</script><script>${HTML_SCRIPT}</script></body></html>
`;
  }

  async finish(out: Writable, summary: ScanSummary, controls?: ControlSummary): Promise<void> {
    await writeText(out, this.render(summary, controls));
  }
}
