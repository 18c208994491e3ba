/**
 * The finding codes of no-privilege-escalation (a stable interface, documented in the README), with the
 * description `meta.findingCodes` carries and a severity per code.
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
  UNREADABLE_CONFIGURATION: 'unreadable-configuration',
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

/** Each code with its one-line description (meta.findingCodes). */
export const FINDING_CODES: Readonly<Record<EscalationCodeType, string>> = {
  [EscalationCode.EFFECTIVE_ADMIN]:
    'The effective permissions include every action on every resource (through any attached or inline policy).',
  [EscalationCode.POLICY_EDIT]:
    'Can change the policies that apply to a principal (create a policy version, attach or put a policy, join a group).',
  [EscalationCode.CREDENTIALS]: "Can create or change another user's credentials (access keys, console password).",
  [EscalationCode.TRUST_EDIT]: 'Can rewrite the trust policy of a role to assume it.',
  [EscalationCode.PASSROLE]:
    'Can pass a role on every resource (or a known privileged role) to a service it can make run its code.',
  [EscalationCode.CODE_EDIT]: 'Can change or enter running code that acts with another role (Lambda, EC2, Glue, ...).',
  [EscalationCode.UNRESOLVED_POLICY]:
    'An attached policy, the boundary or a group could not be read, so the effective permissions are unknown.',
  [EscalationCode.MALFORMED_POLICY]: 'A policy document that cannot be decoded (not judged, so not compliant).',
  [EscalationCode.UNREADABLE_CONFIGURATION]: 'A configuration field the rule needs is missing or of the wrong type.',
};

/** The severity of each code (set on every finding). */
export const SEVERITY: Readonly<Record<EscalationCodeType, SeverityLevel>> = {
  [EscalationCode.EFFECTIVE_ADMIN]: 'critical',
  [EscalationCode.POLICY_EDIT]: 'critical',
  [EscalationCode.CREDENTIALS]: 'high',
  [EscalationCode.TRUST_EDIT]: 'high',
  [EscalationCode.PASSROLE]: 'high',
  [EscalationCode.CODE_EDIT]: 'medium',
  [EscalationCode.UNRESOLVED_POLICY]: 'medium',
  [EscalationCode.MALFORMED_POLICY]: 'high',
  [EscalationCode.UNREADABLE_CONFIGURATION]: 'high',
};
