import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { ENGINE_CODES } from '../../rules/runtime/controls';
import type { ScanSummary } from '../findings/report';
import type { NotJudged } from '../not-judged';
import { Compliance, type SeverityLevel } from '../../rules/runtime/types';
import { findingControls } from '../findings/control-summary';
import { fullSeverity, type ScanEvaluation } from '../findings/scan-evaluation';
import { FRAMEWORKS } from '../../rules/runtime/control-catalogue';
import { FRAMEWORK_KEYS, type FrameworkKey } from '../../rules/runtime/controls';
import { LineSpool } from './line-spool';

/** The OCSF schema version ward's events follow (validated in tests against the vendored 1.4.0 schema). */
export const OCSF_VERSION = '1.4.0';

/** OCSF Compliance Finding: class 2003 in category 2 (Findings); type_uid = class_uid * 100 + activity_id. */
const CLASS_UID = 2003;
const ACTIVITY_CREATE = 1;

/** OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY_ID: Readonly<Record<SeverityLevel, number>> = {
  informational: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

const SEVERITY_NAME = ['Unknown', 'Informational', 'Low', 'Medium', 'High', 'Critical'];

/** What the writer needs besides the evaluation. */
export interface OcsfContext {
  readonly version: string;
  /** Event time (ms since the epoch): the scan's time, the same for every event of a run. */
  readonly time: number;
  /** Where a rule's README is published. */
  readonly ruleReadme: (ruleId: string) => string;
}

function frameworkName(key: FrameworkKey): string {
  const f = FRAMEWORKS[key];
  return `${f.name} ${f.version}`;
}

/**
 * One OCSF 1.4.0 Compliance Finding for an evaluation. `compliance.standards` is always set (required up to
 * 1.4): the frameworks of its controls, or ward's rule when none maps. `finding_info.uid` is the first
 * finding's `ward/v1` fingerprint (the SARIF partialFingerprints value); a COMPLIANT evaluation, which has no
 * finding, gets the fingerprint-shaped id of the rule and resource so the same check keeps one id.
 */
export function toOcsf(se: ScanEvaluation, ctx: OcsfContext): Record<string, unknown> {
  const e = se.evaluation;
  const id = se.identity;
  const failed = e.compliance === Compliance.NON_COMPLIANT;
  const severity = failed ? (fullSeverity(se) ?? 'informational') : 'informational';
  const severityId = SEVERITY_ID[severity];
  const controls = [...new Set(se.findings.flatMap((f) => findingControls(se.rule, f.code, e.resourceType)))];
  const standards = FRAMEWORK_KEYS.filter((fw) => controls.some((c) => c.startsWith(`${fw}:`))).map(frameworkName);
  const wholly = failed && se.findings.every((f) => f.suppressed);
  const statusId = e.compliance === Compliance.COMPLIANT ? 1 : failed ? 3 : 99;
  const uid =
    se.findings[0]?.fingerprint ?? `${se.rule.meta.id}/${id.accountId}/${id.region}/${e.resourceType}/${e.resourceId}`;
  const remediation = se.rule.meta.remediations?.[e.resourceType];
  return {
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    time: ctx.time,
    severity_id: severityId,
    severity: SEVERITY_NAME[severityId],
    // Finding status: 1 New (to review), 3 Suppressed (an accepted exception), 4 Resolved (passing).
    status_id: failed ? (wholly ? 3 : 1) : 4,
    status: failed ? (wholly ? 'Suppressed' : 'New') : 'Resolved',
    message: e.annotation,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'ward', vendor_name: 'ward', version: ctx.version },
      log_name: 'ward scan',
    },
    finding_info: {
      uid,
      title: se.rule.meta.title,
      desc: failed ? se.findings.map((f) => f.message).join('; ') : e.annotation,
      types: [se.rule.meta.id, ...se.findings.map((f) => f.code)],
      src_url: ctx.ruleReadme(se.rule.meta.id),
    },
    compliance: {
      standards: standards.length > 0 ? standards : [`ward ${se.rule.meta.id}`],
      ...(controls.length > 0 ? { requirements: controls, control: controls[0] } : { control: se.rule.meta.id }),
      // NOT_APPLICABLE has no status_id: 1.4.0 enumerates only Pass, Warning (missing information) and Fail.
      ...(statusId === 99
        ? { status: 'Not applicable', status_detail: e.annotation }
        : { status_id: statusId, status: statusId === 1 ? 'Pass' : 'Fail' }),
    },
    resources: [
      {
        uid: id.arn ?? e.resourceId,
        type: e.resourceType,
        region: id.region,
        ...(id.resourceName !== undefined ? { name: id.resourceName } : {}),
        data: { resourceId: e.resourceId },
      },
    ],
    cloud: {
      provider: 'AWS',
      account: { uid: id.accountId, type_id: 10, type: 'AWS Account' },
      ...(id.region !== 'global' ? { region: id.region } : {}),
    },
    ...(failed
      ? {
          remediation: {
            desc: remediation
              ? `Runbook ${remediation}; see ${ctx.ruleReadme(se.rule.meta.id)}`
              : `See ${ctx.ruleReadme(se.rule.meta.id)}`,
          },
        }
      : {}),
    unmapped: {
      rule: se.rule.meta.id,
      findings: se.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        fingerprint: f.fingerprint,
        path: f.path ?? null,
        ...(f.suppressed ? { suppressed: f.suppressed } : {}),
      })),
    },
  };
}

/**
 * The Compliance Finding of work a scan did not do (an input, item, rule or region of its summary's
 * `notJudged`): compliance status 2 Warning ("did not yield a result due to missing information"), so a
 * consumer never reads an incomplete scan as all Pass. Severity is 0 Unknown: what the gap hides is unknown.
 */
export function notJudgedOcsf(n: NotJudged, ctx: OcsfContext): Record<string, unknown> {
  const uid = `ward/not-judged/${createHash('sha256').update([n.kind, n.subject, n.problem].join('\u0000')).digest('hex').slice(0, 32)}`;
  return {
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    time: ctx.time,
    severity_id: 0,
    severity: SEVERITY_NAME[0],
    status_id: 1,
    status: 'New',
    message: `Not judged (${n.kind}): ${n.subject ? `${n.subject}: ` : ''}${n.problem}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'ward', vendor_name: 'ward', version: ctx.version },
      log_name: 'ward scan',
    },
    finding_info: {
      uid,
      title: `Not judged: ${n.subject || n.kind}`,
      desc: n.problem,
      types: ['not-judged', n.kind],
    },
    cloud: { provider: 'AWS' },
    compliance: {
      standards: ['ward'],
      control: 'not-judged',
      status_id: 2,
      status: 'Warning',
      status_detail: n.problem,
    },
    unmapped: { notJudged: n },
  };
}

/**
 * The `--format ocsf` writer: one Compliance Finding per evaluation, then one Warning finding per piece of
 * work not done (resources already reported as a failed `unreadable-configuration` or `evaluation-error`
 * check are not repeated), JSON Lines.
 */
export class OcsfWriter {
  private readonly spool = new LineSpool();
  private readonly listed = new Set<string>();

  constructor(private readonly ctx: OcsfContext) {}

  add(se: ScanEvaluation): void {
    this.spool.add(JSON.stringify(toOcsf(se, this.ctx)));
    if (se.findings.some((f) => ENGINE_CODES.includes(f.code))) {
      this.listed.add(`${se.rule.meta.id} ${se.evaluation.resourceType} ${se.evaluation.resourceId}`);
    }
  }

  finish(out: Writable, notJudged?: ScanSummary['notJudged']): Promise<void> {
    const lines: string[] = [];
    for (const n of notJudged?.entries ?? []) {
      if ((n.kind === 'resource' || n.kind === 'rule') && this.listed.has(n.subject)) continue;
      lines.push(JSON.stringify(notJudgedOcsf(n, this.ctx)));
    }
    const more = (notJudged?.count ?? 0) - (notJudged?.entries.length ?? 0);
    if (more > 0) {
      const n: NotJudged = { kind: 'scope', subject: '', problem: `${more} more not judged: see the JSON report` };
      lines.push(JSON.stringify(notJudgedOcsf(n, this.ctx)));
    }
    return this.spool.finish(out, '', lines.map((l) => `${l}\n`).join(''));
  }

  dispose(): void {
    this.spool.dispose();
  }
}
