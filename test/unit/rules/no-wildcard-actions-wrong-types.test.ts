import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import type { AnyRule } from '../../../rules/runtime';
import { judgeBothForms, MISSING, sampleItem, verdict, withField } from './wrong-types';

const rule = noWildcardActions as AnyRule;
const ROLE = sampleItem('AROAYSAMPLEAPPROLE01');
const USER = sampleItem('AIDAYSAMPLECIUSER001');
const GROUP = sampleItem('AGPAYSAMPLEDEVGROUP1');
const POLICY = sampleItem('ANPAYSAMPLEAPPREAD01');

const U = 'unreadable-configuration';
const M = 'malformed-policy';

/*
 * Every field no-wildcard-actions reads, given a wrong type (or removed): never COMPLIANT, and the finding names
 * the field. The sample items are COMPLIANT as they are (checked first), so each row fails on a rule that reads
 * the field leniently.
 */
describe('no-wildcard-actions on fields of the wrong type', () => {
  it.each([ROLE, USER, GROUP, POLICY])('judges the untouched sample item $resourceId COMPLIANT', async (item) => {
    for (const e of await judgeBothForms(rule, item)) expect(e[0].compliance).toBe('COMPLIANT');
  });

  it.each<[string, Record<string, unknown>, string, unknown, string, string]>([
    [
      'role attachedManagedPolicies true',
      ROLE,
      'configuration.attachedManagedPolicies',
      true,
      U,
      'configuration.attachedManagedPolicies',
    ],
    [
      'role attachedManagedPolicies {}',
      ROLE,
      'configuration.attachedManagedPolicies',
      {},
      U,
      'configuration.attachedManagedPolicies',
    ],
    [
      'role attachedManagedPolicies [null]',
      ROLE,
      'configuration.attachedManagedPolicies',
      [null],
      U,
      'configuration.attachedManagedPolicies[0]',
    ],
    [
      'role attachedManagedPolicies missing',
      ROLE,
      'configuration.attachedManagedPolicies',
      MISSING,
      U,
      'configuration.attachedManagedPolicies',
    ],
    [
      'role attached policyArn a number',
      ROLE,
      'configuration.attachedManagedPolicies',
      [{ policyName: 'x', policyArn: 5 }],
      U,
      'configuration.attachedManagedPolicies[0].policyArn',
    ],
    ['role rolePolicyList a string', ROLE, 'configuration.rolePolicyList', 'x', U, 'configuration.rolePolicyList'],
    ['role rolePolicyList [null]', ROLE, 'configuration.rolePolicyList', [null], U, 'configuration.rolePolicyList[0]'],
    ['role rolePolicyList missing', ROLE, 'configuration.rolePolicyList', MISSING, U, 'configuration.rolePolicyList'],
    [
      'role inline policyDocument null',
      ROLE,
      'configuration.rolePolicyList',
      [{ policyName: 'p', policyDocument: null }],
      M,
      'configuration.rolePolicyList[0].policyDocument',
    ],
    [
      'role inline policyName a list',
      ROLE,
      'configuration.rolePolicyList',
      [{ policyName: ['p'], policyDocument: '%7B%7D' }],
      U,
      'configuration.rolePolicyList[0].policyName',
    ],
    ['user userPolicyList {}', USER, 'configuration.userPolicyList', {}, U, 'configuration.userPolicyList'],
    [
      'user attachedManagedPolicies true',
      USER,
      'configuration.attachedManagedPolicies',
      true,
      U,
      'configuration.attachedManagedPolicies',
    ],
    ['group groupPolicyList true', GROUP, 'configuration.groupPolicyList', true, U, 'configuration.groupPolicyList'],
    [
      'group attachedManagedPolicies [null]',
      GROUP,
      'configuration.attachedManagedPolicies',
      [null],
      U,
      'configuration.attachedManagedPolicies[0]',
    ],
    [
      'policy default document null',
      POLICY,
      'configuration.policyVersionList[1].document',
      null,
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy default document ""',
      POLICY,
      'configuration.policyVersionList[1].document',
      '',
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy default document "null"',
      POLICY,
      'configuration.policyVersionList[1].document',
      'null',
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy default document missing',
      POLICY,
      'configuration.policyVersionList[1].document',
      MISSING,
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy default document a number',
      POLICY,
      'configuration.policyVersionList[1].document',
      42,
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy default document a list',
      POLICY,
      'configuration.policyVersionList[1].document',
      ['x'],
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy default document {}',
      POLICY,
      'configuration.policyVersionList[1].document',
      {},
      M,
      'configuration.policyVersionList[1].document',
    ],
    [
      'policy policyVersionList {}',
      POLICY,
      'configuration.policyVersionList',
      {},
      U,
      'configuration.policyVersionList',
    ],
    [
      'policy policyVersionList missing',
      POLICY,
      'configuration.policyVersionList',
      MISSING,
      U,
      'configuration.policyVersionList',
    ],
    [
      'policy isDefaultVersion a string',
      POLICY,
      'configuration.policyVersionList[1].isDefaultVersion',
      'yes',
      U,
      'configuration.policyVersionList[1].isDefaultVersion',
    ],
    [
      'policy versionId a number',
      POLICY,
      'configuration.policyVersionList[1].versionId',
      1,
      U,
      'configuration.policyVersionList[1].versionId',
    ],
    ['policy policyName an object', POLICY, 'configuration.policyName', {}, U, 'configuration.policyName'],
  ])('%s: NON_COMPLIANT naming the field', async (_name, item, path, value, code, findingPath) => {
    for (const evaluations of await judgeBothForms(rule, withField(item, path, value))) {
      const [compliance, findings] = verdict(evaluations);
      expect(compliance).toBe('NON_COMPLIANT');
      expect(findings).toContainEqual([code, findingPath]);
    }
  });

  it('does not let a permissionsBoundaryUsageCount of the wrong type exempt a policy as boundary-only', async () => {
    const admin = sampleItem('ANPAYSAMPLELEGACYADM');
    const item = withField(
      withField(admin, 'configuration.attachmentCount', 'none'),
      'configuration.permissionsBoundaryUsageCount',
      2,
    );
    for (const e of await judgeBothForms(rule, item)) expect(e[0].compliance).toBe('NON_COMPLIANT');
  });
});
