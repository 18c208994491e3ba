import { WardError } from './errors';
import { nonCompliant, type ResourceRef } from './evaluation';
import type { Finding, NonCompliantEvaluation } from './types';

/**
 * Finding code of a resource whose configuration item exists but could not be read: the configuration is
 * missing or not an object, or a field a rule needs is missing or of the wrong type. Every rule may report it
 * (the engine adds it), so a rule never turns an unreadable item into COMPLIANT.
 */
export const UNREADABLE_CONFIGURATION_CODE = 'unreadable-configuration';

/** The JSON type of a value, as messages name it: `null`, `array`, `object`, `string`, `number`, `boolean`. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * A field a rule needs is missing or of the wrong type. Thrown from `evaluate` or `gather` (at any depth); the
 * engine turns it into a NON_COMPLIANT `unreadable-configuration` evaluation naming `path`.
 */
export class UnreadableConfigurationError extends WardError {
  constructor(
    /** Where in the item, e.g. `configuration.attachedManagedPolicies[2]`. */
    readonly path: string,
    /** What the rule expected there, e.g. `a list of objects`. */
    readonly expected: string,
    /** What was there (`jsonTypeOf`), or a short reason. */
    readonly found: string,
  ) {
    super(`${path} is ${found === 'missing' ? 'missing' : `a ${found}`}, expected ${expected}`);
  }
}

/** Throws {@link UnreadableConfigurationError} for `value` at `path`. */
export function unreadable(path: string, expected: string, value: unknown): never {
  throw new UnreadableConfigurationError(path, expected, jsonTypeOf(value));
}

/** The `unreadable-configuration` finding for a problem at `path`. */
export function unreadableFinding(path: string, problem: string): Finding {
  return {
    code: UNREADABLE_CONFIGURATION_CODE,
    message: `Not judged: ${problem}; the configuration item cannot be read, so it is not compliant.`,
    path,
  };
}

/** The NON_COMPLIANT evaluation of an unreadable item. */
export function unreadableEvaluation(ref: ResourceRef, path: string, problem: string): NonCompliantEvaluation {
  return nonCompliant(ref, [unreadableFinding(path, problem)]);
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A list the item must hold (Config always records these lists, empty when there is nothing): an array whose
 * every element is an object. Missing, null, another type or a non-object element is unreadable.
 */
export function requiredObjectList(value: unknown, path: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) unreadable(path, 'a list of objects', value);
  value.forEach((v, i) => {
    if (!isObject(v)) unreadable(`${path}[${i}]`, 'an object', v);
  });
  return value as Record<string, unknown>[];
}

/** An optional string field: absent, null or '' is undefined; any other non-string is unreadable. */
export function optionalText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') unreadable(path, 'a string', value);
  return value.trim() === '' ? undefined : value;
}

/** An optional object field: absent or null is undefined; any other non-object is unreadable. */
export function optionalObject(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) unreadable(path, 'an object', value);
  return value;
}
