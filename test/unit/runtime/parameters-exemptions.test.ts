import { noPublicPrincipals } from '../../../rules/no-public-principals/rule';
import {
  closestName,
  exemptionReason,
  normalizeConfigurationItem,
  parseRuleParameters,
  RuleParametersError,
} from '../../../rules/runtime';

const item = (tags: Record<string, string>) =>
  normalizeConfigurationItem({
    resourceType: 'AWS::SNS::Topic',
    resourceId: 'arn:aws:sns:us-east-1:111122223333:t',
    awsAccountId: '111122223333',
    awsRegion: 'us-east-1',
    configurationItemStatus: 'OK',
    configuration: {},
    tags,
  });

describe('tag-based exemptions', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'constructor=x'])(
    'exemptTag "%s" exempts nothing on a resource without that tag (no inherited member matches)',
    (exemptTag) => {
      expect(exemptionReason({ exemptTag }, item({ env: 'prod' }))).toBeUndefined();
    },
  );

  it('matches a real tag key, with or without a value', () => {
    expect(exemptionReason({ exemptTag: 'ward:exempt' }, item({ 'ward:exempt': '' }))).toMatch(/tagged ward:exempt/);
    expect(exemptionReason({ exemptTag: 'env=prod' }, item({ env: 'prod' }))).toMatch(/tagged env=prod/);
    expect(exemptionReason({ exemptTag: 'env=dev' }, item({ env: 'prod' }))).toBeUndefined();
  });

  it('matches a tag literally named "constructor" when the resource has it', () => {
    expect(exemptionReason({ exemptTag: 'constructor' }, item({ constructor: 'x' }))).toMatch(/tagged constructor/);
  });

  it('compares tag keys case-sensitively, as AWS does', () => {
    expect(exemptionReason({ exemptTag: 'Ward:Exempt' }, item({ 'ward:exempt': 'true' }))).toBeUndefined();
    expect(exemptionReason({ exemptTag: 'env=Prod' }, item({ env: 'prod' }))).toBeUndefined();
  });
});

describe('rule parameters are checked', () => {
  const schema = noPublicPrincipals.meta.parameters;
  const parse = (raw: unknown) => () => parseRuleParameters(schema, raw, 'no-public-principals');

  it('rejects a mistyped name, naming the intended one', () => {
    expect(parse({ trustedAcountIds: '123456789012' })).toThrow(
      'rule no-public-principals: invalid parameters: unknown parameter "trustedAcountIds" (did you mean "trustedAccountIds"?)',
    );
  });

  it('rejects an unknown name with no close match, without a hint', () => {
    expect(parse({ colour: 'blue' })).toThrow(/unknown parameter "colour"$/);
  });

  it.each([
    ['a list of numbers', { trustedAccountIds: [123456789012] }, /trustedAccountIds/],
    ['a number for a tag', { exemptTag: 5 }, /exemptTag/],
    ['an account id that is not 12 digits', { trustedAccountIds: '1234' }, /12 digits/],
    ['a JSON array instead of an object', [], /\(root\)/],
    ['JSON text that is not JSON', '{trustedAccountIds:', /not valid JSON/],
  ])('rejects %s, naming the parameter', (_n, raw, problem) => {
    expect(parse(raw)).toThrow(RuleParametersError);
    expect(parse(raw)).toThrow(problem);
  });

  it('reports every problem at once', () => {
    expect(parse({ exemptTagg: 'x', exemptTag: 5 })).toThrow(/exemptTagg.*; exemptTag/);
  });
});

describe('closestName', () => {
  it.each([
    ['trustedAcountIds', 'trustedAccountIds'],
    ['no-wildcard-action', 'no-wildcard-actions'],
    ['exempttag', 'exemptTag'],
    ['zzz', undefined],
  ])('suggests %s -> %s', (name, expected) => {
    expect(closestName(name, ['trustedAccountIds', 'exemptTag', 'no-wildcard-actions'])).toBe(expected);
  });
});
