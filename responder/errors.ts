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
