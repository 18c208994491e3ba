/**
 * The finding codes of no-privilege-escalation (a stable interface, documented in the README), with the
 * description and severity `meta.findingCodes` carries. `unreadable-configuration` and `evaluation-error` come
 * from the runtime.
 */
import type { SeverityLevel } from '../runtime';
import { EscalationFamily, type EscalationFamilyType } from './methods';

/** Every finding code of the rule. */
export const EscalationCode = {
  EFFECTIVE_ADMIN: 'effective-admin',
  POLICY_EDIT: 'privilege-escalation-policy-edit',
  CREDENTIALS: 'privilege-escalation-credentials',
  TRUST_EDIT: 'privilege-escalation-trust-edit',
  PASSROLE: 'privilege-escalation-passrole',
  CODE_EDIT: 'privilege-escalation-code-edit',
  UNRESOLVED_POLICY: 'unresolved-policy',
  MALFORMED_POLICY: 'malformed-policy',
} as const;

/** One of {@link EscalationCode}. */
export type EscalationCodeType = (typeof EscalationCode)[keyof typeof EscalationCode];

/** The code of each method family. */
export const FAMILY_CODE: Readonly<Record<EscalationFamilyType, EscalationCodeType>> = {
  [EscalationFamily.POLICY_EDIT]: EscalationCode.POLICY_EDIT,
  [EscalationFamily.CREDENTIALS]: EscalationCode.CREDENTIALS,
  [EscalationFamily.TRUST_EDIT]: EscalationCode.TRUST_EDIT,
  [EscalationFamily.PASSROLE]: EscalationCode.PASSROLE,
  [EscalationFamily.CODE_EDIT]: EscalationCode.CODE_EDIT,
};

/** Each code with its one-line description and severity (meta.findingCodes; the README lists the same). */
export const FINDING_CODES: Readonly<Record<EscalationCodeType, { description: string; severity: SeverityLevel }>> = {
  [EscalationCode.EFFECTIVE_ADMIN]: {
    description:
      'The effective permissions include every action on every resource (through any attached or inline policy).',
    severity: 'critical',
  },
  [EscalationCode.POLICY_EDIT]: {
    description:
      'Can change the policies that apply to a principal (create a policy version, attach or put a policy, join a group).',
    severity: 'critical',
  },
  [EscalationCode.CREDENTIALS]: {
    description: "Can create or change another user's credentials (access keys, console password).",
    severity: 'high',
  },
  [EscalationCode.TRUST_EDIT]: { description: 'Can rewrite the trust policy of a role to assume it.', severity: 'high' },
  [EscalationCode.PASSROLE]: {
    description:
      'Can pass a role on every resource (or a known privileged role) to a service it can make run its code.',
    severity: 'high',
  },
  [EscalationCode.CODE_EDIT]: {
    description: 'Can change or enter running code that acts with another role (Lambda, EC2, Glue, ...).',
    severity: 'medium',
  },
  [EscalationCode.UNRESOLVED_POLICY]: {
    description:
      'An attached policy, the boundary or a group could not be read, so the effective permissions are unknown.',
    severity: 'medium',
  },
  [EscalationCode.MALFORMED_POLICY]: {
    description: 'A policy document that cannot be decoded (not judged, so not compliant).',
    severity: 'high',
  },
};
