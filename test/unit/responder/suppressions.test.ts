import {
  readResponderSuppressions,
  ResponderSuppressionsError,
  responderSuppression,
} from '../../../responder/suppressions';

const bucket = {
  ruleId: 'no-public-principals',
  accountId: '111122223333',
  region: 'us-east-1',
  resourceId: 'npp-public-website-bucket',
  arn: 'arn:aws:s3:::npp-public-website-bucket',
  codes: ['public-principal'],
};
const entry = {
  rule: 'no-public-principals',
  resource: 'arn:aws:s3:::npp-public-*',
  reason: 'Static website, public by design',
  expires: '2027-01-31',
  owner: 'web-team',
};
const now = new Date('2026-12-05T12:00:00Z');

describe('responder suppressions', () => {
  it('covers a change whose every finding is suppressed, and says so for the audit record', () => {
    const s = responderSuppression([entry], bucket, now);
    expect(s?.auditNote).toBe(
      'Suppressed until 2027-01-31 (owner web-team): Static website, public by design ' +
        '[no-public-principals arn:aws:s3:::npp-public-*]; not alerted, not remediated.',
    );
  });

  it('does not cover a change with a finding no entry names, nor after the entry expired', () => {
    expect(
      responderSuppression(
        [{ ...entry, code: 'public-principal' }],
        { ...bucket, codes: ['public-principal', 'public-acl'] },
        now,
      ),
    ).toBeUndefined();
    expect(responderSuppression([entry], bucket, new Date('2027-02-01T00:00:00Z'))).toBeUndefined();
    expect(responderSuppression([{ ...entry, account: '444455556666' }], bucket, now)).toBeUndefined();
  });

  it('covers a change of unknown codes only with an entry for the whole rule (fail closed)', () => {
    expect(
      responderSuppression([{ ...entry, code: 'public-principal' }], { ...bucket, codes: [] }, now),
    ).toBeUndefined();
    expect(responderSuppression([entry], { ...bucket, codes: [] }, now)).toBeDefined();
  });

  it('reads the entries ward deploy puts in the environment, and refuses a malformed value', () => {
    expect(readResponderSuppressions(undefined)).toEqual([]);
    expect(readResponderSuppressions(JSON.stringify([entry]))).toEqual([entry]);
    expect(() => readResponderSuppressions('{')).toThrow(ResponderSuppressionsError);
    expect(() => readResponderSuppressions(JSON.stringify([{ rule: 'x', resource: '*' }]))).toThrow(
      /must be a JSON array/,
    );
  });
});
