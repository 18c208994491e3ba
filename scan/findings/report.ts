import { Compliance, type AnyRule, type ComplianceType, type SeverityLevel } from '../../rules/runtime/types';
import type { BadItem, InputSummary } from '../inputs/snapshot';
import { describeBadItem } from '../inputs/snapshot';
import { EVALUATION_ERROR_CODE } from '../../rules/runtime/evaluation';
import { UNREADABLE_CONFIGURATION_CODE } from '../../rules/runtime/unreadable';
import { type NotJudged, NotJudgedKind, type NotJudgedKindValue, NotJudgedList } from '../not-judged';
import { failOnSeverity, type SeverityCounts, zeroSeverities } from './fail-on';
import { activeSeverity, type ScanEvaluation, type SuppressionMark } from './scan-evaluation';
import { atLeast } from './severity';
import type { ScopeRow } from '../inputs/live-scope';

/** Counts per compliance value. */
export type ComplianceCounts = Record<ComplianceType, number>;

/** A rule that did not run, and why. */
export interface SkippedRule {
  readonly rule: string;
  readonly reason: string;
}

/** The `--format json` schema version this code writes (docs/scan-report.schema.json). */
export const JSON_SCHEMA_VERSION = 2;

/** A NON_COMPLIANT evaluation of the baseline that is no longer NON_COMPLIANT. */
export interface FixedEvaluation {
  readonly rule: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string | null;
  readonly region: string | null;
}

/** What the baseline comparison found. */
export interface BaselineSummary {
  readonly file: string;
  readonly new: number;
  readonly unchanged: number;
  readonly fixed: readonly FixedEvaluation[];
}

/**
 * The `summary` object of `ward scan --format json` (a stable interface: add fields, never rename them;
 * schema version 2 added everything after `errors`).
 */
export interface ScanSummary {
  readonly schemaVersion: number;
  readonly mode: 'snapshot' | 'live';
  readonly inputs: readonly InputSummary[];
  readonly regions?: readonly string[];
  readonly itemsRead: number;
  readonly evaluations: number;
  readonly compliance: ComplianceCounts;
  readonly rules: Readonly<Record<string, ComplianceCounts>>;
  readonly badItems: { readonly count: number; readonly problems: readonly string[] };
  readonly skippedRules: readonly SkippedRule[];
  readonly errors: readonly string[];
  /**
   * Everything the scan was asked to judge and did not (inputs, items, unreadable resources, failed rules,
   * regions or types): non-empty means exit code 2. An added field: no existing field changed.
   */
  readonly notJudged: { readonly count: number; readonly entries: readonly NotJudged[] };
  /** Unsuppressed NON_COMPLIANT evaluations by their severity (hidden ones included). */
  readonly severity: SeverityCounts;
  /** NON_COMPLIANT evaluations whose every finding is suppressed. */
  readonly suppressed: number;
  /** NON_COMPLIANT evaluations left out of the report by `--min-severity` (counted above). */
  readonly hidden: number;
  readonly minSeverity: SeverityLevel | null;
  /** The evaluations `--fail-on` counts (unsuppressed; only new ones with a baseline), by severity. */
  readonly failOnCounted: SeverityCounts;
  readonly failOn: SeverityLevel | null;
  readonly baseline?: BaselineSummary;
  /** Older captures of a resource not judged because a later one was read (AWSLogs trees). */
  readonly olderCapturesSkipped?: number;
  /**
   * Warnings: what the user should know that did not stop the scan (a rule's data table past its age, expired
   * or unmatched suppressions, SARIF limits, ...), also printed on stderr.
   */
  readonly warnings: readonly string[];
  /** Live scans: how each account and region ended (docs/organizations.md). An added field. */
  readonly scope?: readonly ScopeRow[];
}

/** Options of {@link ScanReport}. */
export interface ReportOptions {
  /** NON_COMPLIANT evaluations listed per rule in memory (table, SARIF); the rest are counted. */
  readonly keepPerRule: number;
  /** Receives every shown evaluation as it comes (the JSON writer spools them). */
  readonly sink?: (se: ScanEvaluation) => void;
  readonly minSeverity?: SeverityLevel;
  readonly failOn?: SeverityLevel;
  /** True when evaluations carry a baseline mark: `--fail-on` then counts new ones only. */
  readonly baselineGiven?: boolean;
  /** Name the account and region in not-judged entries (live scans, which may read many of each). */
  readonly namePlace?: boolean;
}

/** Bad-item problems kept in the summary (the count is exact). */
const MAX_PROBLEMS = 1000;

const zero = (): ComplianceCounts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 });

/**
 * Accumulates what a scan produced: counts per rule and compliance and per severity, the NON_COMPLIANT
 * evaluations the table and SARIF show (up to `keepPerRule` per rule), bad items, skipped rules, errors and
 * warnings. Evaluations themselves go to `sink` as they come (the JSON writer spools them), so a scan of a
 * million items stays small.
 */
export class ScanReport {
  private readonly counts = new Map<string, ComplianceCounts>();
  private readonly kept = new Map<string, ScanEvaluation[]>();
  private readonly badProblems: string[] = [];
  private badCount = 0;
  private readonly skipped: SkippedRule[] = [];
  private readonly errorList: string[] = [];
  private readonly warningList: string[] = [];
  private itemCount = 0;
  private inputList: InputSummary[] = [];
  private readonly notJudgedList = new NotJudgedList();
  private readonly bySeverity = zeroSeverities();
  private readonly counted = zeroSeverities();
  private suppressedCount = 0;
  private hiddenCount = 0;
  private readonly places = new Set<string>();
  private readonly accountIds = new Set<string>();
  private baselineSummary: BaselineSummary | undefined;
  private olderSkipped: number | undefined;
  private scopeRows?: ScopeRow[];

  constructor(
    /** The rules of this scan, in registry order. */
    readonly rules: readonly AnyRule[],
    private readonly options: ReportOptions,
  ) {
    for (const r of rules) this.counts.set(r.meta.id, zero());
  }

  /**
   * Records one evaluation. Returns the one-line form of the work not done when the rule could not judge the
   * resource (`unreadable-configuration`, `evaluation-error`), for stderr; else undefined.
   */
  add(se: ScanEvaluation): string | undefined {
    let notJudged: string | undefined;
    const id = se.rule.meta.id;
    const e = se.evaluation;
    const c = this.counts.get(id) ?? zero();
    c[e.compliance]++;
    this.counts.set(id, c);
    if (se.identity.accountId) this.accountIds.add(se.identity.accountId);
    let shown = true;
    if (e.compliance === Compliance.NON_COMPLIANT) {
      // A verdict the rule could not reach is reported NON_COMPLIANT and also counted as work not done.
      const unreadable = e.findings.find((f) => f.code === UNREADABLE_CONFIGURATION_CODE);
      const failed = e.findings.find((f) => f.code === EVALUATION_ERROR_CODE);
      if (unreadable || failed) {
        notJudged = this.notJudged(
          unreadable ? NotJudgedKind.RESOURCE : NotJudgedKind.RULE,
          this.options.namePlace
            ? `${id} ${se.identity.accountId} ${se.identity.region} ${e.resourceType} ${e.resourceId}`
            : `${id} ${e.resourceType} ${e.resourceId}`,
          (unreadable ?? failed)?.message ?? e.annotation,
        );
      }
      const severity = activeSeverity(se);
      if (severity === undefined) this.suppressedCount++;
      else this.bySeverity[severity]++;
      const counted = failOnSeverity(se, this.options.baselineGiven ?? false);
      if (counted !== undefined) this.counted[counted]++;
      const min = this.options.minSeverity;
      const rated = severity ?? se.findings[0]?.severity;
      if (min !== undefined && rated !== undefined && !atLeast(rated, min)) {
        shown = false;
        this.hiddenCount++;
      } else {
        this.places.add(`${se.identity.accountId}\u0000${se.identity.region}`);
        const list = this.kept.get(id) ?? [];
        if (list.length < this.options.keepPerRule) list.push(se);
        this.kept.set(id, list);
      }
    }
    if (shown) this.options.sink?.(se);
    return notJudged;
  }

  /**
   * Records `count` evaluations of `rule` that are neither NON_COMPLIANT nor with findings, of resources of
   * `accountIds`, counted where they were judged (scan/parallel/): what {@link add} would record of them.
   */
  tally(rule: AnyRule, compliance: ComplianceType, count: number, accountIds: readonly string[]): void {
    if (compliance === Compliance.NON_COMPLIANT) throw new Error('NON_COMPLIANT evaluations are added, not tallied');
    const c = this.counts.get(rule.meta.id) ?? zero();
    c[compliance] += count;
    this.counts.set(rule.meta.id, c);
    for (const a of accountIds) if (a) this.accountIds.add(a);
  }

  /** Records a skipped bad item; returns its one-line description. */
  badItem(bad: BadItem): string {
    const line = describeBadItem(bad);
    this.notJudgedList.add(NotJudgedKind.ITEM, '', line);
    this.badCount++;
    if (this.badProblems.length < MAX_PROBLEMS) this.badProblems.push(line);
    return line;
  }

  /** Records a rule that could not run. */
  skip(rule: AnyRule, reason: string, notJudged = false): void {
    this.skipped.push({ rule: rule.meta.id, reason });
    // A rule the user asked for by name (or that failed) is work not done; a default rule that cannot run on
    // this kind of input (a periodic rule on a snapshot) is only listed.
    if (notJudged) this.notJudgedList.add(NotJudgedKind.RULE, rule.meta.id, reason);
  }

  /** Records a problem that is neither a bad item nor a skipped rule (live scan). */
  error(message: string): void {
    this.errorList.push(message);
    this.notJudgedList.add(NotJudgedKind.SCOPE, '', message);
  }

  /** Records work not done; returns its one-line form for stderr. */
  notJudged(kind: NotJudgedKindValue, subject: string, problem: string): string {
    return this.notJudgedList.add(kind, subject, problem);
  }

  /** True when anything the scan was asked to judge was not judged (exit code 2). */
  get incomplete(): boolean {
    return this.notJudgedList.count > 0;
  }

  /** Records a warning for the summary. */
  warn(message: string): void {
    this.warningList.push(message);
  }

  /** Records one row of the summary by account and region (live scan). */
  addScope(row: ScopeRow): void {
    (this.scopeRows ??= []).push(row);
  }

  /** Records what was read. */
  setInputs(inputs: readonly InputSummary[]): void {
    this.inputList = [...inputs];
    this.itemCount = inputs.reduce((n, i) => n + i.items, 0);
  }

  /** Records the baseline comparison. */
  setBaseline(summary: BaselineSummary): void {
    this.baselineSummary = summary;
  }

  /** Records how many older captures were not judged (AWSLogs trees read as current state). */
  setOlderCapturesSkipped(n: number): void {
    this.olderSkipped = n;
  }

  /** Counts of one rule. */
  countsOf(ruleId: string): ComplianceCounts {
    return this.counts.get(ruleId) ?? zero();
  }

  /** The NON_COMPLIANT evaluations kept for a rule (not those hidden by `--min-severity`). */
  nonCompliantOf(ruleId: string): readonly ScanEvaluation[] {
    return this.kept.get(ruleId) ?? [];
  }

  /** The counts `--fail-on` reads. */
  get failOnCounted(): Readonly<SeverityCounts> {
    return this.counted;
  }

  /** The accounts of the resources judged, sorted. */
  get accounts(): string[] {
    return [...this.accountIds].sort();
  }

  /** True when the shown NON_COMPLIANT evaluations span more than one account or region. */
  get spansPlaces(): boolean {
    return this.places.size > 1;
  }

  /** The summary object. */
  summary(mode: 'snapshot' | 'live', regions?: readonly string[]): ScanSummary {
    const compliance = zero();
    const rules: Record<string, ComplianceCounts> = {};
    for (const [id, c] of this.counts) {
      rules[id] = { ...c };
      for (const k of Object.keys(compliance) as ComplianceType[]) compliance[k] += c[k];
    }
    return {
      schemaVersion: JSON_SCHEMA_VERSION,
      mode,
      inputs: this.inputList,
      ...(regions ? { regions } : {}),
      itemsRead: this.itemCount,
      evaluations: compliance.COMPLIANT + compliance.NON_COMPLIANT + compliance.NOT_APPLICABLE,
      compliance,
      rules,
      badItems: { count: this.badCount, problems: this.badProblems },
      skippedRules: this.skipped,
      errors: this.errorList,
      notJudged: { count: this.notJudgedList.count, entries: this.notJudgedList.entries },
      severity: { ...this.bySeverity },
      suppressed: this.suppressedCount,
      hidden: this.hiddenCount,
      minSeverity: this.options.minSeverity ?? null,
      failOnCounted: { ...this.counted },
      failOn: this.options.failOn ?? null,
      ...(this.baselineSummary ? { baseline: this.baselineSummary } : {}),
      ...(this.olderSkipped !== undefined ? { olderCapturesSkipped: this.olderSkipped } : {}),
      warnings: this.warningList,
      ...(this.scopeRows
        ? {
            scope: [...this.scopeRows].sort(
              (a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region),
            ),
          }
        : {}),
    };
  }
}

export type { SuppressionMark };
