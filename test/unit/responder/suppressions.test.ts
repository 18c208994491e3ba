import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  codeEntriesNeedingCodes,
  loadResponderSuppressions,
  parseResponderSuppressions,
  ResponderSuppressionsError,
  responderSuppression,
  SUPPRESSIONS_FILE_ENV,
} from '../../../responder/suppressions';
import { tempDir } from '../scan/scan-harness';

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
const doc = (suppressions: unknown) => JSON.stringify({ suppressions });

describe('responder suppressions', () => {
  it('covers a change whose every finding is suppressed, and says so for the audit record', () => {
    const s = responderSuppression([entry], bucket, now);
    expect(s?.auditNote).toBe(
      'Suppressed until 2027-01-31 (owner web-team): Static website, public by design ' +
        '[no-public-principals arn:aws:s3:::npp-public-*]; not alerted, not remediated.',
    );
  });

  it('suppresses through the last day of expires (UTC) and not a moment after', () => {
    expect(responderSuppression([entry], bucket, new Date('2027-01-31T23:59:59Z'))).toBeDefined();
    expect(responderSuppression([entry], bucket, new Date('2027-02-01T00:00:00Z'))).toBeUndefined();
  });

  it('does not cover a change with a finding no entry names, another account, or another resource', () => {
    expect(
      responderSuppression(
        [{ ...entry, code: 'public-principal' }],
        { ...bucket, codes: ['public-principal', 'public-acl'] },
        now,
      ),
    ).toBeUndefined();
    expect(responderSuppression([{ ...entry, account: '444455556666' }], bucket, now)).toBeUndefined();
    expect(
      responderSuppression([entry], { ...bucket, resourceId: 'other', arn: 'arn:aws:s3:::other' }, now),
    ).toBeUndefined();
  });

  it('covers a change of unknown codes only with an entry for the whole rule (fail closed)', () => {
    expect(
      responderSuppression([{ ...entry, code: 'public-principal' }], { ...bucket, codes: [] }, now),
    ).toBeUndefined();
    expect(responderSuppression([entry], { ...bucket, codes: [] }, now)).toBeDefined();
  });

  it('names the active code entries it cannot check without the finding codes', () => {
    const coded = { ...entry, code: 'public-principal' };
    expect(codeEntriesNeedingCodes([coded, entry], { ...bucket, codes: [] }, now)).toEqual([coded]);
    expect(codeEntriesNeedingCodes([coded], { ...bucket, codes: [] }, new Date('2027-03-01'))).toEqual([]);
  });
});

describe('reading the packaged suppressions', () => {
  it('parses the ward.suppressions.json document ward deploy packages', () => {
    expect(parseResponderSuppressions(doc([entry]))).toEqual([entry]);
    expect(parseResponderSuppressions(doc([]))).toEqual([]);
  });

  it.each([
    ['text that is not JSON', '{"suppressions": ['],
    ['a bare array', JSON.stringify([entry])],
    ['an entry without a reason', doc([{ rule: 'x', resource: '*' }])],
    ['an expiry that is not a date (it would never expire)', doc([{ ...entry, expires: 'soon' }])],
    ['an account that is not 12 digits', doc([{ ...entry, account: '12' }])],
  ])('refuses %s', (_what, text) => {
    expect(() => parseResponderSuppressions(text)).toThrow(ResponderSuppressionsError);
  });

  it('reads the file WARD_SUPPRESSIONS_FILE names, relative to the Lambda task root', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'suppressions.json'), doc([entry]));
    const loaded = loadResponderSuppressions({ [SUPPRESSIONS_FILE_ENV]: 'suppressions.json', LAMBDA_TASK_ROOT: dir });
    expect(loaded).toEqual({ entries: [entry], file: join(dir, 'suppressions.json') });
    expect(loadResponderSuppressions({})).toEqual({ entries: [] });
  });

  it('gives no entries and a one-line reason for a missing or damaged file, never throws', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'suppressions.json'), '{"suppressions": [{"rule": "x"');
    const damaged = loadResponderSuppressions({ [SUPPRESSIONS_FILE_ENV]: join(dir, 'suppressions.json') });
    expect(damaged.entries).toEqual([]);
    expect(damaged.error).toMatch(/^suppressions .*suppressions\.json could not be read: .*not JSON/);
    expect(damaged.error).not.toContain('\n');
    const missing = loadResponderSuppressions({ [SUPPRESSIONS_FILE_ENV]: join(dir, 'absent.json') });
    expect(missing.entries).toEqual([]);
    expect(missing.error).toContain('absent.json could not be read');
  });
});
