import { type AnyRule, Compliance, type Evaluation, type Finding } from '../rules/runtime/types';
import { type AsffFinding, toAsff } from '../scan/outputs/asff';
import { projectLinks } from '../scan/outputs/project-links';
import { toScanEvaluation } from '../scan/findings/scan-evaluation';
import type { DecidedStep, ForwardedStep } from './audit-steps';
import { type ComplianceChangeEvent, wardRuleId } from './event';
import type { ResponderSettings } from './settings';

/** What one BatchImportFindings call reported for the finding. */
export interface ForwardReply {
  /** Set when Security Hub listed the finding in FailedFindings. */
  readonly failed?: { readonly code: string; readonly message: string };
}

/** Imports one ASFF finding into Security Hub of its own account and region (the handler builds it). */
export type Forwarder = (finding: AsffFinding) => Promise<ForwardReply>;

/** The finding to import for a compliance change, or why none is imported. */
export type ForwardPlan =
  | { readonly finding: AsffFinding; readonly skipped?: undefined }
  | { readonly finding?: undefined; readonly skipped: string };

const LABEL = { informational: 'INFORMATIONAL', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' };

/**
 * A rule the responder bundle does not carry (it carries only the rules it re-runs, to stay small): its id,
 * and the title the stack wrote to WARD_RULE_TITLES. Enough for {@link toAsff} on an evaluation whose finding
 * codes are unknown (no finding reads the rule's codes or controls).
 */
function ruleOutsideBundle(id: string, settings: ResponderSettings): AnyRule {
  const title = settings.ruleTitles[id] ?? `ward-${id}`;
  return {
    meta: { id, title, rationale: `See the rule's README.`, findingCodes: {}, resourceTypes: [] },
  } as unknown as AnyRule;
}

/**
 * The ASFF finding a compliance change forwards, built by the scan's builder ({@link toAsff}) so that the
 * responder and `ward scan --to securityhub` write the same finding Id and update one another's finding:
 * NON_COMPLIANT -> Compliance.Status FAILED; COMPLIANT -> PASSED; a resource that is gone (NOT_APPLICABLE after
 * a judgement, or found gone on the re-read) -> the last judgement with RecordState ARCHIVED. A suppressed
 * finding is forwarded FAILED with its suppression in ProductFields `ward/suppressed`, as the scan imports it:
 * Security Hub records the posture, and triage (Workflow) stays with the people who own it.
 *
 * Not forwarded (the reason is recorded): rules that are not ward's (the pack's AWS managed rules; Security Hub
 * receives their results through its own AWS Config integration), resources of another account than the
 * responder's (only the finding's own account may import into its default product), and transitions that
 * carry no judgement (a first NOT_APPLICABLE, INSUFFICIENT_DATA).
 */
export function forwardPlan(
  event: ComplianceChangeEvent,
  decided: DecidedStep,
  rule: AnyRule | undefined,
  settings: ResponderSettings,
  now: Date,
): ForwardPlan {
  const d = event.detail;
  const ruleId = wardRuleId(d.configRuleName);
  if (!ruleId || d.configRuleName.startsWith('ward-aws-') || ruleId.startsWith('aws-'))
    return { skipped: `${d.configRuleName} is not a ward rule (Security Hub imports AWS Config rules itself)` };
  if (settings.accountId && settings.accountId !== d.awsAccountId)
    return {
      skipped:
        `the resource is in account ${d.awsAccountId}, not the responder's (${settings.accountId}): only that ` +
        `account may import into its default product`,
    };
  const newC = d.newEvaluationResult.complianceType;
  const oldC = d.oldEvaluationResult?.complianceType;
  const judged = (c: string | undefined) => c === Compliance.COMPLIANT || c === Compliance.NON_COMPLIANT;
  const gone = decided.gone === true || (newC === Compliance.NOT_APPLICABLE && judged(oldC));
  // A gone resource is archived as last judged: the re-read found it gone while it was NON_COMPLIANT.
  const compliance = decided.gone ? newC : gone ? oldC : newC;
  if (!judged(compliance)) return { skipped: `${newC}${oldC ? ` after ${oldC}` : ''} is not a judgement to forward` };

  const found = compliance === Compliance.NON_COMPLIANT ? findingsOf(decided) : [];
  const evaluation = {
    resourceType: d.resourceType,
    resourceId: d.resourceId,
    annotation: d.newEvaluationResult.annotation ?? '',
    compliance,
    findings: found,
  } as unknown as Evaluation;
  const theRule = rule ?? ruleOutsideBundle(ruleId, settings);
  const identity = decided.identity ?? { accountId: d.awsAccountId, region: d.awsRegion };
  const se = toScanEvaluation(theRule, evaluation, { accountId: identity.accountId, region: identity.region });
  // The identity the responder resolved (ARN and name from the re-read item) is the one the scan has.
  const withIdentity = { ...se, identity };
  if (decided.suppression)
    for (const f of withIdentity.findings)
      f.suppressed = {
        reason: decided.suppression.reason,
        ...(decided.suppression.owner ? { owner: decided.suppression.owner } : {}),
        ...(decided.suppression.expires ? { expires: decided.suppression.expires } : {}),
      };
  // Global (IAM) resources go to the region the responder runs in, as the scan sends them to its home region.
  const finding = toAsff(withIdentity, {
    now: now.toISOString(),
    homeRegion: d.awsRegion,
    ruleReadme: projectLinks().ruleReadme,
  });
  if (!finding) return { skipped: `${compliance} is not a judgement to forward` };
  if (compliance === Compliance.NON_COMPLIANT && found.length === 0) {
    // The finding codes are unknown (notify mode: the rule was not re-run): the rule's highest severity (what
    // was not looked at may be the worst case; HIGH when even that is unknown) and Config's annotation, as the
    // alert says.
    finding.Severity = { Label: LABEL[decided.severity?.level ?? 'high'] as AsffFinding['Severity']['Label'] };
    finding.Description = (decided.findings.join('; ') || 'Non-compliant (finding codes unknown).').slice(0, 1024);
    if (decided.suppression) finding.ProductFields['ward/suppressed'] = decided.suppression.reason.slice(0, 2048);
  }
  if (gone) finding.RecordState = 'ARCHIVED';
  return { finding };
}

/**
 * The findings of the re-run rule recorded in the decided step: codes with their messages, paths unknown (the
 * audit record keeps codes and messages). Empty when the rule was not re-run (notify mode).
 */
function findingsOf(decided: DecidedStep): Finding[] {
  const codes = decided.findingCodes ?? [];
  return codes.map((code, i) => ({ code, message: decided.findings[i] ?? code }));
}

/**
 * Forwards a change and says what happened, for the `forwarded` audit step. Never throws: a failure is
 * recorded (and logged, and told in the alert) and the response goes on.
 */
export async function forward(plan: ForwardPlan, forwarder: Forwarder): Promise<Omit<ForwardedStep, 'auditId' | 'at'>> {
  if (plan.skipped !== undefined) return { step: 'forwarded', ok: true, skipped: plan.skipped };
  const f = plan.finding;
  const what = {
    findingId: f.Id,
    productArn: f.ProductArn,
    status: f.Compliance.Status,
    recordState: f.RecordState,
  };
  try {
    const reply = await forwarder(f);
    if (reply.failed)
      return {
        step: 'forwarded',
        ok: false,
        ...what,
        error: `FailedFindings: ${reply.failed.code}: ${reply.failed.message}`,
      };
    return { step: 'forwarded', ok: true, ...what };
  } catch (err) {
    const e = err as Error;
    return { step: 'forwarded', ok: false, ...what, error: `${e.name || 'Error'}: ${e.message}`.slice(0, 500) };
  }
}
