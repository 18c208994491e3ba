import { controlTitle } from '../../rules/runtime/control-catalogue';
import {
  controlRefs,
  FRAMEWORK_KEYS,
  type ControlRef,
  type FrameworkKey,
  ruleControls,
} from '../../rules/runtime/controls';
import { Compliance, type AnyRule } from '../../rules/runtime/types';
import type { ScanEvaluation } from './scan-evaluation';

/** Names `--framework` accepts, each resolving to the framework key and version ward maps. */
const FRAMEWORK_ALIASES: Readonly<Record<string, FrameworkKey>> = {
  'aws-fsbp': 'aws-fsbp',
  fsbp: 'aws-fsbp',
  'cis-aws': 'cis-aws-3.0.0',
  'cis-aws-3.0.0': 'cis-aws-3.0.0',
  'nist-800-53': 'nist-800-53-r5',
  'nist-800-53-r5': 'nist-800-53-r5',
};

/** `--framework` names, for help and errors. */
export const FRAMEWORK_NAMES = ['aws-fsbp', 'cis-aws', 'nist-800-53'] as const;

/** Parses `--framework a,b`. @returns the keys, or an error message naming the unknown one. */
export function parseFrameworks(
  spec: string | undefined,
): { ok: true; keys: FrameworkKey[] } | { ok: false; message: string } {
  const keys: FrameworkKey[] = [];
  for (const name of (spec ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    const key = FRAMEWORK_ALIASES[name];
    if (key === undefined) {
      return { ok: false, message: `unknown --framework ${name} (use ${FRAMEWORK_NAMES.join(', ')})` };
    }
    if (!keys.includes(key)) keys.push(key);
  }
  return { ok: true, keys };
}

/** One row of the per-control summary. */
export interface ControlResult {
  /** `framework:id`, e.g. `aws-fsbp:IAM.1`. */
  readonly control: ControlRef;
  readonly framework: FrameworkKey;
  readonly id: string;
  readonly title: string;
  /** Resources judged against the control (COMPLIANT or NON_COMPLIANT) with no finding failing it. */
  readonly passed: number;
  /** Resources with an unsuppressed finding failing it. */
  readonly failed: number;
  /** Resources whose only findings failing it are suppressed. */
  readonly suppressed: number;
  /** The rules whose findings map to it. */
  readonly rules: readonly string[];
}

/** The per-control summary `--framework` adds to every report. */
export interface ControlSummary {
  readonly frameworks: readonly FrameworkKey[];
  readonly controls: readonly ControlResult[];
}

const PASSED = 0;
const SUPPRESSED = 1;
const FAILED = 2;

const refCache = new Map<string, readonly ControlRef[]>();

/** The `framework:id` controls a finding fails (memoised: the same few per rule, code and type). */
export function findingControls(rule: AnyRule, code: string, resourceType: string): readonly ControlRef[] {
  const key = `${rule.meta.id}\u0000${code}\u0000${resourceType}`;
  let refs = refCache.get(key);
  if (refs === undefined) {
    refs = controlRefs(rule.meta.controls, code, resourceType);
    if (refCache.size < 10_000) refCache.set(key, refs);
  }
  return refs;
}

/** Every control the findings of an evaluation fail, without repeats. */
export function evaluationControls(se: ScanEvaluation): ControlRef[] {
  const out = new Set<ControlRef>();
  for (const f of se.findings) for (const c of findingControls(se.rule, f.code, se.evaluation.resourceType)) out.add(c);
  return [...out];
}

/**
 * Accumulates, per control of the chosen frameworks, which resources passed and failed. A resource is in a
 * control's scope when a rule that maps to the control judged it (COMPLIANT or NON_COMPLIANT) and maps the
 * control for its resource type; NOT_APPLICABLE is out of scope. A resource judged by several rules fails a
 * control when any of them fails it.
 */
export class ControlSummaryBuilder {
  private readonly states = new Map<ControlRef, Map<string, number>>();
  private readonly rulesOf = new Map<ControlRef, Set<string>>();
  private readonly scopeCache = new Map<string, readonly ControlRef[]>();

  constructor(readonly frameworks: readonly FrameworkKey[]) {}

  private inScope(rule: AnyRule, resourceType: string): readonly ControlRef[] {
    const key = `${rule.meta.id}\u0000${resourceType}`;
    let refs = this.scopeCache.get(key);
    if (refs === undefined) {
      refs = ruleControls(rule.meta.controls, resourceType).filter((r) =>
        this.frameworks.some((fw) => r.startsWith(`${fw}:`)),
      );
      this.scopeCache.set(key, refs);
    }
    return refs;
  }

  /** Records one evaluation. */
  add(se: ScanEvaluation): void {
    const e = se.evaluation;
    if (e.compliance === Compliance.NOT_APPLICABLE) return;
    const scope = this.inScope(se.rule, e.resourceType);
    if (scope.length === 0) return;
    const resource = `${se.identity.accountId}\u0000${se.identity.region}\u0000${e.resourceType}\u0000${e.resourceId}`;
    const state = new Map<ControlRef, number>();
    for (const f of se.findings) {
      for (const c of findingControls(se.rule, f.code, e.resourceType)) {
        state.set(c, Math.max(state.get(c) ?? PASSED, f.suppressed ? SUPPRESSED : FAILED));
      }
    }
    for (const c of scope) {
      let byResource = this.states.get(c);
      if (byResource === undefined) this.states.set(c, (byResource = new Map()));
      byResource.set(resource, Math.max(byResource.get(resource) ?? PASSED, state.get(c) ?? PASSED));
      let rules = this.rulesOf.get(c);
      if (rules === undefined) this.rulesOf.set(c, (rules = new Set()));
      rules.add(se.rule.meta.id);
    }
  }

  /** Every control of the chosen frameworks that the scanned rules map to, in framework then id order. */
  summary(rules: readonly AnyRule[]): ControlSummary {
    const all = new Set<ControlRef>();
    for (const r of rules) for (const c of ruleControls(r.meta.controls)) all.add(c);
    const controls: ControlResult[] = [];
    for (const fw of FRAMEWORK_KEYS) {
      if (!this.frameworks.includes(fw)) continue;
      const refs = [...all].filter((c) => c.startsWith(`${fw}:`));
      refs.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      for (const control of refs) {
        const counts = [0, 0, 0];
        for (const s of this.states.get(control)?.values() ?? []) counts[s]++;
        controls.push({
          control,
          framework: fw,
          id: control.slice(fw.length + 1),
          title: controlTitle(control),
          passed: counts[PASSED],
          failed: counts[FAILED],
          suppressed: counts[SUPPRESSED],
          rules: rules.filter((r) => ruleControls(r.meta.controls).includes(control)).map((r) => r.meta.id),
        });
      }
    }
    return { frameworks: this.frameworks, controls };
  }
}

/** The summary as text lines for the table: `control  passed  failed  title`. */
export function renderControlSummary(summary: ControlSummary): string {
  const rows = summary.controls;
  if (rows.length === 0) return 'Controls: none of the rules scanned map to the frameworks asked\n';
  const w = Math.max(...rows.map((r) => r.control.length), 'control'.length);
  const lines = [`Controls (${summary.frameworks.join(', ')}): resources passed / failed`];
  lines.push(`  ${'control'.padEnd(w)}  passed  failed  title`);
  for (const r of rows) {
    const failed = `${r.failed}${r.suppressed > 0 ? `+${r.suppressed}s` : ''}`;
    lines.push(`  ${r.control.padEnd(w)}  ${String(r.passed).padStart(6)}  ${failed.padStart(6)}  ${r.title}`);
  }
  if (rows.some((r) => r.suppressed > 0)) lines.push('  (+Ns: resources whose only failing findings are suppressed)');
  return `${lines.join('\n')}\n`;
}
