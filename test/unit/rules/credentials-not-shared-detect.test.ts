import {
  CredentialKind,
  detectCredential,
  detectCredentials,
  fingerprint,
  isSecretReference,
  shannonEntropy,
} from '../../../rules/credentials-not-shared/detect';
import { LABELLED_VALUES } from '../../fixtures/credentials/labelled';

describe('credential detection on the labelled set', () => {
  const results = LABELLED_VALUES.map((v) => ({
    ...v,
    got: detectCredential(v.name, v.value, { besideAccessKeyId: v.besideAccessKeyId })?.kind ?? null,
  }));

  it('holds at least 60 labelled values covering every credential kind and every non-credential group', () => {
    expect(LABELLED_VALUES.length).toBeGreaterThanOrEqual(60);
    const kinds = new Set(LABELLED_VALUES.map((v) => v.kind).filter((k) => k !== null));
    expect([...kinds].sort()).toEqual(Object.values(CredentialKind).sort());
    const negativeGroups = new Set(LABELLED_VALUES.filter((v) => v.kind === null).map((v) => v.group));
    for (const g of ['reference', 'ordinary', 'uuid', 'url', 'base64', 'near-miss'] as const) {
      expect(negativeGroups).toContain(g);
    }
  });

  it('reaches precision and recall of 1.0', () => {
    const tp = results.filter((r) => r.kind !== null && r.got !== null).length;
    const fp = results.filter((r) => r.kind === null && r.got !== null).length;
    const fn = results.filter((r) => r.kind !== null && r.got === null).length;
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    // Printed on purpose: the figures are evidence for the README.
    console.log(
      `credential detection: ${LABELLED_VALUES.length} values, ${tp + fn} credentials; ` +
        `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`,
    );
    expect({ precision, recall }).toEqual({ precision: 1, recall: 1 });
  });

  it.each(results.map((r) => [`${r.name} (${r.group})`, r] as const))('labels %s correctly', (_label, r) => {
    expect(r.got).toBe(r.kind);
  });
});

describe('credential detection details', () => {
  it.each([
    ['a Secrets Manager ARN', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-AbCdEf', true],
    ['an SSM parameter ARN', 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/token', true],
    ['a dynamic reference', '{{resolve:ssm:/app/token}}', true],
    ['an SSM parameter path', '/app/prod/token', true],
    ['a base64 value with slashes', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', false],
    ['a plain word', 'orders', false],
  ])('says whether %s is a secret reference (%s)', (_what, value, expected) => {
    expect(isSecretReference(value)).toBe(expected);
  });

  it('fingerprints with hex SHA-256', () => {
    expect(fingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('fingerprints the password of a URL, not the whole URL, so one password on two hosts matches', () => {
    const a = detectCredential('A_URL', 'postgres://app:Sup3rS3cretPw@db-a:5432/x');
    const b = detectCredential('B_URL', 'mysql://root:Sup3rS3cretPw@db-b/y');
    expect(a?.fingerprint).toBe(fingerprint('Sup3rS3cretPw'));
    expect(b?.fingerprint).toBe(a?.fingerprint);
  });

  it('finds a secret key beside an access key id even under a plain name', () => {
    const found = detectCredentials({
      KEY: 'AKIAIOSFODNN7EXAMPLE',
      VALUE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      TABLE: 'orders',
    });
    expect(found.map((c) => [c.variable, c.kind])).toEqual([
      ['KEY', 'aws-access-key-id'],
      ['VALUE', 'aws-secret-access-key'],
    ]);
  });

  it('does not report a 40-character value under a plain name without an access key id beside it', () => {
    expect(detectCredentials({ VALUE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' })).toEqual([]);
  });

  it('returns kinds and fingerprints but never the value', () => {
    const secret = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const found = detectCredentials({ GITHUB: secret });
    expect(JSON.stringify(found)).not.toContain(secret);
    expect(found).toEqual([{ variable: 'GITHUB', kind: 'github-token', fingerprint: fingerprint(secret) }]);
  });

  it('skips values that are not strings instead of failing the whole environment', () => {
    const env = {
      A_NUMBER: 42,
      A_NULL: null,
      AN_OBJECT: { v: 1 },
      GITHUB_TOKEN: 'ghp_Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8',
    };
    expect(detectCredentials(env).map((c) => [c.variable, c.kind])).toEqual([['GITHUB_TOKEN', 'github-token']]);
  });
});
