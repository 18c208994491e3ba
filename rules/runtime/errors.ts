/** Base of ward's errors: a message a person can act on, and the original `cause`. */
export class WardError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration item that cannot be normalised (missing type or id, unparseable configuration). */
export class ConfigurationItemError extends WardError {}

/** An invoking event that does not match what Config sends. */
export class InvokingEventError extends WardError {}

/** Rule parameters that do not match the rule's schema. */
export class RuleParametersError extends WardError {}

/** A rule threw while judging one resource. */
export class RuleEvaluationError extends WardError {
  constructor(
    readonly ruleId: string,
    readonly resourceId: string,
    cause: unknown,
  ) {
    super(`rule ${ruleId} failed on ${resourceId}: ${describeError(cause)}`, { cause });
  }
}

/** PutEvaluations kept failing for some evaluations; thrown so Lambda retries the invocation. */
export class EvaluationDeliveryError extends WardError {}

/** One-line description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

/** How a promise ended: its value, or what it threw. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Catches a promise's outcome at once, so work can start early and be awaited later without its rejection
 * going unhandled in between (Node would end the process).
 */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}
