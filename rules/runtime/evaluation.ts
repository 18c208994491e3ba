import { describeError } from './errors';
import {
  Compliance,
  type CompliantEvaluation,
  type Evaluation,
  type Finding,
  type NonCompliantEvaluation,
  type NotApplicableEvaluation,
  SEVERITY_ORDER,
  type SeverityLevel,
} from './types';

/** Identifies the resource an evaluation is about. */
export interface ResourceRef {
  readonly resourceType: string;
  readonly resourceId: string;
}

/** Config's annotation limit. */
export const MAX_ANNOTATION = 256;

/**
 * True when fitAnnotation would return the text unchanged: 1..256 characters, no whitespace but single spaces
 * between words. Checked by character because nearly every annotation already is (rules write them so).
 */
function isFitted(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > MAX_ANNOTATION) return false;
  let previous = 0x20;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      if (previous === 0x20) return false;
    } else if (c < 0x20 || (c > 0x7f && /\s/.test(text[i]))) return false;
    previous = c;
  }
  return previous !== 0x20;
}

/** Fits text into Config's 1..256-character annotation, marking truncation with an ellipsis. */
export function fitAnnotation(text: string): string {
  if (isFitted(text)) return text;
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length === 0) return '-';
  return t.length <= MAX_ANNOTATION ? t : `${t.slice(0, MAX_ANNOTATION - 1)}…`;
}

/** A COMPLIANT evaluation. */
export function compliant(ref: ResourceRef, annotation: string): CompliantEvaluation {
  return {
    resourceType: ref.resourceType,
    resourceId: ref.resourceId,
    compliance: Compliance.COMPLIANT,
    annotation: fitAnnotation(annotation),
    findings: [],
  };
}

/** A NOT_APPLICABLE evaluation with its reason. */
export function notApplicable(ref: ResourceRef, reason: string): NotApplicableEvaluation {
  return {
    resourceType: ref.resourceType,
    resourceId: ref.resourceId,
    compliance: Compliance.NOT_APPLICABLE,
    annotation: fitAnnotation(reason),
    findings: [],
    reason,
  };
}

/** Orders findings most severe first (stable within a severity). */
export function sortFindings(findings: readonly Finding[], ruleSeverity: SeverityLevel): Finding[] {
  const rank = (f: Finding) => SEVERITY_ORDER.indexOf(f.severity ?? ruleSeverity);
  return findings
    .map((f, i) => [f, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([f]) => f);
}

/**
 * A NON_COMPLIANT evaluation. Findings are ordered most severe first and the annotation, unless given,
 * is the first finding's message plus how many more there are.
 */
export function nonCompliant(
  ref: ResourceRef,
  findings: readonly [Finding, ...Finding[]],
  options: { ruleSeverity?: SeverityLevel; annotation?: string } = {},
): NonCompliantEvaluation {
  const sorted = sortFindings(findings, options.ruleSeverity ?? 'medium') as [Finding, ...Finding[]];
  const more = sorted.length > 1 ? ` (+${sorted.length - 1} more)` : '';
  const first = sorted[0].message;
  const annotation =
    options.annotation ??
    (first.length + more.length <= MAX_ANNOTATION
      ? first + more
      : `${first.slice(0, MAX_ANNOTATION - more.length - 1)}…${more}`);
  return {
    resourceType: ref.resourceType,
    resourceId: ref.resourceId,
    compliance: Compliance.NON_COMPLIANT,
    annotation: fitAnnotation(annotation),
    findings: sorted,
  };
}

/**
 * COMPLIANT when there are no findings, else NON_COMPLIANT with them: the usual last line of `evaluate`.
 */
export function judge(
  ref: ResourceRef,
  findings: readonly Finding[],
  compliantAnnotation: string,
  ruleSeverity?: SeverityLevel,
): Evaluation {
  if (findings.length === 0) return compliant(ref, compliantAnnotation);
  return nonCompliant(ref, findings as [Finding, ...Finding[]], { ruleSeverity });
}

/** Finding code used when a rule throws on a resource: fail closed, never COMPLIANT. */
export const EVALUATION_ERROR_CODE = 'evaluation-error';

/** The NON_COMPLIANT evaluation reported when a rule throws on one resource. */
export function errorEvaluation(ref: ResourceRef, ruleId: string, err: unknown): NonCompliantEvaluation {
  const message = `ward could not evaluate this resource (${ruleId}): ${describeError(err)}`;
  return nonCompliant(ref, [{ code: EVALUATION_ERROR_CODE, message }]);
}
