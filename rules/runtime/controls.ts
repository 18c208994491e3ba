import { EVALUATION_ERROR_CODE } from './evaluation';
import { UNREADABLE_CONFIGURATION_CODE } from './unreadable';

/**
 * Compliance frameworks ward maps its finding codes to. A key names the framework and its version, since
 * control ids move between versions (the CIS admin-policy control is 1.16 in v3.0.0, 1.15 in v5.0.0).
 */
export const FRAMEWORK_KEYS = ['aws-fsbp', 'cis-aws-3.0.0', 'nist-800-53-r5'] as const;

/** One of {@link FRAMEWORK_KEYS}. */
export type FrameworkKey = (typeof FRAMEWORK_KEYS)[number];

/** Controls of each framework a finding code fails, e.g. `{ 'aws-fsbp': ['IAM.1'], 'nist-800-53-r5': ['AC-6'] }`. */
export type ControlRefs = Readonly<Partial<Record<FrameworkKey, readonly string[]>>>;

/**
 * What a rule's finding codes fail, per finding code and per resource type (`*` for every type the rule
 * judges): the same code fails RDS.3 on a DB instance and SQS.1 on a queue.
 */
export type ControlMap = Readonly<Record<string, Readonly<Record<string, ControlRefs>>>>;

/** A control reference as findings carry it: `<framework key>:<control id>`, e.g. `aws-fsbp:IAM.1`. */
export type ControlRef = `${FrameworkKey}:${string}`;

/**
 * Codes the engine reports for any rule (not in a rule's `findingCodes`): the rule could not judge the resource
 * (`unreadable-configuration`) or failed on it (`evaluation-error`).
 */
export const ENGINE_CODES: readonly string[] = [UNREADABLE_CONFIGURATION_CODE, EVALUATION_ERROR_CODE];

/**
 * The `framework:id` references of a finding code on a resource type, in framework order, without repeats.
 * An engine code ({@link ENGINE_CODES}) a rule does not map itself fails every control the rule covers on
 * that resource type: a resource the rule could not judge has not shown it meets any of them (fail closed).
 */
export function controlRefs(map: ControlMap | undefined, code: string, resourceType: string): ControlRef[] {
  const byType = map?.[code];
  if (byType === undefined) return ENGINE_CODES.includes(code) ? ruleControls(map, resourceType) : [];
  const out: ControlRef[] = [];
  for (const refs of [byType['*'], byType[resourceType]]) {
    if (refs === undefined) continue;
    for (const fw of FRAMEWORK_KEYS) {
      for (const id of refs[fw] ?? []) {
        const ref: ControlRef = `${fw}:${id}`;
        if (!out.includes(ref)) out.push(ref);
      }
    }
  }
  return out.sort((a, b) => frameworkRank(a) - frameworkRank(b));
}

function frameworkRank(ref: string): number {
  return FRAMEWORK_KEYS.findIndex((fw) => ref.startsWith(`${fw}:`));
}

/** Every control a rule maps any code to, on a resource type (`undefined`: any type), for scoping summaries. */
export function ruleControls(map: ControlMap | undefined, resourceType?: string): ControlRef[] {
  const out = new Set<ControlRef>();
  for (const [code, byType] of Object.entries(map ?? {})) {
    const types = resourceType === undefined ? Object.keys(byType) : ['*', resourceType];
    for (const t of types) for (const ref of controlRefs({ [code]: { [t]: byType[t] ?? {} } }, code, t)) out.add(ref);
  }
  return [...out].sort((a, b) => frameworkRank(a) - frameworkRank(b) || a.localeCompare(b, 'en', { numeric: true }));
}
