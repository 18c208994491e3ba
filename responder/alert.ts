import type { Plan } from '../runbooks/types';
import type { SeverityLevel } from '../rules/runtime/types';
import type { ResourceIdentity } from '../scan/findings/identity';
import type { Decision } from './decide';
import type { ComplianceChangeEvent } from './event';

/** What the alert tells: a drift, a resolution, or a collapsed run of flapping. */
export type AlertKind = 'violation' | 'resolved' | 'flapping';

/** Everything an alert says; gathered by the responder, formatted purely. */
export interface AlertInput {
  readonly kind: AlertKind;
  readonly event: ComplianceChangeEvent;
  /** The rule's title (desired state); the Config rule name for rules ward does not know. */
  readonly ruleTitle: string;
  /** Finding messages (from the re-run rule), else the annotation Config reported. */
  readonly findings: readonly string[];
  readonly decision: Decision;
  readonly plan?: Plan;
  /** What happened: e.g. "Applied: ...", "Would apply: ...", "Failed: ...". */
  readonly outcome: string;
  readonly runbookUrl?: string;
  readonly auditId: string;
  /** Overrides the subject's tag (FIXED / NON_COMPLIANT), e.g. `CHANGED, NOT VERIFIED` or `REMEDIATION FAILED`. */
  readonly tag?: string;
  /** Number of transitions within the window (flapping alerts). */
  readonly transitions?: number;
  readonly windowMinutes?: number;
  /** The resource's account, region (`global` for IAM), ARN and name; default: the event's account and region. */
  readonly identity?: ResourceIdentity;
  /** The finding's severity; `rule` when the codes are unknown and this is the rule's highest. */
  readonly severity?: { readonly level: SeverityLevel; readonly basis: 'findings' | 'rule' };
  /** Set when the deployed suppressions could not be read (the change is alerted as if unsuppressed). */
  readonly suppressionsError?: string;
  /** Set when forwarding the change to Security Hub failed: the finding there is not up to date. */
  readonly forwardingError?: string;
}

/** An alert ready for SNS `Publish` with `MessageStructure: 'json'`. */
export interface FormattedAlert {
  readonly subject: string;
  /** JSON text with `default`, `email` and `https` variants. */
  readonly message: string;
  readonly text: string;
  readonly payload: Record<string, unknown>;
}

/** SNS subjects: printable ASCII, no line breaks, under 100 characters. */
export const MAX_SUBJECT = 99;

/** Makes a string safe for an SNS subject and shortens it with an ellipsis marker. */
export function fitSubject(text: string): string {
  const ascii = text
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length <= MAX_SUBJECT ? ascii : `${ascii.slice(0, MAX_SUBJECT - 3)}...`;
}

/** The AWS Config console page of a resource (its timeline and compliance). */
export function consoleLink(region: string, resourceType: string, resourceId: string): string {
  const q = `resourceId=${encodeURIComponent(resourceId)}&resourceType=${encodeURIComponent(resourceType)}`;
  return `https://${region}.console.aws.amazon.com/config/home?region=${region}#/resources/details?${q}`;
}

function shortId(resourceId: string): string {
  // Topic ARNs and queue URLs are long: their last segment names the resource.
  const tail = resourceId.split(/[:/]/).filter(Boolean).pop() ?? resourceId;
  return tail.length > 0 ? tail : resourceId;
}

function headline(input: AlertInput): string {
  const d = input.event.detail;
  const what = `${d.resourceType.replace(/^AWS::/, '')} ${shortId(d.resourceId)}`;
  if (input.kind === 'resolved') return `[ward] RESOLVED ${d.configRuleName}: ${what}`;
  if (input.kind === 'flapping') return `[ward] FLAPPING ${d.configRuleName}: ${what}`;
  const tag = input.tag ?? (input.decision.action === 'remediate' ? 'FIXED' : 'NON_COMPLIANT');
  return `[ward] ${tag} ${d.configRuleName}: ${what}`;
}

/**
 * Formats an alert: a subject under 100 characters, a plain-text body a person can act on (email, and the
 * default for SQS and other protocols), and a JSON document for chat and HTTPS subscribers.
 */
export function formatAlert(input: AlertInput): FormattedAlert {
  const d = input.event.detail;
  const link = consoleLink(d.awsRegion, d.resourceType, d.resourceId);
  const id = input.identity ?? { accountId: d.awsAccountId, region: d.awsRegion };
  const sev = input.severity;
  const lines: string[] = [];
  if (input.kind === 'resolved') lines.push(`RESOLVED: ${input.ruleTitle}`, '', 'The resource is compliant again.');
  else if (input.kind === 'flapping')
    lines.push(
      `FLAPPING: ${input.ruleTitle}`,
      '',
      `The compliance of this resource changed ${input.transitions ?? '?'} times in ${input.windowMinutes ?? '?'} minutes.`,
      'Further changes within the window are collapsed into this alert (each one is still in the audit table).',
      'Automatic remediation is paused while it flaps: look for two automations fighting over the resource.',
    );
  else {
    lines.push(`NON_COMPLIANT: ${input.ruleTitle}`, '', 'What is wrong:');
    for (const f of input.findings.length ? input.findings : ['(Config gave no annotation)']) lines.push(`  - ${f}`);
  }
  if (sev && input.kind !== 'resolved')
    lines.push(
      '',
      `Severity: ${sev.level}${sev.basis === 'rule' ? " (the rule's highest: the finding codes were not re-checked)" : ''}`,
    );
  lines.push(
    '',
    'Resource:',
    `  type:    ${d.resourceType}`,
    `  id:      ${d.resourceId}`,
    ...(id.resourceName ? [`  name:    ${id.resourceName}`] : []),
    ...(id.arn ? [`  arn:     ${id.arn}`] : []),
    `  account: ${id.accountId}`,
    `  region:  ${id.region}`,
    `  console: ${link}`,
    '',
    `Rule: ${d.configRuleName} (${d.oldEvaluationResult?.complianceType ?? 'new'} -> ${d.newEvaluationResult.complianceType})`,
  );
  if (input.kind !== 'resolved') {
    lines.push('', `Response (${input.decision.requestedMode} mode): ${input.outcome}`);
    for (const r of input.decision.reasons) lines.push(`  - ${r}`);
    if (input.plan && input.plan.changes.length > 0) {
      lines.push(input.decision.action === 'remediate' ? 'Changes:' : 'Planned changes:');
      for (const c of input.plan.changes) lines.push(`  - ${c.description}`);
    }
    if (input.runbookUrl) lines.push(`Runbook: ${input.runbookUrl}`);
  }
  if (input.suppressionsError) lines.push('', `Suppressions: ${input.suppressionsError}; alerted as if unsuppressed.`);
  if (input.forwardingError)
    lines.push('', `Security Hub: forwarding FAILED, the finding there is not up to date: ${input.forwardingError}`);
  lines.push('', `Audit id: ${input.auditId}   (ward audit --resource ${d.resourceId})`);
  const text = lines.join('\n');
  const subject = fitSubject(headline(input));
  const payload = {
    version: '2',
    kind: input.kind,
    subject,
    text,
    severity: sev?.level ?? null,
    severityBasis: sev?.basis ?? null,
    rule: { configRuleName: d.configRuleName, title: input.ruleTitle },
    resource: {
      type: d.resourceType,
      id: d.resourceId,
      account: id.accountId,
      accountId: id.accountId,
      region: id.region,
      arn: id.arn ?? null,
      resourceName: id.resourceName ?? null,
      consoleUrl: link,
    },
    compliance: { from: d.oldEvaluationResult?.complianceType ?? null, to: d.newEvaluationResult.complianceType },
    findings: input.findings,
    response: {
      mode: input.decision.requestedMode,
      action: input.decision.action,
      outcome: input.outcome,
      reasons: input.decision.reasons,
      changes: input.plan?.changes ?? [],
      runbookUrl: input.runbookUrl ?? null,
    },
    auditId: input.auditId,
    suppressionsError: input.suppressionsError ?? null,
    forwardingError: input.forwardingError ?? null,
  };
  const chat = JSON.stringify(payload);
  return { subject, text, payload, message: JSON.stringify({ default: text, email: text, https: chat }) };
}
