import type { AnyRule, Evaluation, Finding, SeverityLevel } from '../../rules/runtime/types';
import { findingFingerprint } from './fingerprint';
import { identityOf, type IdentitySource, type ResourceIdentity } from './identity';
import type { ItemLocation } from './location';
import { findingSeverity, highest } from './severity';

/** Why a finding is not counted: the suppression entry that matched it. */
export interface SuppressionMark {
  readonly reason: string;
  readonly expires?: string;
  readonly owner?: string;
}

/** Whether a NON_COMPLIANT evaluation was already in the baseline report. */
export type BaselineState = 'new' | 'unchanged';

/** A finding as every output shows it: rated, fingerprinted, perhaps suppressed. */
export interface ScanFinding extends Finding {
  readonly severity: SeverityLevel;
  /** The `ward/v1` fingerprint (fingerprint.ts). */
  readonly fingerprint: string;
  suppressed?: SuppressionMark;
}

/**
 * One evaluation of a scan with everything outputs need: the rule, what the rule said, which resource
 * (identity), where it was read (location, when the input is a file), its findings rated and fingerprinted,
 * and the marks suppressions and the baseline add. The one finding model every output reads.
 */
export interface ScanEvaluation {
  readonly rule: AnyRule;
  readonly evaluation: Evaluation;
  readonly identity: ResourceIdentity;
  readonly location?: ItemLocation;
  readonly findings: readonly ScanFinding[];
  /** Set when every finding is suppressed (the first finding's entry). */
  suppressed?: SuppressionMark;
  /** Set on NON_COMPLIANT evaluations when a baseline was given. */
  baseline?: BaselineState;
}

/** What an input adapter knows about an evaluation besides the evaluation itself. */
export interface EvaluationSource extends IdentitySource {
  readonly location?: ItemLocation;
  /** The stack a template resource's logical id is unique in (fingerprint.ts). */
  readonly scope?: string;
}

/** Builds the {@link ScanEvaluation} of a rule's evaluation. */
export function toScanEvaluation(rule: AnyRule, evaluation: Evaluation, source: EvaluationSource): ScanEvaluation {
  const identity = identityOf(evaluation, source);
  const seen = new Set<string>();
  const findings = evaluation.findings.map((f): ScanFinding => {
    const input = {
      rule: rule.meta.id,
      code: f.code,
      identity,
      resourceType: evaluation.resourceType,
      resourceId: evaluation.resourceId,
      path: f.path,
      ...(source.scope !== undefined ? { scope: source.scope } : {}),
    };
    let fingerprint = findingFingerprint(input);
    // Two findings of one code at one path (rare) still get distinct fingerprints, stable by their order.
    for (let n = 2; seen.has(fingerprint); n++) {
      fingerprint = findingFingerprint({ ...input, path: `${f.path ?? ''}#${n}` });
    }
    seen.add(fingerprint);
    return { ...f, severity: findingSeverity(rule, f), fingerprint };
  });
  return {
    rule,
    evaluation,
    identity,
    ...(source.location ? { location: source.location } : {}),
    findings,
  };
}

/**
 * The severity of an evaluation: its highest unsuppressed finding's (undefined when it has none, that is
 * unless it is NON_COMPLIANT and not wholly suppressed).
 */
export function activeSeverity(se: ScanEvaluation): SeverityLevel | undefined {
  return highest(se.findings.filter((f) => !f.suppressed).map((f) => f.severity));
}

/** The severity of an evaluation counting suppressed findings too (its highest finding's). */
export function fullSeverity(se: ScanEvaluation): SeverityLevel | undefined {
  return highest(se.findings.map((f) => f.severity));
}
