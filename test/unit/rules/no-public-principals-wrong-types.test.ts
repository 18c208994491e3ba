import { noPublicPrincipals } from '../../../rules/no-public-principals/rule';
import type { AnyRule } from '../../../rules/runtime';
import { judgeBothForms, MISSING, SAMPLE_ITEMS, sampleItem, verdict, withField } from './wrong-types';

const rule = noPublicPrincipals as AnyRule;
const byName = (suffix: string) => {
  const hit = SAMPLE_ITEMS.find((i) => String(i.resourceId).endsWith(suffix));
  if (!hit) throw new Error(suffix);
  return hit;
};
const ROLE = sampleItem('AROAYSAMPLEAPPROLE01');
const BUCKET = sampleItem('ward-sample-app-data-111122223333');
const TOPIC = byName(':npp-default-topic');
const QUEUE = byName('/ward-sample-orders');
const FUNCTION = sampleItem('npp-scoped-trigger-fn');
const DOMAIN = sampleItem('ward-sample-search');

const U = 'unreadable-configuration';
const M = 'malformed-policy';

/*
 * Every field no-public-principals reads, given a wrong type (or removed where Config always records it): never
 * COMPLIANT, and the finding names the field. The untouched sample items are COMPLIANT (checked first).
 */
describe('no-public-principals on fields of the wrong type', () => {
  it.each([ROLE, BUCKET, TOPIC, QUEUE, FUNCTION, DOMAIN])(
    'judges the untouched sample item $resourceId COMPLIANT',
    async (item) => {
      for (const e of await judgeBothForms(rule, item)) expect(e[0].compliance).toBe('COMPLIANT');
    },
  );

  const trust = 'configuration.assumeRolePolicyDocument';
  it.each<[string, Record<string, unknown>, string, unknown, string, string]>([
    ['a role without assumeRolePolicyDocument', ROLE, trust, MISSING, M, trust],
    ['a role whose trust policy is null', ROLE, trust, null, M, trust],
    ['a role whose trust policy is ""', ROLE, trust, '', M, trust],
    ['a role whose trust policy is "null"', ROLE, trust, 'null', M, trust],
    ['a role whose trust policy is a number', ROLE, trust, 7, M, trust],
    ['a role whose trust policy is a list', ROLE, trust, [], M, trust],
    ['a role whose trust policy is {}', ROLE, trust, {}, M, trust],
    [
      'a bucket without BucketPolicy',
      BUCKET,
      'supplementaryConfiguration.BucketPolicy',
      MISSING,
      U,
      'supplementaryConfiguration.BucketPolicy',
    ],
    [
      'a bucket whose BucketPolicy is a number',
      BUCKET,
      'supplementaryConfiguration.BucketPolicy',
      5,
      U,
      'supplementaryConfiguration.BucketPolicy',
    ],
    [
      'a bucket whose BucketPolicy is {}',
      BUCKET,
      'supplementaryConfiguration.BucketPolicy',
      {},
      U,
      'supplementaryConfiguration.BucketPolicy',
    ],
    [
      'a bucket whose policyText is a number',
      BUCKET,
      'supplementaryConfiguration.BucketPolicy',
      { policyText: 3 },
      M,
      'supplementaryConfiguration.BucketPolicy.policyText',
    ],
    [
      'a bucket whose policyText is {}',
      BUCKET,
      'supplementaryConfiguration.BucketPolicy',
      { policyText: {} },
      M,
      'supplementaryConfiguration.BucketPolicy.policyText',
    ],
    [
      'a bucket without AccessControlList',
      BUCKET,
      'supplementaryConfiguration.AccessControlList',
      MISSING,
      U,
      'supplementaryConfiguration.AccessControlList',
    ],
    [
      'a bucket whose ACL is a number',
      BUCKET,
      'supplementaryConfiguration.AccessControlList',
      1,
      U,
      'supplementaryConfiguration.AccessControlList',
    ],
    [
      'a bucket whose ACL has no grants',
      BUCKET,
      'supplementaryConfiguration.AccessControlList',
      '{"owner":{"id":"x"}}',
      U,
      'supplementaryConfiguration.AccessControlList',
    ],
    [
      'a bucket whose grantList is an object',
      BUCKET,
      'supplementaryConfiguration.AccessControlList',
      '{"grantList":{"grantee":"AllUsers"}}',
      U,
      'supplementaryConfiguration.AccessControlList.grantList',
    ],
    ['a topic without Policy', TOPIC, 'configuration.Policy', MISSING, U, 'configuration.Policy'],
    ['a topic whose Policy is null', TOPIC, 'configuration.Policy', null, U, 'configuration.Policy'],
    ['a topic whose Policy is a number', TOPIC, 'configuration.Policy', 12, M, 'configuration.Policy'],
    ['a topic whose Policy is {}', TOPIC, 'configuration.Policy', {}, U, 'configuration.Policy'],
    ['a queue whose Policy is a list', QUEUE, 'configuration.Policy', ['x'], M, 'configuration.Policy'],
    ['a queue whose Policy is true', QUEUE, 'configuration.Policy', true, M, 'configuration.Policy'],
    [
      'a function whose Policy is a number',
      FUNCTION,
      'supplementaryConfiguration.Policy',
      9,
      M,
      'supplementaryConfiguration.Policy',
    ],
    [
      'a function whose Policy is {}',
      FUNCTION,
      'supplementaryConfiguration.Policy',
      {},
      M,
      'supplementaryConfiguration.Policy',
    ],
    [
      'a domain whose AccessPolicies is a number',
      DOMAIN,
      'configuration.AccessPolicies',
      4,
      M,
      'configuration.AccessPolicies',
    ],
  ])('%s: NON_COMPLIANT naming the field', async (_name, item, path, value, code, findingPath) => {
    for (const evaluations of await judgeBothForms(rule, withField(item, path, value))) {
      const [compliance, findings] = verdict(evaluations);
      expect(compliance).toBe('NON_COMPLIANT');
      expect(findings).toContainEqual([code, findingPath]);
    }
  });

  it.each([
    ['[] (event form)', []],
    ['"[]" (API form)', '[]'],
  ])('reports a Lambda supplementaryConfiguration that is %s as unreadable, never COMPLIANT', async (_n, value) => {
    const [evaluations] = await judgeBothForms(rule, withField(FUNCTION, 'supplementaryConfiguration', value));
    expect(verdict(evaluations)).toEqual(['NON_COMPLIANT', [[U, 'supplementaryConfiguration']]]);
  });
});
