import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths never logged: policy documents, credential values, environment variables and tokens. Rules log ids,
 * codes and counts, never documents or values; this list is the safety net.
 */
export const REDACT_PATHS = [
  '*.policyDocument',
  '*.document',
  '*.Policy',
  '*.policy',
  '*.policyText',
  '*.assumeRolePolicyDocument',
  '*.Variables',
  '*.variables',
  '*.environment',
  '*.Environment',
  '*.value',
  '*.secret',
  '*.password',
  '*.token',
  '*.credentials',
  '*.Credentials',
  '*.SecretAccessKey',
  '*.SessionToken',
  'resultToken',
  'configuration',
  'supplementaryConfiguration',
] as const;

/** Creates the JSON logger (pino) with secrets redacted. Level from `LOG_LEVEL`, default info. */
export function createLogger(bindings: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? 'info',
      base: { service: 'ward', ...bindings },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
