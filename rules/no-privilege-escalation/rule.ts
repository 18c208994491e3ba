import { statementLabel } from '../policy/document';
import { effectiveAdmin } from '../policy/effective';
import { IamResourceType, isBoundaryOnlyPolicy, readPrincipalItem } from '../policy/principal-item';
import {
  compliant,
  defineRule,
  exemptionParameters,
  type Finding,
  flag,
  nonCompliant,
  notApplicable,
  stringList,
} from '../runtime';
import * as z from '../runtime/zod-mini';
import { type EscalationFacts, assemble, principalArn } from './assemble';
import { EscalationCode, type EscalationCodeType, FAMILY_CODE, FINDING_CODES } from './codes';
import { CONTROLS } from './controls';
import { GATHER_PERMISSIONS, gatherEscalationFacts } from './gather';
import { type MethodMatch, matchMethods } from './match';

const parameters = z.object({
  exemptMethods: stringList(
    'Escalation method ids not reported (e.g. "update-lambda-code"), for methods an account accepts by design.',
  ),
  excludePermissionBoundaryPolicies: flag(
    true,
    'A managed policy used only as a permissions boundary (it grants nothing) is NOT_APPLICABLE.',
  ),
  ...exemptionParameters,
});

/** The parsed parameters of no-privilege-escalation. */
export type NoPrivilegeEscalationParams = z.output<typeof parameters>;

function finding(code: EscalationCodeType, message: string, path?: string): Finding {
  return { code, message, severity: FINDING_CODES[code].severity, ...(path ? { path } : {}) };
}

function describeMatch(m: MethodMatch): string {
  const sources = [...new Set(m.grants.map((g) => g.source.label))].join(', ');
  const conditional = m.grants.some((g) => g.conditional) ? ' (conditional)' : '';
  const through = m.passedRole ? ` on ${m.passedRole.arn}, which is privileged: ${m.passedRole.why}` : '';
  return `can escalate by ${m.method.name} [${m.method.id}]: ${m.method.actions.join(' + ')} allowed${through} through ${sources}${conditional}. ${m.method.description}`;
}

/**
 * `no-privilege-escalation`: no IAM principal (role, user, group) or customer-managed policy has effective
 * permissions that amount to administrator access, directly or through a known escalation method.
 */
export const noPrivilegeEscalation = defineRule({
  meta: {
    id: 'no-privilege-escalation',
    title: 'IAM principals cannot escalate their own privileges',
    rationale:
      'An attacker needs no wildcard: iam:CreatePolicyVersion on every policy, or iam:PassRole with ' +
      'lambda:CreateFunction, is administrator access in two steps.',
    severity: 'critical',
    resourceTypes: [IamResourceType.POLICY, IamResourceType.ROLE, IamResourceType.USER, IamResourceType.GROUP],
    trigger: { onChange: true },
    parameters,
    permissions: [...GATHER_PERMISSIONS],
    global: true,
    findingCodes: FINDING_CODES,
    controls: CONTROLS,
  },
  gather: (item, ctx) => gatherEscalationFacts(item, ctx),
  evaluate({ item, params, facts }) {
    if (params.excludePermissionBoundaryPolicies && isBoundaryOnlyPolicy(item)) {
      return [notApplicable(item, 'The policy is used only as a permissions boundary, which grants nothing.')];
    }
    const read = readPrincipalItem(item);
    const { policies, self, problems } = assemble(principalArn(item), read, facts as EscalationFacts | undefined);
    const findings: Finding[] = read.problems.map((p) => finding(p.code, p.message, p.path));
    for (const p of problems) findings.push(finding(p.code, p.message, p.path));
    const admin = effectiveAdmin(policies);
    if (admin) {
      const conditional = admin.statement.conditional ? ' (conditional)' : '';
      const less =
        admin.denied > 0 ? `, less what ${admin.denied} Deny statement${admin.denied === 1 ? '' : 's'} remove` : '';
      findings.push(
        finding(
          EscalationCode.EFFECTIVE_ADMIN,
          `${admin.source.label}${admin.source.equivalent ? '' : ` ${statementLabel(admin.statement)}`} allows every action on every resource${less}${conditional}`,
          admin.source.path.endsWith('Document') || admin.source.path.endsWith('document')
            ? `${admin.source.path}.Statement[${admin.statement.index}]`
            : admin.source.path,
        ),
      );
    } else {
      const privilegedRoles = (facts as EscalationFacts | undefined)?.privilegedRoles ?? {};
      for (const m of matchMethods(policies, { self, privilegedRoles })) {
        if (params.exemptMethods.includes(m.method.id)) continue;
        findings.push(finding(FAMILY_CODE[m.method.family], describeMatch(m), m.grants[0]?.source.path));
      }
    }
    if (findings.length > 0) {
      return [nonCompliant(item, findings as [Finding, ...Finding[]], { ruleSeverity: 'critical' })];
    }
    const counted = policies.identity.length;
    const boundary = policies.boundary.length > 0 ? ', capped by its permissions boundary' : '';
    return [
      compliant(
        item,
        `No escalation path in the effective permissions of ${counted} polic${counted === 1 ? 'y' : 'ies'}${boundary}.`,
      ),
    ];
  },
});
