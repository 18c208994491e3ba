import { loadSuppressions } from '../scan/findings/suppression';
import type { AnyRule } from '../rules/runtime/types';

/** Lambda environment variables share 4 KB: the suppressions may take this much of it. */
export const MAX_SUPPRESSIONS_ENV_BYTES = 2048;

/**
 * The value of the responder's WARD_SUPPRESSIONS: the entries of the suppressions file `ward.config.json` names,
 * validated as `ward scan` validates them (reason required, known rules and codes), compact JSON. Expired entries
 * are kept: the responder ignores them by date, and says so by alerting again.
 * @throws SuppressionFileError naming the file, or Error when the entries do not fit the Lambda environment.
 */
export function suppressionsEnvironment(file: string | undefined, registry: readonly AnyRule[]): string | undefined {
  if (file === undefined) return undefined;
  const value = JSON.stringify(loadSuppressions(file, registry));
  if (Buffer.byteLength(value) > MAX_SUPPRESSIONS_ENV_BYTES) {
    throw new Error(
      `suppressions ${file}: ${Buffer.byteLength(value)} bytes of entries do not fit the responder's environment ` +
        `(at most ${MAX_SUPPRESSIONS_ENV_BYTES}); use resource globs to merge entries`,
    );
  }
  return value;
}
