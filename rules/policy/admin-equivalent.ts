/**
 * The permissions-management sets that let a principal grant itself anything: with every action of one set on
 * every resource, a principal writes or attaches an administrator policy to itself (Rhino Security Labs'
 * policy-editing methods). Data, taken 2026-12-05; no-wildcard-actions reports such a grant as
 * `admin-equivalent` and no-privilege-escalation matches the same actions one principal at a time.
 */
import { actionMatches } from './actions';

/** Each set on its own is enough: the three put-policy actions, the three attach-policy actions, or a new default policy version. */
export const SELF_GRANT_SETS: readonly (readonly string[])[] = [
  ['iam:PutUserPolicy', 'iam:PutRolePolicy', 'iam:PutGroupPolicy'],
  ['iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy'],
  ['iam:CreatePolicyVersion'],
];

/** The first self-grant set every action of which one of the patterns matches, or undefined. */
export function selfGrantSetCovered(patterns: readonly string[]): readonly string[] | undefined {
  return SELF_GRANT_SETS.find((set) => set.every((action) => patterns.some((p) => actionMatches(p, action))));
}
