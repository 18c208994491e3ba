/**
 * The SDK error names that mean the resource itself no longer exists (as opposed to a missing optional
 * setting such as NoSuchBucketPolicy, which runbooks read as "not configured"): S3, SNS, SQS, DynamoDB, KMS, IAM,
 * Lambda.
 */
const GONE = new Set([
  'NoSuchBucket',
  'NotFound',
  'NotFoundException',
  'AWS.SimpleQueueService.NonExistentQueue',
  'QueueDoesNotExist',
  'ResourceNotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
]);

/**
 * True when an error (or one of its causes: runbooks wrap SDK errors in RunbookError) says the resource is gone.
 * A KMS key pending deletion is not gone (it can still be cancelled), so KMSInvalidStateException is not here.
 */
export function isGone(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 4; depth++) {
    if (GONE.has(e.name)) return true;
    const code = (e as { Code?: unknown; code?: unknown }).Code ?? (e as { code?: unknown }).code;
    if (typeof code === 'string' && GONE.has(code)) return true;
    e = e.cause;
  }
  return false;
}
