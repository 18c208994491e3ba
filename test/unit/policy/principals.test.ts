import { parsePolicy } from '../../../rules/policy/document';
import {
  classifyPrincipal,
  isTrustedAccount,
  isTrustedOrganization,
  listPrincipals,
  parseArn,
  principalLabel,
  principalTrust,
  type PrincipalType,
} from '../../../rules/policy/principals';

const OWNER = '111122223333';
const trust = Object.freeze({
  ownerAccountId: OWNER,
  trustedAccountIds: Object.freeze(['444455556666']),
  trustedOrganizationIds: Object.freeze(['o-abcdefghij']),
});

describe('classifyPrincipal', () => {
  it.each<[string, PrincipalType, string, string, string | undefined]>([
    ['Principal "*" is anyone', '*', '*', 'anyone', undefined],
    ['{"AWS": "*"} is anyone', 'AWS', '*', 'anyone', undefined],
    ['an AWS ARN with a wildcard account is anyone', 'AWS', 'arn:aws:iam::*:root', 'anyone', undefined],
    ['{"Service": "*"} is anyone', 'Service', '*', 'anyone', undefined],
    ['a bare account id is an account', 'AWS', '999988887777', 'account', '999988887777'],
    ['an account root ARN is an account', 'AWS', 'arn:aws:iam::999988887777:root', 'account', '999988887777'],
    ['a GovCloud root ARN is an account', 'AWS', 'arn:aws-us-gov:iam::999988887777:root', 'account', '999988887777'],
    [
      'a role ARN is an identity of its account',
      'AWS',
      'arn:aws:iam::999988887777:role/path/app',
      'identity',
      '999988887777',
    ],
    [
      'a user ARN is an identity of its account',
      'AWS',
      'arn:aws:iam::999988887777:user/alice',
      'identity',
      '999988887777',
    ],
    [
      'an assumed-role session is an identity',
      'AWS',
      'arn:aws:sts::999988887777:assumed-role/r/s',
      'identity',
      '999988887777',
    ],
    ['a service principal is a service', 'Service', 's3.amazonaws.com', 'service', undefined],
    [
      'an OIDC provider ARN is a web identity of its account',
      'Federated',
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      'web-identity',
      '111122223333',
    ],
    [
      'Cognito is a web identity without account',
      'Federated',
      'cognito-identity.amazonaws.com',
      'web-identity',
      undefined,
    ],
    [
      'a SAML provider ARN is SAML',
      'Federated',
      'arn:aws:iam::111122223333:saml-provider/Okta',
      'saml',
      '111122223333',
    ],
    ['a 64-hex id is a canonical user', 'CanonicalUser', 'a'.repeat(64), 'canonical-user', undefined],
    [
      'a CloudFront OAI ARN is an origin access identity',
      'AWS',
      'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE',
      'cloudfront-oai',
      undefined,
    ],
    ['a role unique id left by a deleted role is a unique id', 'AWS', 'AROAJ2UCCR6DPCEXAMPLE', 'unique-id', undefined],
    ['an ARN of another service is unknown', 'AWS', 'arn:aws:s3:::bucket', 'unknown', undefined],
    ['free text is unknown', 'AWS', 'someone', 'unknown', undefined],
  ])('%s', (_name, type, value, kind, accountId) => {
    const p = classifyPrincipal(type, value);
    expect(p.kind).toBe(kind);
    expect(p.accountId).toBe(accountId);
  });

  it('takes the provider host of an OIDC provider as its condition-key prefix', () => {
    const p = classifyPrincipal(
      'Federated',
      'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC',
    );
    expect(p.provider).toBe('oidc.eks.eu-west-1.amazonaws.com/id/ABC');
  });
});

describe('listPrincipals', () => {
  it('lists every entry of a normalised Principal, in document order', () => {
    const r = parsePolicy({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::999988887777:root', '*'], Service: 'sns.amazonaws.com' },
          Action: '*',
          Resource: '*',
        },
      ],
    });
    if (!r.ok) throw new Error(r.error);
    expect(listPrincipals(r.document.statements[0].principals).map((p) => [p.type, p.kind])).toEqual([
      ['AWS', 'account'],
      ['AWS', 'anyone'],
      ['Service', 'service'],
    ]);
  });

  it('returns nothing for a statement without Principal', () => {
    expect(listPrincipals(undefined)).toEqual([]);
  });
});

describe('trust', () => {
  it.each([
    ['the owner account', OWNER, true],
    ['a trusted account', '444455556666', true],
    ['another account', '999988887777', false],
  ])('judges %s', (_n, id, expected) => {
    expect(isTrustedAccount(id, trust)).toBe(expected);
  });

  it('compares organization ids case-insensitively', () => {
    expect(isTrustedOrganization('O-ABCDEFGHIJ', trust)).toBe(true);
    expect(isTrustedOrganization('o-zzzzzzzzzz', trust)).toBe(false);
  });

  it.each<[string, PrincipalType, string, boolean | undefined]>([
    ['the owner root is trusted', 'AWS', `arn:aws:iam::${OWNER}:root`, true],
    ['a role of a trusted account is trusted', 'AWS', 'arn:aws:iam::444455556666:role/x', true],
    ['a role of another account is not trusted', 'AWS', 'arn:aws:iam::999988887777:role/x', false],
    ['an unknown principal is not trusted', 'AWS', 'someone', false],
    ['anyone depends on conditions', '*', '*', undefined],
    ['a service depends on conditions', 'Service', 'sqs.amazonaws.com', undefined],
    ['a deleted principal (unique id) grants no one', 'AWS', 'AIDAJQABLZS4A3QDU576Q', true],
  ])('%s', (_n, type, value, expected) => {
    expect(principalTrust(classifyPrincipal(type, value), trust)).toBe(expected);
  });
});

describe('helpers', () => {
  it('parses ARNs whose resource part holds colons', () => {
    expect(parseArn('arn:aws:sns:us-east-1:111122223333:topic:extra')).toEqual({
      partition: 'aws',
      service: 'sns',
      region: 'us-east-1',
      account: '111122223333',
      resource: 'topic:extra',
    });
    expect(parseArn('not-an-arn')).toBeUndefined();
  });

  it('labels principals with their type and a bounded value', () => {
    expect(principalLabel(classifyPrincipal('*', '*'))).toBe('"*"');
    expect(principalLabel(classifyPrincipal('Service', 's3.amazonaws.com'))).toBe('Service "s3.amazonaws.com"');
    expect(
      principalLabel(classifyPrincipal('AWS', `arn:aws:iam::${OWNER}:role/${'x'.repeat(200)}`)).length,
    ).toBeLessThan(100);
  });
});
