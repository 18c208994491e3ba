import type { ControlMap, ControlRefs } from '../runtime/controls';

// Security Hub relates IAM.1 and IAM.21 to these NIST controls (least privilege, among their enhancements).
const LEAST_PRIVILEGE: ControlRefs = { 'nist-800-53-r5': ['AC-2', 'AC-3', 'AC-5', 'AC-6'] };

/**
 * Controls per finding code: NIST SP 800-53 least privilege only. No FSBP or CIS v3.0.0 control checks
 * escalation paths or effective permissions: IAM.1 and CIS 1.16 check a policy for the literal `"*"` action
 * (no-wildcard-actions maps those), IAM.21 for `service:*`. A principal whose policies could not be read or
 * decoded fails the same controls (fail closed).
 */
export const CONTROLS: ControlMap = {
  'effective-admin': { '*': LEAST_PRIVILEGE },
  'privilege-escalation-policy-edit': { '*': LEAST_PRIVILEGE },
  'privilege-escalation-credentials': { '*': LEAST_PRIVILEGE },
  'privilege-escalation-trust-edit': { '*': LEAST_PRIVILEGE },
  'privilege-escalation-passrole': { '*': LEAST_PRIVILEGE },
  'privilege-escalation-code-edit': { '*': LEAST_PRIVILEGE },
  'unresolved-policy': { '*': LEAST_PRIVILEGE },
  'malformed-policy': { '*': LEAST_PRIVILEGE },
};
