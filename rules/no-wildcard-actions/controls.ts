import type { ControlMap, ControlRefs } from '../runtime/controls';

// Security Hub relates IAM.1 and IAM.21 to these NIST controls (among their enhancements).
const LEAST_PRIVILEGE: ControlRefs = { 'nist-800-53-r5': ['AC-2', 'AC-3', 'AC-5', 'AC-6'] };
const POLICY = 'AWS::IAM::Policy';

/**
 * Controls per finding code. IAM.1 checks only customer-managed policies (not inline ones) for Allow
 * Action "*" on Resource "*"; IAM.21 only customer-managed policies for "service:*". CIS v3.0.0 1.16 audits
 * attached policies with "*:*", so an attached AWS-managed administrator policy fails it too. A policy
 * that cannot be decoded fails the controls of a policy (fail closed).
 */
export const CONTROLS: ControlMap = {
  'full-admin': {
    '*': LEAST_PRIVILEGE,
    [POLICY]: { 'aws-fsbp': ['IAM.1'], 'cis-aws-3.0.0': ['1.16'] },
  },
  'not-action-allow': { '*': LEAST_PRIVILEGE },
  'not-resource-allow': { '*': LEAST_PRIVILEGE },
  'service-wildcard': { '*': LEAST_PRIVILEGE, [POLICY]: { 'aws-fsbp': ['IAM.21'] } },
  'sensitive-wildcard': { '*': LEAST_PRIVILEGE },
  // IAM.1 and CIS 1.16 check the literal "*" action; written-out self-grant actions do not fail them.
  'admin-equivalent': { '*': LEAST_PRIVILEGE },
  'attached-admin-policy': { '*': { ...LEAST_PRIVILEGE, 'cis-aws-3.0.0': ['1.16'] } },
  'malformed-policy': {
    '*': LEAST_PRIVILEGE,
    [POLICY]: { 'aws-fsbp': ['IAM.1', 'IAM.21'], 'cis-aws-3.0.0': ['1.16'] },
  },
};
