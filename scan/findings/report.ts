import { Compliance, type AnyRule, type ComplianceType, type Evaluation } from '../../rules/runtime/types';
import type { BadItem, InputSummary } from '../inputs/snapshot';
import { describeBadItem } from '../inputs/snapshot';

/** Counts per compliance value. */
export type ComplianceCounts = Record<ComplianceType, number>;

/** A rule that did not run, and why. */
export interface SkippedRule {
  readonly rule: string;
  readonly reason: string;
}

/**
 * The `summary` object of `ward scan --format json` (a stable interface: add fields, never rename them).
 */
export interface ScanSummary {
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
}

/** One element of `evaluations` in `ward scan --format json` (a stable interface). */
export interface JsonEvaluation {
  readonly rule: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: ComplianceType;
  readonly annotation: string;
  readonly findings: readonly { readonly code: string; readonly message: string; readonly path: string | null }[];
  /** Where the resource is written, for template inputs (absent for snapshots and live scans). */
  readonly location?: EvaluationLocation;
}

/** The location of a template resource: file and line (of the property a finding is about, where known). */
export interface EvaluationLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly logicalId?: string;
  readonly cdkPath?: string;
  readonly branch?: string;
}

/** The location an input adapter attached to an evaluation, if any. */
export function locationOf(e: Evaluation): EvaluationLocation | undefined {
  return (e as { location?: EvaluationLocation }).location;
}

/** Bad-item problems kept in the summary (the count is exact). */
const MAX_PROBLEMS = 1000;

const zero = (): ComplianceCounts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 });

/** The JSON form of one evaluation: exactly the fields of {@link JsonEvaluation}, in that order. */
export function toJsonEvaluation(rule: AnyRule, e: Evaluation): JsonEvaluation {
  return {
    rule: rule.meta.id,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    compliance: e.compliance,
    annotation: e.annotation,
    findings: e.findings.map((f) => ({ code: f.code, message: f.message, path: f.path ?? null })),
    ...(locationOf(e) ? { location: locationOf(e) } : {}),
  };
}

/**
 * Accumulates what a scan produced: counts per rule and compliance, the NON_COMPLIANT evaluations the table
 * and SARIF show (up to `keepPerRule` per rule), bad items, skipped rules and errors. Evaluations themselves
 * go to `sink` as they come (the JSON writer spools them), so a scan of a million items stays small.
 */
export class ScanReport {
  private readonly counts = new Map<string, ComplianceCounts>();
  private readonly kept = new Map<string, Evaluation[]>();
  private readonly badProblems: string[] = [];
  private badCount = 0;
  private readonly skipped: SkippedRule[] = [];
  private readonly errorList: string[] = [];
  private itemCount = 0;
  private inputList: InputSummary[] = [];

  constructor(
    /** The rules of this scan, in registry order. */
    readonly rules: readonly AnyRule[],
    private readonly keepPerRule: number,
    private readonly sink?: (rule: AnyRule, e: Evaluation) => void,
  ) {
    for (const r of rules) this.counts.set(r.meta.id, zero());
  }

  /** Records one evaluation. */
  add(rule: AnyRule, e: Evaluation): void {
    const c = this.counts.get(rule.meta.id) ?? zero();
    c[e.compliance]++;
    this.counts.set(rule.meta.id, c);
    if (e.compliance === Compliance.NON_COMPLIANT) {
      const list = this.kept.get(rule.meta.id) ?? [];
      if (list.length < this.keepPerRule) list.push(e);
      this.kept.set(rule.meta.id, list);
    }
    this.sink?.(rule, e);
  }

  /** Records a skipped bad item; returns its one-line description. */
  badItem(bad: BadItem): string {
    const line = describeBadItem(bad);
    this.badCount++;
    if (this.badProblems.length < MAX_PROBLEMS) this.badProblems.push(line);
    return line;
  }

  /** Records a rule that could not run. */
  skip(rule: AnyRule, reason: string): void {
    this.skipped.push({ rule: rule.meta.id, reason });
  }

  /** Records a problem that is neither a bad item nor a skipped rule (live scan). */
  error(message: string): void {
    this.errorList.push(message);
  }

  /** Records what was read. */
  setInputs(inputs: readonly InputSummary[]): void {
    this.inputList = [...inputs];
    this.itemCount = inputs.reduce((n, i) => n + i.items, 0);
  }

  /** Counts of one rule. */
  countsOf(ruleId: string): ComplianceCounts {
    return this.counts.get(ruleId) ?? zero();
  }

  /** The NON_COMPLIANT evaluations kept for a rule. */
  nonCompliantOf(ruleId: string): readonly Evaluation[] {
    return this.kept.get(ruleId) ?? [];
  }

  /** True when any resource is NON_COMPLIANT. */
  get hasNonCompliant(): boolean {
    return [...this.counts.values()].some((c) => c.NON_COMPLIANT > 0);
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
    };
  }
}
