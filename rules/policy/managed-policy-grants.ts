/**
 * AWS-managed policies as the escalation model sees them, without their documents: the bundled catalogue says
 * which ones grant administrator access, and the generated grants table (scripts/generate-managed-policy-grants.mjs)
 * which escalation actions the others allow and how widely. From these this module builds a small equivalent
 * document per policy, which the effective-permission model combines with the principal's other policies.
 */
import type { PolicyDocument, PolicyStatement } from './document';
import { MANAGED_GRANTS_ACTIONS, MANAGED_POLICY_GRANTS } from './generated/managed-policy-grants-data';
import { managedPolicyVerdict } from './managed-policy-catalogue';

/**
 * Stands for the named or prefixed resources an AWS-managed policy allows an action on: a pattern no real ARN
 * matches, so such a grant never counts as unrestricted, never as the principal itself, never as a privileged role.
 */
export const SCOPED_RESOURCE = 'arn:aws:ward:::resources-named-in-aws-managed-policy';

const AWS_MANAGED = /^arn:aws(?:-[a-z]+)*:iam::aws:policy\/(.+)$/;

function allow(index: number, actions: string[], resource: string, conditional: boolean): PolicyStatement {
  // The condition itself is not kept (ward does not evaluate conditions): only that there was one, for the message.
  return { index, effect: 'Allow', actions, resources: [resource], conditions: {}, conditional };
}

const cache = new Map<string, PolicyDocument>();

/**
 * The equivalent document of an AWS-managed policy: `*` on `*` for an administrator policy, otherwise its
 * escalation actions on `*` (every resource of their type) or on {@link SCOPED_RESOURCE}. Undefined when the
 * ARN is not an AWS-managed policy the bundled catalogue knows (then its document must be fetched).
 */
export function managedPolicyEquivalent(arn: string): PolicyDocument | undefined {
  const verdict = managedPolicyVerdict(arn);
  if (verdict.kind !== 'known') return undefined;
  const key = (AWS_MANAGED.exec(arn) as RegExpExecArray)[1];
  let doc = cache.get(key);
  if (doc) return doc;
  if (verdict.admin === 'full-admin') {
    doc = { statements: [allow(0, ['*'], '*', false)] };
  } else {
    // Four groups: on every resource or on named ones, each with or without a condition.
    const groups = new Map<string, { resource: string; conditional: boolean; actions: string[] }>();
    for (const entry of (MANAGED_POLICY_GRANTS[key] ?? '').split(',').filter(Boolean)) {
      const action = MANAGED_GRANTS_ACTIONS[Number.parseInt(entry, 10)];
      if (!action) continue;
      const flags = entry.replace(/^\d+/, '');
      const resource = flags.includes('r') ? SCOPED_RESOURCE : '*';
      const conditional = flags.includes('c');
      const group = groups.get(flags) ?? { resource, conditional, actions: [] };
      group.actions.push(action);
      groups.set(flags, group);
    }
    const statements: PolicyStatement[] = [];
    for (const flags of ['', 'c', 'r', 'rc']) {
      const g = groups.get(flags);
      if (g) statements.push(allow(statements.length, g.actions, g.resource, g.conditional));
    }
    doc = { statements };
  }
  cache.set(key, doc);
  return doc;
}
