import type { ControlMap, ControlRefs } from '../runtime/controls';

const UNSUPPORTED: ControlRefs = { 'aws-fsbp': ['Lambda.2'], 'nist-800-53-r5': ['SI-2'] };

/**
 * Controls per finding code. Lambda.2 ("Lambda functions should use supported runtimes") fails a deprecated
 * runtime; a runtime ward cannot place fails it too (fail closed). A runtime near its deprecation date is still
 * supported, so `runtime-deprecating` fails no control (an explicit empty entry: a warning, not a violation).
 */
export const CONTROLS: ControlMap = {
  'runtime-deprecated': { '*': UNSUPPORTED },
  'runtime-unknown': { '*': UNSUPPORTED },
  'runtime-deprecating': { '*': {} },
};
