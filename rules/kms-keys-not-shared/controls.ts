import type { ControlMap, ControlRefs } from '../runtime/controls';

const SHARING: ControlRefs = { 'nist-800-53-r5': ['AC-3', 'AC-6', 'AC-21'] };

/**
 * Controls per finding code. KMS.5 checks that the key policy grants no public access; a key policy that
 * cannot be decoded or read fails it too (fail closed). Sharing with another account is not public, so only
 * NIST applies.
 */
export const CONTROLS: ControlMap = {
  'public-key-access': { '*': { 'aws-fsbp': ['KMS.5'], ...SHARING } },
  'external-key-access': { '*': SHARING },
  'external-key-admin': { '*': { 'nist-800-53-r5': ['AC-3', 'AC-6', 'AC-21', 'SC-12'] } },
  'external-grant': { '*': SHARING },
  'malformed-policy': { '*': { 'aws-fsbp': ['KMS.5'], ...SHARING } },
  'key-policy-unavailable': { '*': { 'aws-fsbp': ['KMS.5'], ...SHARING } },
};
