import { createHash } from 'node:crypto';
import { Compliance, type SeverityLevel } from '../../rules/runtime/types';
import { findingControls } from '../findings/control-summary';
import { GLOBAL_REGION } from '../findings/identity';
import { fullSeverity, type ScanEvaluation } from '../findings/scan-evaluation';
import { partitionOf } from '../../rules/runtime/partition';

/** The ASFF finding fields ward writes (a subset of the AWS Security Finding Format). */
export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url: string } };
  ProductFields: Record<string, string>;
  Resources: { Type: string; Id: string; Partition: string; Region: string }[];
  Compliance: { Status: 'PASSED' | 'FAILED' | 'NOT_AVAILABLE'; RelatedRequirements?: string[] };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  FirstObservedAt?: string;
  LastObservedAt?: string;
  [other: string]: unknown;
}

/** What {@link toAsff} needs besides the evaluation. */
export interface AsffContext {
  /** ISO time of this run. */
  readonly now: string;
  /** Where findings of global (IAM) resources are imported: Security Hub is regional. */
  readonly homeRegion: string;
  readonly ruleReadme: (ruleId: string) => string;
}

const LABEL: Readonly<Record<SeverityLevel, AsffFinding['Severity']['Label']>> = {
  informational: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

const BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';
const TYPE_OF_FRAMEWORK: Readonly<Record<string, string>> = {
  'cis-aws-3.0.0': 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
  'nist-800-53-r5': 'Software and Configuration Checks/Industry and Regulatory Standards/NIST 800-53 Controls',
};

/** The account's default product: the only product a customer's own findings may be imported into. */
export function defaultProductArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

/** `AWS::S3::Bucket` -> `AwsS3Bucket`, the ASFF resource type spelling. */
export function asffResourceType(configType: string): string {
  const [, service = '', resource = ''] = configType.split('::');
  return `Aws${service}${resource}`;
}

/** The prefix of every GeneratorId ward writes (`ward/<rule>`), by which its findings are found again. */
export const GENERATOR_PREFIX = 'ward/';

/**
 * The stable Id of the finding of a rule on a resource: one ASFF finding per rule and resource, as Security
 * Hub keeps one per control and resource, so a second import updates it (FAILED -> PASSED) instead of adding
 * one. The ward/v1 fingerprints of its findings are in ProductFields.
 */
export function asffId(
  ruleId: string,
  account: string,
  region: string,
  resourceType: string,
  resourceId: string,
): string {
  const h = createHash('sha256')
    .update([ruleId, account, region, resourceType, resourceId].join('\u0000'))
    .digest('hex');
  return `ward/v1/${ruleId}/${h.slice(0, 32)}`;
}

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/**
 * The ASFF finding of an evaluation: FAILED for NON_COMPLIANT, PASSED for COMPLIANT; undefined for
 * NOT_APPLICABLE (the importer archives an earlier finding of such a resource). Never sets the customer-owned
 * Workflow, Note or UserDefinedFields.
 */
export function toAsff(se: ScanEvaluation, ctx: AsffContext): AsffFinding | undefined {
  const e = se.evaluation;
  if (e.compliance === Compliance.NOT_APPLICABLE) return undefined;
  const id = se.identity;
  const region = id.region === GLOBAL_REGION || id.region === '' ? ctx.homeRegion : id.region;
  const failed = e.compliance === Compliance.NON_COMPLIANT;
  const controls = [...new Set(se.findings.flatMap((f) => findingControls(se.rule, f.code, e.resourceType)))];
  const types = [BEST_PRACTICES];
  for (const [fw, t] of Object.entries(TYPE_OF_FRAMEWORK))
    if (controls.some((c) => c.startsWith(`${fw}:`))) types.push(t);
  const runbook = se.rule.meta.remediations?.[e.resourceType];
  const readme = ctx.ruleReadme(se.rule.meta.id);
  const suppressed = se.findings.filter((f) => f.suppressed);
  return {
    SchemaVersion: '2018-10-08',
    Id: asffId(se.rule.meta.id, id.accountId, id.region, e.resourceType, e.resourceId),
    ProductArn: defaultProductArn(id.accountId, region),
    GeneratorId: `${GENERATOR_PREFIX}${se.rule.meta.id}`,
    AwsAccountId: id.accountId,
    Region: region,
    Types: types,
    CreatedAt: ctx.now,
    UpdatedAt: ctx.now,
    FirstObservedAt: ctx.now,
    LastObservedAt: ctx.now,
    Severity: { Label: failed ? LABEL[fullSeverity(se) ?? 'informational'] : 'INFORMATIONAL' },
    Title: cut(se.rule.meta.title, 256),
    Description: cut(
      failed ? se.findings.map((f) => `${f.code}: ${f.message}`).join('; ') : e.annotation || 'Compliant.',
      1024,
    ),
    Remediation: {
      Recommendation: {
        Text: cut(
          runbook ? `Runbook ${runbook} (ward respond). ${se.rule.meta.rationale}` : se.rule.meta.rationale,
          512,
        ),
        Url: readme,
      },
    },
    ProductFields: {
      'ward/rule': se.rule.meta.id,
      'ward/resourceId': cut(e.resourceId, 2048),
      ...(failed
        ? {
            'ward/codes': se.findings.map((f) => f.code).join(','),
            'ward/fingerprints': se.findings.map((f) => f.fingerprint).join(','),
          }
        : {}),
      ...(suppressed.length > 0
        ? { 'ward/suppressed': cut(suppressed.map((f) => f.suppressed?.reason).join('; '), 2048) }
        : {}),
    },
    Resources: [
      {
        Type: asffResourceType(e.resourceType),
        Id: id.arn ?? e.resourceId,
        Partition: partitionOf(region),
        Region: region,
      },
    ],
    Compliance: {
      Status: failed ? 'FAILED' : 'PASSED',
      ...(controls.length > 0 ? { RelatedRequirements: controls.slice(0, 32) } : {}),
    },
    RecordState: 'ACTIVE',
  };
}
