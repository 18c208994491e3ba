import type { ControlMap } from '../runtime/controls';

/**
 * Controls per finding code. FSBP has no control on Lambda environment credentials (CodeBuild.2 and ECS.8 are
 * the nearest, for other services), so only NIST applies. An environment that cannot be read may hold a
 * plaintext credential: it fails the same control (fail closed).
 */
export const CONTROLS: ControlMap = {
  'plaintext-credential': { '*': { 'nist-800-53-r5': ['IA-5(7)', 'SC-28'] } },
  'shared-credential': { '*': { 'nist-800-53-r5': ['IA-2', 'IA-5'] } },
  'shared-execution-role': { '*': { 'nist-800-53-r5': ['AC-5', 'AC-6'] } },
  'environment-unreadable': { '*': { 'nist-800-53-r5': ['IA-5(7)'] } },
};
