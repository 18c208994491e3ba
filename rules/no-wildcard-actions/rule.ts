import { parsePolicy, statementLabel } from '../policy/document';
import { managedPolicyVerdict } from '../policy/managed-policy-catalogue';
import {
  compliant,
  defineRule,
  exemptionParameters,
  type Finding,
  flag,
  nonCompliant,
  notApplicable,
  type SeverityLevel,
  stringList,
} from '../runtime';
import { analysePolicyDocument, describeGrant, isAdminKind, type StatementFinding, WildcardCode } from './analyse';
import { GATHER_PERMISSIONS, gatherManagedPolicies, type NoWildcardFacts } from './gather';
import { IamType, isBoundaryOnly, itemPolicies } from './sources';
import * as z from '../runtime/zod-mini';
import { CONTROLS } from './controls';

const parameters = z.object({
  allowedServiceWildcards: stringList(
    'Services whose "service:*" on every resource is accepted (e.g. "cloudwatch,logs"); sensitive actions of ' +
      'those services are then accepted too.',
  ),
  exemptPolicyArns: stringList(
    'Policy ARNs not judged: a customer-managed policy is NOT_APPLICABLE, an attached policy is ignored.',
  ),
  excludePermissionBoundaryPolicies: flag(
    true,
    'A managed policy used only as a permissions boundary (it grants nothing) is NOT_APPLICABLE.',
  ),
  ...exemptionParameters,
});

/** The parsed parameters of no-wildcard-actions. */
export type NoWildcardActionsParams = z.output<typeof parameters>;

function severityOf(f: StatementFinding): SeverityLevel {
  if (isAdminKind(f.kind)) return 'critical';
  return f.kind === 'sensitive-wildcard' ? 'high' : 'medium';
}

function statementFindings(label: string, path: string, raw: unknown, params: NoWildcardActionsParams): Finding[] {
  // An identity policy document is always there: a missing or null one is malformed, not "grants nothing".
  const parsed = parsePolicy(raw, { required: true });
  if (!parsed.ok) {
    return [{ code: WildcardCode.MALFORMED_POLICY, message: `${label} is malformed: ${parsed.error}`, path }];
  }
  return analysePolicyDocument(parsed.document, params).map((f) => ({
    code: f.code,
    message: `${label} ${statementLabel(f.statement)} ${describeGrant(f)}`,
    path: `${path}.Statement[${f.statement.index}]`,
    severity: severityOf(f),
  }));
}

function attachedFindings(
  attached: ReturnType<typeof itemPolicies>['attached'],
  params: NoWildcardActionsParams,
  facts: NoWildcardFacts | undefined,
  unchecked: string[],
): Finding[] {
  const findings: Finding[] = [];
  for (const policy of attached) {
    if (params.exemptPolicyArns.includes(policy.arn)) continue;
    const verdict = managedPolicyVerdict(policy.arn);
    // Customer-managed policies are judged by their own AWS::IAM::Policy items, not once per attachment.
    if (verdict.kind === 'not-aws-managed') continue;
    let admin: string | undefined;
    if (verdict.kind === 'known') {
      admin = verdict.admin;
    } else {
      const fetched = facts?.fetched[policy.arn];
      if (!fetched) {
        unchecked.push(`${policy.name} (${facts?.unchecked[policy.arn] ?? 'not in the bundled catalogue'})`);
        continue;
      }
      const parsed = parsePolicy(fetched.document, { required: true });
      if (!parsed.ok) {
        findings.push({
          code: WildcardCode.MALFORMED_POLICY,
          message: `attached AWS-managed policy ${policy.name} is malformed: ${parsed.error}`,
          path: policy.path,
        });
        continue;
      }
      admin = analysePolicyDocument(parsed.document).find((f) => isAdminKind(f.kind))?.kind;
    }
    if (admin) {
      findings.push({
        code: WildcardCode.ATTACHED_ADMIN_POLICY,
        message: `attached AWS-managed policy ${policy.name} grants administrator access (${admin})`,
        path: policy.path,
        severity: 'critical',
      });
    }
  }
  return findings;
}

/**
 * `no-wildcard-actions`: identity policies (managed policy default versions, inline policies of roles, users
 * and groups, attached AWS-managed policies) grant no wildcard permissions on every resource.
 */
export const noWildcardActions = defineRule({
  meta: {
    id: 'no-wildcard-actions',
    title: 'IAM identity policies grant no wildcard permissions on every resource',
    rationale:
      'A wildcard on every resource grants far more than intended, including actions AWS adds later; ' +
      'permissions-management wildcards and iam:PassRole let an identity grant itself anything.',
    severity: 'high',
    resourceTypes: [IamType.POLICY, IamType.ROLE, IamType.USER, IamType.GROUP],
    trigger: { onChange: true },
    parameters,
    controls: CONTROLS,
    permissions: [...GATHER_PERMISSIONS],
    global: true,
    findingCodes: {
      [WildcardCode.FULL_ADMIN]: {
        description: 'Allow Action "*" (or "*:*") on every resource.',
        severity: 'critical',
      },
      [WildcardCode.NOT_ACTION_ALLOW]: {
        description: 'Allow with NotAction on every resource: everything except a list.',
        severity: 'critical',
      },
      [WildcardCode.SERVICE_WILDCARD]: { description: 'Allow "service:*" on every resource.', severity: 'medium' },
      [WildcardCode.SENSITIVE_WILDCARD]: {
        description: 'Allow a wildcard matching "Permissions management" actions or iam:PassRole on every resource.',
        severity: 'high',
      },
      [WildcardCode.ADMIN_EQUIVALENT]: {
        description:
          'Allow iam:* (or every action of a set that lets a principal grant itself anything: the put-policy ' +
          'actions, the attach-policy actions, or iam:CreatePolicyVersion) on every resource: administrator-equivalent.',
        severity: 'critical',
      },
      // Case-dependent: the finding carries the severity of the grant it excepts (critical at most).
      [WildcardCode.NOT_RESOURCE_ALLOW]: {
        description: 'One of the grants above on every resource except a NotResource list.',
        severity: 'critical',
      },
      [WildcardCode.ATTACHED_ADMIN_POLICY]: {
        description: 'An attached AWS-managed policy grants administrator access.',
        severity: 'critical',
      },
      [WildcardCode.MALFORMED_POLICY]: {
        description: 'A policy document that cannot be decoded (not judged, so not compliant).',
        severity: 'high',
      },
    },
  },
  gather: (item, ctx, params) => gatherManagedPolicies(item, ctx, params.exemptPolicyArns),
  evaluate({ item, params, facts }) {
    if (item.resourceType === IamType.POLICY) {
      if (item.arn && params.exemptPolicyArns.includes(item.arn)) {
        return [notApplicable(item, `Exempt: ${item.arn} is listed in exemptPolicyArns.`)];
      }
      if (params.excludePermissionBoundaryPolicies && isBoundaryOnly(item)) {
        return [notApplicable(item, 'The policy is used only as a permissions boundary, which grants nothing.')];
      }
    }
    const { documents, attached, problems } = itemPolicies(item);
    const findings: Finding[] = problems.map((p) => ({
      code: WildcardCode.MALFORMED_POLICY,
      message: p.message,
      path: p.path,
    }));
    for (const doc of documents) findings.push(...statementFindings(doc.label, doc.path, doc.document, params));
    const unchecked: string[] = [];
    findings.push(...attachedFindings(attached, params, facts, unchecked));
    if (findings.length > 0) {
      return [nonCompliant(item, findings as [Finding, ...Finding[]], { ruleSeverity: 'high' })];
    }
    const scope = `${documents.length} polic${documents.length === 1 ? 'y' : 'ies'}`;
    const judged = `No wildcard grants on every resource in ${scope}${attached.length > 0 ? ' or attached AWS-managed policies' : ''}.`;
    // What could not be read goes first so the 256-character annotation never cuts it off.
    if (unchecked.length > 0) return [compliant(item, `Not checked: ${unchecked.join('; ')}. ${judged}`)];
    return [compliant(item, judged)];
  },
});
