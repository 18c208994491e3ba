/**
 * A fake SDK client factory for runbook unit tests: records every command sent (client and command name,
 * input) and answers from a table of canned responses. Used where moto lacks an API (DynamoDB UpdateTable SSE)
 * and to check that each runbook declares the IAM actions of the commands it sends.
 */
import { createLogger } from '../../../rules/runtime/logger';
import type { RunbookContext, RunbookSettings } from '../../../runbooks/types';

/** One command a runbook sent. */
export interface SentCommand {
  readonly client: string;
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** Canned answer: a value, or a function of the input (throw to simulate an SDK error). */
export type Answer = unknown | ((input: Record<string, unknown>, sent: readonly SentCommand[]) => unknown);

/** An SDK-style error with a name, as the SDK throws them. */
export function sdkError(name: string, status = 400): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** A runbook context whose clients answer from `answers` (keyed by command name without `Command`). */
export function fakeContext(
  answers: Readonly<Record<string, Answer>>,
  settings: RunbookSettings = {},
): { ctx: RunbookContext; sent: SentCommand[] } {
  const sent: SentCommand[] = [];
  const logger = createLogger();
  logger.level = 'silent';
  const ctx: RunbookContext = {
    logger,
    settings,
    client<T>(ctor: { name: string }): T {
      return {
        async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
          const name = command.constructor.name.replace(/Command$/, '');
          sent.push({ client: ctor.name, command: name, input: command.input });
          if (!(name in answers)) throw new Error(`fake ${ctor.name} has no answer for ${name}`);
          const a = answers[name];
          return typeof a === 'function'
            ? (a as (i: Record<string, unknown>, s: SentCommand[]) => unknown)(command.input, sent)
            : a;
        },
      } as unknown as T;
    },
  };
  return { ctx, sent };
}

const PREFIX: Record<string, string> = {
  S3Client: 's3',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  DynamoDBClient: 'dynamodb',
  KMSClient: 'kms',
  IAMClient: 'iam',
  LambdaClient: 'lambda',
};

/** Where the IAM action of an API differs from its name (S3 mostly). */
const ACTION_OVERRIDES: Record<string, string> = {
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:PutBucketEncryption': 's3:PutEncryptionConfiguration',
  's3:DeleteBucketEncryption': 's3:PutEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  's3:DeletePublicAccessBlock': 's3:PutBucketPublicAccessBlock',
};

/** The IAM action that authorises a sent command. */
export function iamActionOf(c: SentCommand): string {
  const prefix = PREFIX[c.client];
  if (!prefix) throw new Error(`no IAM prefix known for ${c.client}`);
  const api = `${prefix}:${c.command}`;
  return ACTION_OVERRIDES[api] ?? api;
}
