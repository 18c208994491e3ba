/**
 * Effective grants (rules/policy/effective.ts): the quick screen no-privilege-escalation runs before asking for
 * the grants of each action of its table must never hide a grant.
 */
import fc from 'fast-check';
import { type PolicyDocument, parsePolicy } from '../../../rules/policy/document';
import { type PrincipalPolicies, allowScreen, effectiveGrants } from '../../../rules/policy/effective';

function policiesOf(...statements: Record<string, unknown>[]): PrincipalPolicies {
  const parsed = parsePolicy({ Version: '2012-10-17', Statement: statements });
  if (!parsed.ok) throw new Error(parsed.error);
  const document: PolicyDocument = parsed.document;
  return { identity: [{ label: 'inline policy "p"', path: 'p', document }], boundary: [] };
}

const ACTIONS = ['iam:PassRole', 'IAM:CreateAccessKey', 'lambda:CreateFunction', 'ec2:RunInstances', 's3:GetObject'];

describe('allowScreen', () => {
  it.each([
    [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, 'iam:PassRole', false],
    [{ Effect: 'Allow', Action: ['s3:*', 'IAM:Pass*'], Resource: '*' }, 'iam:PassRole', true],
    [{ Effect: 'Allow', Action: 'i?m:PassRole', Resource: '*' }, 'iam:PassRole', true],
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, 'lambda:CreateFunction', true],
    [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }, 'iam:PassRole', true],
    [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }, 'iam:PassRole', false],
  ])('screens %j for %s: %s', (statement, action, expected) => {
    expect(allowScreen(policiesOf(statement))(action)).toBe(expected);
  });

  it('never screens out an action that has an effective grant', () => {
    const service = fc.constantFrom('iam', 'IAM', 'i*', 'la?bda', 'lambda', 'ec2', 's3', '*', 'sts');
    const name = fc.constantFrom('*', 'Pass*', 'PassRole', 'Create*', 'RunInstances', 'GetObject', '?etObject');
    const pattern = fc.oneof(
      fc.tuple(service, name).map(([s, n]) => `${s}:${n}`),
      fc.constantFrom('*', 'iam', 'nocolon*'),
    );
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.array(pattern, { minLength: 1, maxLength: 3 }),
      Resource: fc.constantFrom('*', 'arn:aws:iam::111122223333:role/ops'),
    });
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), (statements) => {
        const policies = policiesOf(...statements);
        const may = allowScreen(policies);
        for (const action of ACTIONS) {
          if (!may(action)) expect(effectiveGrants(policies, action)).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('effectiveGrants on documents asked again (answers are kept beside each document)', () => {
  const statements = [
    { Effect: 'Allow', Action: ['iam:*', 's3:Get*'], Resource: '*' },
    { Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::111122223333:user/admin' },
    { Effect: 'Allow', NotAction: 'ec2:*', Resource: 'arn:aws:lambda:*:*:function:*' },
  ];

  it('gives the same grants as a fresh copy of the document, also after more actions than it remembers', () => {
    const policies = policiesOf(...statements);
    const asked = [...ACTIONS, ...Array.from({ length: 300 }, (_, n) => `svc${n}:Action${n}`)];
    const first = asked.map((a) => effectiveGrants(policies, a));
    const again = asked.map((a) => effectiveGrants(policies, a));
    const fresh = asked.map((a) => effectiveGrants(policiesOf(...statements), a));
    expect(again).toEqual(first);
    expect(fresh).toEqual(first);
    expect(effectiveGrants(policies, 'IAM:CreateAccessKey').map((g) => g.resource)).toEqual([
      '*',
      'arn:aws:lambda:*:*:function:*',
    ]);
  });
});
