import { EVALUATION_ERROR_CODE } from '../../rules/runtime/evaluation';
import { UNREADABLE_CONFIGURATION_CODE } from '../../rules/runtime/unreadable';
import {
  Compliance,
  SEVERITY_ORDER,
  type AnyRule,
  type Evaluation,
  type Finding,
  type SeverityLevel,
} from '../../rules/runtime/types';

/** Values `--fail-on` and `--min-severity` accept besides a severity. */
export const FAIL_ON_ALIASES = { 'non-compliant': 'informational' } as const;

/** 0 for critical up to 4 for informational: lower is more severe. */
export function severityRank(s: SeverityLevel): number {
  return SEVERITY_ORDER.indexOf(s);
}

/** True when `s` is at least as severe as `threshold`. */
export function atLeast(s: SeverityLevel, threshold: SeverityLevel): boolean {
  return severityRank(s) <= severityRank(threshold);
}

/** The most severe of some severities, or undefined for none. */
export function highest(levels: Iterable<SeverityLevel>): SeverityLevel | undefined {
  let best: SeverityLevel | undefined;
  for (const s of levels) if (best === undefined || severityRank(s) < severityRank(best)) best = s;
  return best;
}

/** The most severe severity any of a rule's codes can have (the rule's headline severity when it has no codes). */
export function ruleMaxSeverity(rule: AnyRule): SeverityLevel {
  return highest(Object.values(rule.meta.findingCodes).map((c) => c.severity)) ?? rule.meta.severity;
}

/**
 * The severity of a finding code of a rule: as declared in `meta.findingCodes`. A code the rule does not
 * declare (`evaluation-error` when a rule throws, or a code a rule forgot to declare) is rated as the rule's
 * most severe code: what could not be judged may be the worst case (fail closed).
 */
export function codeSeverity(rule: AnyRule, code: string): SeverityLevel {
  const declared = Object.hasOwn(rule.meta.findingCodes, code) ? rule.meta.findingCodes[code] : undefined;
  return declared?.severity ?? ruleMaxSeverity(rule);
}

/** The description of a code, including the engine's own `evaluation-error`. */
export function codeDescription(rule: AnyRule, code: string): string {
  if (Object.hasOwn(rule.meta.findingCodes, code)) return rule.meta.findingCodes[code].description;
  if (code === EVALUATION_ERROR_CODE) return 'ward could not evaluate the resource (fail closed).';
  if (code === UNREADABLE_CONFIGURATION_CODE) return 'The configuration item could not be read (fail closed).';
  return `Finding code ${code} of ${rule.meta.id}.`;
}

/** A finding's severity: its own when the case decided one, else its code's. */
export function findingSeverity(rule: AnyRule, f: Finding): SeverityLevel {
  return f.severity ?? codeSeverity(rule, f.code);
}

/** An evaluation's severity: its highest finding's; undefined unless NON_COMPLIANT. */
export function evaluationSeverity(rule: AnyRule, e: Evaluation): SeverityLevel | undefined {
  if (e.compliance !== Compliance.NON_COMPLIANT) return undefined;
  return highest(e.findings.map((f) => findingSeverity(rule, f)));
}

/**
 * Parses a `--fail-on` / `--min-severity` value: a severity, `non-compliant` (= informational) or, when
 * `allowNone`, `none` (returned as undefined). Returns an error message for anything else.
 */
export function parseSeverityOption(
  value: string,
  flag: string,
  allowNone: boolean,
): { ok: true; level: SeverityLevel | undefined } | { ok: false; message: string } {
  const v = value.trim().toLowerCase();
  if (allowNone && v === 'none') return { ok: true, level: undefined };
  if (v in FAIL_ON_ALIASES) return { ok: true, level: FAIL_ON_ALIASES[v as keyof typeof FAIL_ON_ALIASES] };
  if ((SEVERITY_ORDER as readonly string[]).includes(v)) return { ok: true, level: v as SeverityLevel };
  const choices = [...SEVERITY_ORDER, 'non-compliant', ...(allowNone ? ['none'] : [])].join(', ');
  return { ok: false, message: `unknown ${flag} ${value} (use ${choices})` };
}
