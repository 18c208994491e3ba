import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { deepFreeze } from './no-wildcard-actions.fixtures';

const fragment = deepFreeze(
  JSON.parse(
    readFileSync(
      join(__dirname, '..', '..', '..', 'examples', 'sample-account', '10-no-wildcard-actions.json'),
      'utf8',
    ),
  ) as Record<string, unknown>[],
);
const params = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);

describe('the no-wildcard-actions sample fragment', () => {
  it.each([
    ['ward-sample-ops-everything', 'NON_COMPLIANT', ['full-admin']],
    ['ward-sample-deploy-artifacts', 'COMPLIANT', []],
    ['ward-sample-developer-boundary', 'NOT_APPLICABLE', []],
    ['ward-sample-ci-deployer', 'NON_COMPLIANT', ['sensitive-wildcard', 'sensitive-wildcard', 'service-wildcard']],
    ['ward-sample-breakglass', 'NON_COMPLIANT', ['attached-admin-policy']],
    ['ward-sample-report-reader', 'COMPLIANT', []],
    ['ward-sample-contractor', 'NON_COMPLIANT', ['not-action-allow']],
    ['ward-sample-auditor-user', 'COMPLIANT', []],
    ['ward-sample-ops', 'NON_COMPLIANT', ['attached-admin-policy']],
    ['ward-sample-support', 'COMPLIANT', []],
  ])('judges %s %s with %j', (name, compliance, codes) => {
    const raw = fragment.find((i) => i.resourceName === name);
    if (!raw) throw new Error(`${name} is not in the fragment`);
    const [e] = evaluateWithFacts(noWildcardActions, normalizeConfigurationItem(raw), params, undefined);
    expect(e.compliance).toBe(compliance);
    expect(e.findings.map((f) => f.code)).toEqual(codes);
  });

  it('holds only URL-encoded policy documents, as Config delivers them', () => {
    const text = JSON.stringify(fragment);
    expect(text).not.toMatch(/"(document|policyDocument|assumeRolePolicyDocument)":"\{/);
    expect(fragment).toHaveLength(10);
  });
});
