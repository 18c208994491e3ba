import { WardError } from '../rules/runtime/errors';

/** A message that is not a Config compliance-change event (or an SNS wrapping of one); goes to the DLQ. */
export class ResponderEventError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'ResponderEventError';
}

/** The responder's settings (environment) are invalid; names the variable. */
export class ResponderSettingsError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'ResponderSettingsError';
}

/** Some records of a batch failed; thrown after the others were handled so Lambda retries, then dead-letters. */
export class ResponderBatchError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'ResponderBatchError';

  constructor(
    readonly failures: readonly { readonly messageId: string; readonly reason: string }[],
    options?: { cause?: unknown },
  ) {
    super(
      `${failures.length} record(s) failed: ${failures.map((f) => `${f.messageId}: ${f.reason}`).join('; ')}`,
      options,
    );
  }
}

/** An audit record that `ward rollback` cannot act on (unknown id, nothing changed, no rollback). */
export class RollbackError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'RollbackError';
}

/** The alert could not be published; the change is recorded and the retry of the invocation sends it. */
export class AlertDeliveryError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'AlertDeliveryError';
}

/**
 * Another rule's response holds the resource's lock: this one fails so Lambda retries it later (by then the
 * lock is free), rather than changing a resource under another change.
 */
export class ResourceBusyError extends WardError {
  // Spelled out: bundles are minified, and class names with them.
  override readonly name = 'ResourceBusyError';
}

const BODY = /<\?xml|<html|<!doctype|^\s*[<{[]/i;
const MAX_PART = 200;

/**
 * One line describing an error and its causes (`RunbookError: ... <- AccessDenied: ...`), safe to record and
 * log: only names, HTTP statuses and first lines of messages, never a service response body (an SDK error whose
 * message is a raw XML, HTML or JSON body says "response body withheld"), each part at most 200 characters.
 */
export function describeSafely(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    if (e instanceof Error) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const first = (e.message ?? '').split(/\r?\n/)[0];
      const message = BODY.test(first) ? '(response body withheld)' : first;
      const name = e.name && e.name !== 'Error' ? e.name : '';
      const head = [name, status ? `(HTTP ${status})` : ''].filter(Boolean).join(' ');
      const text = head && message ? `${head}: ${message}` : head || message;
      parts.push(text.length > MAX_PART ? `${text.slice(0, MAX_PART - 3)}...` : text);
      e = e.cause;
    } else {
      const text = typeof e === 'string' ? e.split(/\r?\n/)[0] : 'non-error value thrown';
      parts.push(BODY.test(text) ? '(response body withheld)' : text.slice(0, MAX_PART));
      break;
    }
  }
  return parts.join(' <- ');
}
