/**
 * The responder never logs a secret or a raw service response: each shape of secret the code can put in a log
 * line is redacted, and errors are logged as one safe line.
 */
import { Writable } from 'node:stream';
import { describeSafely } from '../../../responder/errors';
import { createResponderLogger, RESPONDER_SECRET_KEYS } from '../../../responder/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: createResponderLogger({ test: 'redaction' }, sink), lines };
}

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('the responder log redaction', () => {
  it.each(RESPONDER_SECRET_KEYS.map((k) => [k]))(
    'redacts %s at the top level, one and two objects deep',
    async (key) => {
      const { logger, lines } = capture();
      logger.info({ [key]: SECRET, outer: { [key]: SECRET }, a: { b: { [key]: SECRET } } }, 'shape');
      await new Promise((r) => setImmediate(r));
      const text = JSON.stringify(lines);
      expect(text).not.toContain(SECRET);
      expect(lines[0]).toMatchObject({
        [key]: '[redacted]',
        outer: { [key]: '[redacted]' },
        a: { b: { [key]: '[redacted]' } },
      });
    },
  );

  it.each([
    ['the session token header', { headers: { 'x-amz-security-token': SECRET } }],
    [
      'SDK credentials',
      { credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, sessionToken: SECRET } },
    ],
    ['a Lambda environment (runbook state)', { state: { Environment: { Variables: { DB_PASSWORD: SECRET } } } }],
    ['a policy document', { before: { policy: `{"Statement":[{"Sid":"${SECRET}"}]}` } }],
    ['a raw SDK response on an error', { error: { $response: { body: SECRET } } }],
    ['an SNS message body', { record: { Sns: { Message: SECRET } } }],
  ])('redacts %s', async (_name, fields) => {
    const { logger, lines } = capture();
    logger.error(fields, 'shape');
    await new Promise((r) => setImmediate(r));
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });

  it('logs an error object as its safe one-line description', async () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error(`<Error><Message>${SECRET}</Message></Error>`), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      $response: { body: SECRET },
    });
    logger.error({ err }, 'failed');
    await new Promise((r) => setImmediate(r));
    expect(lines[0].err).toBe('AccessDenied (HTTP 403): (response body withheld)');
  });
});

describe('describing an error safely', () => {
  it('names the error and its causes, with their HTTP status', () => {
    const cause = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const err = new Error('runbook s3-enable-default-encryption: PutBucketEncryption failed on b', { cause });
    err.name = 'RunbookError';
    expect(describeSafely(err)).toBe(
      'RunbookError: runbook s3-enable-default-encryption: PutBucketEncryption failed on b <- AccessDenied (HTTP 403): Access Denied',
    );
  });

  it.each([
    ['an XML body', '<?xml version="1.0"?><Error><Code>InternalError</Code></Error>'],
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['a JSON body', '{"__type":"InternalFailure","message":"secret stuff"}'],
  ])('withholds %s used as a message', (_name, body) => {
    const err = Object.assign(new Error(body), { name: 'UnknownError', $metadata: { httpStatusCode: 500 } });
    expect(describeSafely(err)).toBe('UnknownError (HTTP 500): (response body withheld)');
  });

  it('keeps only the first line and at most 200 characters of a message', () => {
    const err = new Error(`${'x'.repeat(500)}\nsecond line with ${SECRET}`);
    const text = describeSafely(err);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).not.toContain(SECRET);
  });

  it('describes a thrown non-error without its content when it is a body', () => {
    expect(describeSafely('<html>oops</html>')).toBe('(response body withheld)');
    expect(describeSafely({ any: 'object' })).toBe('non-error value thrown');
  });
});
