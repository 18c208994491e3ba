import type { ControlMap } from './controls';
import type { core } from 'zod/mini';
import type { ConfigurationItem } from './configuration-item';
import type { RuleContext } from './context';
import type { DataTableInfo } from './data-table';

/** The three compliance values a custom Config rule may report (Config rejects INSUFFICIENT_DATA). */
export const Compliance = {
  COMPLIANT: 'COMPLIANT',
  NON_COMPLIANT: 'NON_COMPLIANT',
  NOT_APPLICABLE: 'NOT_APPLICABLE',
} as const;

/** One of {@link Compliance}. */
export type ComplianceType = (typeof Compliance)[keyof typeof Compliance];

/** How bad a finding is; used for ordering, SARIF levels and alerts. */
export const Severity = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFORMATIONAL: 'informational',
} as const;

/** One of {@link Severity}. */
export type SeverityLevel = (typeof Severity)[keyof typeof Severity];

/** Severity order, most severe first. */
export const SEVERITY_ORDER: readonly SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'informational'];

/**
 * One reason a resource is non-compliant. `code` is stable kebab-case and documented in the rule README;
 * `path` locates the problem inside the configuration item (for example `rolePolicyList[0].Statement[2]`).
 */
export interface Finding {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  /** Overrides the rule's severity for this finding (for example `external-key` is low). */
  readonly severity?: SeverityLevel;
}

interface EvaluationBase {
  readonly resourceType: string;
  readonly resourceId: string;
  /** 1..256 characters when sent to Config; the reporter truncates. */
  readonly annotation: string;
}

/** The resource meets the rule. */
export interface CompliantEvaluation extends EvaluationBase {
  readonly compliance: typeof Compliance.COMPLIANT;
  readonly findings: readonly [];
}

/** The resource breaks the rule; at least one finding says how. */
export interface NonCompliantEvaluation extends EvaluationBase {
  readonly compliance: typeof Compliance.NON_COMPLIANT;
  readonly findings: readonly [Finding, ...Finding[]];
}

/** The rule does not apply (deleted, out of scope, exempt, ...); `reason` says why. */
export interface NotApplicableEvaluation extends EvaluationBase {
  readonly compliance: typeof Compliance.NOT_APPLICABLE;
  readonly findings: readonly [];
  readonly reason: string;
}

/** The result of judging one resource: a discriminated union on `compliance`. */
export type Evaluation = CompliantEvaluation | NonCompliantEvaluation | NotApplicableEvaluation;

/** Config's periodic frequencies. */
export type PeriodicFrequency = 'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';

/** When Config invokes a rule. */
export interface RuleTrigger {
  /** Change-triggered over `resourceTypes` (both change notification types). */
  readonly onChange: boolean;
  /** Periodic with this frequency; the rule then implements `collect`. */
  readonly periodic?: PeriodicFrequency;
}

/**
 * A rule's parameters schema. ward's rules build theirs with zod/mini (rules/runtime/zod-mini.ts: small, fast
 * to load in the Lambdas); any zod schema fits, since classic and mini share zod's core.
 */
export type ParametersSchema = core.$ZodType;

/** What a rule declares about one of its finding codes. */
export interface FindingCodeInfo {
  /** One line: what the finding means. */
  readonly description: string;
  /** The code's severity, unless the finding itself says otherwise. */
  readonly severity: SeverityLevel;
}

/** Rule metadata: everything docs, packs, the CDK app and `ward rules` are generated from. */
export interface RuleMeta<P extends ParametersSchema = ParametersSchema> {
  /** kebab-case, equal to the folder name; the Config rule name is `ward-<id>`. */
  readonly id: string;
  /** The desired state, e.g. "Data stores are encrypted at rest". */
  readonly title: string;
  /** Why it matters, one or two sentences. */
  readonly rationale: string;
  /**
   * The rule's headline severity (Config rule tags, conformance packs, `ward rules`). Findings are rated by
   * their code's severity in `findingCodes`, not by this.
   */
  readonly severity: SeverityLevel;
  /** The Config scope for change-triggered evaluation. */
  readonly resourceTypes: readonly string[];
  /** Resource types reported by `collect` (periodic path), when it has one. */
  readonly periodicResourceTypes?: readonly string[];
  readonly trigger: RuleTrigger;
  /** zod object schema with defaults and descriptions: the Config InputParameters and the docs. */
  readonly parameters: P;
  /** Read IAM actions that `gather` and `collect` need. */
  readonly permissions: readonly string[];
  /**
   * Every finding code this rule can emit, each with a one-line description and its severity (the README
   * documents each in a table with the same severity; a test keeps them equal). A finding may still carry its
   * own `severity` when the case decides (for example an `external-key` of a trusted partner is low).
   */
  readonly findingCodes: Readonly<Record<string, FindingCodeInfo>>;
  /**
   * Controls of AWS FSBP, CIS AWS Foundations and NIST SP 800-53 each finding code fails, per resource type
   * (rules/runtime/controls.ts; the README cites the published control text).
   */
  readonly controls?: ControlMap;
  /** Resource type -> runbook id that remediates it. */
  readonly remediations?: Readonly<Record<string, string>>;
  /**
   * True when the resources judged are global (IAM) so a periodic deployment should run in one region only.
   */
  readonly global?: boolean;
  /**
   * Data tables the rule reads (knowledge that changes over time), with their source and the day each was
   * taken: `ward rules` shows them and a run warns when one is older than it may be.
   */
  readonly dataTables?: readonly DataTableInfo[];
}

/** What `evaluate` receives: everything is already fetched and parsed; it must not do I/O. */
export interface EvaluateInput<P, F> {
  readonly item: ConfigurationItem;
  readonly params: P;
  readonly facts: F;
  /** Account that owns the resource (same as item.accountId). */
  readonly accountId: string;
}

/** A rule: data plus a pure function, the same object in the Lambda, in `ward scan` and in tests. */
export interface Rule<P extends ParametersSchema = ParametersSchema, F = unknown> {
  readonly meta: RuleMeta<P>;
  /** Pure and synchronous: no SDK, no clock, no environment. */
  evaluate(input: EvaluateInput<core.output<P>, F>): Evaluation[];
  /** The only place a change-triggered rule reads AWS. Returns the facts `evaluate` needs. */
  gather?(item: ConfigurationItem, ctx: RuleContext, params: core.output<P>): Promise<F>;
  /** Periodic path: list the resources this rule judges and evaluate each. */
  collect?(ctx: RuleContext, params: core.output<P>): Promise<Evaluation[]>;
}

/** A rule whose parameter and fact types are erased, as the registry and the engine hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds rules of every parameter and fact type
export type AnyRule = Rule<ParametersSchema, any>;
