import { WardError } from '../rules/runtime/errors';

/** A runbook could not read, change or restore a resource; `cause` holds the SDK error. */
export class RunbookError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'RunbookError';

  constructor(
    readonly runbookId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`runbook ${runbookId}: ${message}`, options);
  }
}

/** True for the SDK's "not found" answers that mean "not configured" rather than failure. */
export function isNotFound(err: unknown, ...names: string[]): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return names.includes(err.name) || (names.length === 0 && status === 404);
}
