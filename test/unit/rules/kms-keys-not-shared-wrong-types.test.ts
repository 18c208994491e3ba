import { kmsKeysNotShared } from '../../../rules/kms-keys-not-shared/rule';
import type { AnyRule } from '../../../rules/runtime';
import { judgeBothForms, MISSING, SAMPLE_ITEMS, verdict, withField } from './wrong-types';

const rule = kmsKeysNotShared as AnyRule;
const KEY = SAMPLE_ITEMS.find((i) => i.resourceId === '3f1c9a52-7b2e-4d8a-9c61-5e0f2b7d4a18') as Record<
  string,
  unknown
>;
const POLICY = 'supplementaryConfiguration.Policy';

/*
 * The fields kms-keys-not-shared reads (the key policy; keyManager decides AWS-managed keys): a key policy of
 * the wrong type or empty is never an empty policy that shares nothing.
 */
describe('kms-keys-not-shared on fields of the wrong type', () => {
  it('judges the untouched sample key COMPLIANT (grants are not in items)', async () => {
    for (const e of await judgeBothForms(rule, KEY)) expect(e[0].compliance).toBe('COMPLIANT');
  });

  it.each<[string, unknown, string]>([
    ['missing', MISSING, 'key-policy-unavailable'],
    ['null', null, 'key-policy-unavailable'],
    ['""', '', 'key-policy-unavailable'],
    ['"null"', 'null', 'key-policy-unavailable'],
    ['a number', 5, 'malformed-policy'],
    ['a list', [], 'malformed-policy'],
    ['{}', {}, 'malformed-policy'],
    ['text that is not JSON', 'policy', 'malformed-policy'],
  ])('a key policy that is %s is NON_COMPLIANT %s', async (_n, value, code) => {
    for (const evaluations of await judgeBothForms(rule, withField(KEY, POLICY, value))) {
      expect(verdict(evaluations)).toEqual(['NON_COMPLIANT', [[code, POLICY]]]);
    }
  });

  it.each([
    ['a number', 1],
    ['a list', ['AWS']],
    ['missing', MISSING],
  ])('a keyManager that is %s does not make the key AWS-managed (it is judged)', async (_n, value) => {
    for (const e of await judgeBothForms(rule, withField(KEY, 'configuration.keyManager', value))) {
      expect(e[0].compliance).not.toBe('NOT_APPLICABLE');
    }
  });
});
