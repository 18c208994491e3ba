import pino from 'pino';
import { type Logger, REDACT_PATHS } from '../rules/runtime/logger';
import { describeSafely } from './errors';

/**
 * Every key under which a secret can reach a responder log line: AWS credentials (both the API's and the SDK's
 * spelling), HTTP authorisation headers and security tokens, raw SDK responses and bodies, Lambda environment
 * variables (where credentials sit in the functions the access-key runbook looks at), policy documents, and
 * SNS message bodies (whole events). Each is redacted at the top level and up to two objects deep.
 */
export const RESPONDER_SECRET_KEYS = [
  'SecretAccessKey',
  'secretAccessKey',
  'SessionToken',
  'sessionToken',
  'AccessKeyId',
  'accessKeyId',
  'credentials',
  'Credentials',
  'authorization',
  'Authorization',
  '$response',
  'body',
  'Body',
  'Variables',
  'Environment',
  'environment',
  'Policy',
  'policy',
  'policyText',
  'KeyPolicy',
  'Message',
  'password',
  'secret',
  'token',
  'value',
] as const;

/** The redaction paths: the shared ones and each responder key at depths 0, 1 and 2. */
export const RESPONDER_REDACT_PATHS: readonly string[] = [
  ...new Set([
    ...REDACT_PATHS,
    ...RESPONDER_SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
    // Header names with dashes need the bracket form.
    ...['', '*', '*.*'].map((p) => `${p}["x-amz-security-token"]`),
  ]),
];

/**
 * The responder's JSON logger: the shared redaction plus {@link RESPONDER_REDACT_PATHS}, and an `err` serializer
 * that logs only {@link describeSafely}'s one line, never an SDK error's raw response.
 */
export function createResponderLogger(
  bindings: Record<string, unknown> = {},
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? 'info',
      base: { service: 'ward', ...bindings },
      redact: { paths: [...RESPONDER_REDACT_PATHS], censor: '[redacted]' },
      serializers: { err: (e: unknown) => (typeof e === 'string' ? e : describeSafely(e)) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
