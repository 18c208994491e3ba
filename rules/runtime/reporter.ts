import {
  type Evaluation as ConfigEvaluation,
  PutEvaluationsCommand,
  type PutEvaluationsCommandOutput,
} from '@aws-sdk/client-config-service';
import { describeError, EvaluationDeliveryError } from './errors';
import { fitAnnotation } from './evaluation';
import type { Evaluation } from './types';

/** Config accepts at most this many evaluations per PutEvaluations call. */
export const MAX_EVALUATIONS_PER_CALL = 100;

/** The result token that sends `TestMode: true` (the RDK convention; how tests run against moto). */
export const TEST_MODE_TOKEN = 'TESTMODE';

/** The part of the Config client the reporter uses (the SDK's ConfigServiceClient fits). */
export interface PutEvaluationsClient {
  send(command: PutEvaluationsCommand): Promise<PutEvaluationsCommandOutput>;
}

/** Retry settings; the defaults suit Lambda (about 6 s of waiting at most). */
export interface ReporterOptions {
  /** Attempts per batch, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff ceiling in ms; doubles each attempt. @default 200 */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms. @default 3000 */
  readonly maxDelayMs?: number;
  /** Waits; injected by tests. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) for jitter; injected by tests. @default Math.random */
  readonly random?: () => number;
}

/** What to report. */
export interface EvaluationReport {
  readonly resultToken: string;
  readonly evaluations: readonly Evaluation[];
  /** CI capture time (change-triggered) or notification time (periodic). */
  readonly orderingTimestamp: Date;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'TooManyRequests',
  'RequestLimitExceeded',
]);

/** True for errors worth retrying with backoff: throttling and HTTP 429. */
export function isThrottlingError(err: unknown): boolean {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return (typeof e?.name === 'string' && THROTTLING.has(e.name)) || e?.$metadata?.httpStatusCode === 429;
}

/** Converts ward's evaluation to Config's wire shape (annotation fitted to 1..256 characters). */
export function toConfigEvaluation(e: Evaluation, orderingTimestamp: Date): ConfigEvaluation {
  return {
    ComplianceResourceType: e.resourceType,
    ComplianceResourceId: e.resourceId,
    ComplianceType: e.compliance,
    Annotation: fitAnnotation(e.annotation),
    OrderingTimestamp: orderingTimestamp,
  };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends evaluations with PutEvaluations in batches of at most 100. Throttling is retried with exponential
 * backoff and full jitter; `FailedEvaluations` are resent the same way. Returns the number of evaluations sent.
 * @throws EvaluationDeliveryError when a batch still fails after the last attempt (Lambda then retries the
 *   invocation), or on any other PutEvaluations error (with the SDK error as `cause`).
 */
export async function putEvaluations(
  client: PutEvaluationsClient,
  report: EvaluationReport,
  options: ReporterOptions = {},
): Promise<number> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 3000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const testMode = report.resultToken === TEST_MODE_TOKEN;
  const all = report.evaluations.map((e) => toConfigEvaluation(e, report.orderingTimestamp));

  for (let start = 0; start < all.length; start += MAX_EVALUATIONS_PER_CALL) {
    let pending = all.slice(start, start + MAX_EVALUATIONS_PER_CALL);
    for (let attempt = 1; ; attempt++) {
      let failed: ConfigEvaluation[];
      try {
        const out = await client.send(
          new PutEvaluationsCommand({
            ResultToken: report.resultToken,
            Evaluations: pending,
            ...(testMode ? { TestMode: true } : {}),
          }),
        );
        failed = out.FailedEvaluations ?? [];
      } catch (err) {
        if (!isThrottlingError(err)) {
          throw new EvaluationDeliveryError(`PutEvaluations failed: ${describeError(err)}`, { cause: err });
        }
        if (attempt >= maxAttempts) {
          throw new EvaluationDeliveryError(
            `PutEvaluations still throttled after ${attempt} attempts (${pending.length} evaluations unsent)`,
            { cause: err },
          );
        }
        await sleep(random() * Math.min(cap, base * 2 ** (attempt - 1)));
        continue;
      }
      if (failed.length === 0) break;
      if (attempt >= maxAttempts) {
        const ids = failed
          .slice(0, 5)
          .map((f) => f.ComplianceResourceId)
          .join(', ');
        throw new EvaluationDeliveryError(
          `Config rejected ${failed.length} evaluations after ${attempt} attempts (${ids}${failed.length > 5 ? ', ...' : ''})`,
        );
      }
      // Resend our own entries: a failed entry as Config returns it may lack fields (OrderingTimestamp).
      const key = (e: ConfigEvaluation) => `${e.ComplianceResourceType}|${e.ComplianceResourceId}`;
      const failedKeys = new Set(failed.map(key));
      const again = pending.filter((e) => failedKeys.has(key(e)));
      pending = again.length > 0 ? again : failed;
      await sleep(random() * Math.min(cap, base * 2 ** (attempt - 1)));
    }
  }
  return all.length;
}
