import {
  analyzeConditions,
  type ConditionAnalysis,
  isNarrowSourceIp,
  parseOperator,
  positiveConditions,
  scopeTrust,
} from '../../../rules/policy/conditions';
import type { ConditionBlock } from '../../../rules/policy/document';

const A = '111122223333';
const B = '999988887777';
const ORG = 'o-abcdefghij';

/** Condition blocks as parsePolicy normalises them (values always arrays of strings). */
function block(raw: Record<string, Record<string, string | string[]>>): ConditionBlock {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, keys] of Object.entries(raw)) {
    out[op] = {};
    for (const [k, v] of Object.entries(keys)) out[op][k] = Array.isArray(v) ? v : [v];
  }
  return Object.freeze(out);
}

describe('analyzeConditions: what restricts', () => {
  it.each<[string, Record<string, Record<string, string | string[]>>, Partial<ConditionAnalysis>]>([
    ['a fixed aws:SourceOwner (any key case)', { StringEquals: { 'AWS:SourceOwner': A } }, { by: ['AWS:SourceOwner'] }],
    ['a fixed aws:SourceAccount', { StringEquals: { 'aws:SourceAccount': A } }, { by: ['aws:SourceAccount'] }],
    ['a fixed aws:SourceArn', { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::bucket` } }, { by: ['aws:SourceArn'] }],
    ['a fixed aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, { by: ['aws:SourceVpce'] }],
    ['a fixed aws:SourceVpc', { StringEquals: { 'aws:sourcevpc': 'vpc-1a2b3c4d' } }, { by: ['aws:sourcevpc'] }],
    ['a fixed aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': ORG } }, { by: ['aws:PrincipalOrgID'] }],
    [
      'a fixed aws:PrincipalAccount',
      { StringEquals: { 'aws:PrincipalAccount': [A, B] } },
      { by: ['aws:PrincipalAccount'] },
    ],
    [
      'an aws:PrincipalArn with a wildcard only in the resource part',
      { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/app-*` } },
      { by: ['aws:PrincipalArn'] },
    ],
    ['a fixed aws:userid', { StringEquals: { 'aws:userid': 'AIDAJQABLZS4A3QDU576Q' } }, { by: ['aws:userid'] }],
    ['a /24 aws:SourceIp', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { by: ['aws:SourceIp'] }],
    [
      'ForAnyValue:StringEquals on a single-valued key (as the plain operator)',
      { 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgID': ORG } },
      { by: ['aws:PrincipalOrgID'] },
    ],
    [
      'aws:PrincipalOrgPaths with a fixed organization and a wildcard below it',
      { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${ORG}/r-ab12/ou-ab12-11111111/*` } },
      { by: ['aws:PrincipalOrgPaths'] },
    ],
  ])('restricts: %s', (_n, raw, expected) => {
    const a = analyzeConditions(block(raw));
    expect(a.restricted).toBe(true);
    expect(a).toMatchObject(expected);
    expect(a.ignored).toEqual([]);
  });

  it.each<[string, Record<string, Record<string, string | string[]>>, string]>([
    ['StringLike with * in aws:PrincipalOrgID', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, 'has a wildcard'],
    ['StringEqualsIfExists', { StringEqualsIfExists: { 'aws:SourceAccount': A } }, 'IfExists'],
    [
      'ForAllValues on a single-valued key',
      { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': ORG } },
      'ForAllValues',
    ],
    ['a negative operator', { StringNotEquals: { 'aws:SourceAccount': A } }, 'does not limit'],
    ['aws:SourceIp 0.0.0.0/0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, 'overly broad'],
    ['aws:SourceIp ::/0', { IpAddress: { 'aws:SourceIp': '::/0' } }, 'overly broad'],
    [
      'one broad range among narrow ones',
      { IpAddress: { 'aws:SourceIp': ['10.0.0.0/16', '0.0.0.0/1'] } },
      'overly broad',
    ],
    ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/16' } }, 'does not limit'],
    ['a policy variable', { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalAccount}' } }, 'policy variable'],
    [
      'a wildcard account in aws:PrincipalArn',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } },
      'account field',
    ],
    ['a wildcard aws:SourceVpce', { StringLike: { 'aws:SourceVpce': 'vpce-*' } }, 'has a wildcard'],
    ['aws:userid with a role-session wildcard', { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } }, 'has a wildcard'],
    ['an account id that is not 12 digits', { StringEquals: { 'aws:SourceAccount': '1234' } }, '12-digit'],
  ])('does not restrict: %s', (_n, raw, reason) => {
    const a = analyzeConditions(block(raw));
    expect(a.restricted).toBe(false);
    expect(a.ignored[0].reason).toContain(reason);
  });

  it('ignores conditions on keys that restrict no one (aws:SecureTransport, kms:ViaService)', () => {
    const a = analyzeConditions(
      block({
        Bool: { 'aws:SecureTransport': 'true' },
        StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      }),
    );
    expect(a).toMatchObject({ restricted: false, by: [], ignored: [] });
  });

  it('takes extra keys from the caller (kms:CallerAccount for key policies)', () => {
    const raw = block({ StringEquals: { 'kms:CallerAccount': A, 'kms:ViaService': 'lambda.us-east-1.amazonaws.com' } });
    expect(analyzeConditions(raw).restricted).toBe(false);
    const a = analyzeConditions(raw, { extraKeys: { 'kms:calleraccount': 'principal-account' } });
    expect(a.principal).toEqual({ accounts: [A], orgs: undefined, opaque: false, by: ['kms:CallerAccount'] });
  });
});

describe('analyzeConditions: to whom', () => {
  it('intersects the accounts of ANDed keys', () => {
    const a = analyzeConditions(
      block({
        StringEquals: { 'aws:PrincipalAccount': [A, B] },
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/*` },
      }),
    );
    expect(a.principal?.accounts).toEqual([A]);
  });

  it('keeps caller and source restrictions apart', () => {
    const a = analyzeConditions(
      block({
        StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:SourceAccount': B },
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      }),
    );
    expect(a.principal).toMatchObject({ orgs: [ORG], opaque: false });
    expect(a.source).toMatchObject({ accounts: [B] });
    expect(a.network).toEqual(['aws:SourceIp']);
  });

  it('marks a source ARN without account (an S3 bucket) as opaque', () => {
    const a = analyzeConditions(block({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::bucket' } }));
    expect(a.source).toMatchObject({ opaque: true, accounts: undefined });
  });

  it('reads the account of an ARN condition', () => {
    const a = analyzeConditions(block({ ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${B}:topic` } }));
    expect(a.source?.accounts).toEqual([B]);
  });
});

describe('scopeTrust', () => {
  const trustedAccount = (id: string) => id === A;
  const trustedOrg = (id: string) => id === ORG;
  it.each([
    ['trusted accounts only', { accounts: [A], opaque: false, by: [] }, 'trusted'],
    ['an untrusted account', { accounts: [A, B], opaque: false, by: [] }, 'untrusted'],
    ['a trusted organization, whatever the accounts', { accounts: [B], orgs: [ORG], opaque: false, by: [] }, 'trusted'],
    ['an untrusted organization', { orgs: ['o-zzzzzzzzzz'], opaque: false, by: [] }, 'untrusted'],
    ['neither accounts nor organizations', { opaque: true, by: [] }, 'opaque'],
  ])('%s', (_n, scope, expected) => {
    expect(scopeTrust(scope, trustedAccount, trustedOrg)).toBe(expected);
  });
});

describe('helpers', () => {
  it.each([
    ['StringEquals', { base: 'StringEquals', set: undefined, ifExists: false }],
    ['StringLikeIfExists', { base: 'StringLike', set: undefined, ifExists: true }],
    ['ForAnyValue:StringEquals', { base: 'StringEquals', set: 'ForAnyValue', ifExists: false }],
    ['ForAllValues:ArnLikeIfExists', { base: 'ArnLike', set: 'ForAllValues', ifExists: true }],
  ])('parses the operator %s', (op, expected) => {
    expect(parseOperator(op)).toEqual(expected);
  });

  it.each([
    ['203.0.113.7', true],
    ['10.0.0.0/8', true],
    ['10.0.0.0/7', false],
    ['0.0.0.0/0', false],
    ['2001:db8::/32', true],
    ['2001:db8::/31', false],
    ['not-an-ip', false],
    ['10.0.0.0/33', false],
  ])('judges aws:SourceIp %s narrow: %s', (v, expected) => {
    expect(isNarrowSourceIp(v)).toBe(expected);
  });

  it('finds positive conditions on a key, case-insensitively, skipping IfExists and negatives', () => {
    const b = block({
      StringEquals: { 'sts:ExternalId': 'abc' },
      StringNotEquals: { 'sts:externalid': 'x' },
      StringLikeIfExists: { 'STS:ExternalId': 'y' },
    });
    expect(positiveConditions(b, 'sts:externalid')).toEqual([
      { operator: 'StringEquals', key: 'sts:ExternalId', values: ['abc'] },
    ]);
  });
});

describe('analyzeConditions: ARNs without account', () => {
  it.each([
    ['arn:aws:s3:::*', false],
    ['arn:aws:s3:::uploads-*', false],
    ['arn:aws:s3:::uploads', true],
  ])('aws:SourceArn %s restricts: %s', (arn, expected) => {
    expect(analyzeConditions(block({ ArnLike: { 'aws:SourceArn': arn } })).restricted).toBe(expected);
  });
});
