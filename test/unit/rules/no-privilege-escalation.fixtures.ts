/**
 * Real-shaped IAM items for no-privilege-escalation tests: the no-wildcard-actions builders (URL-encoded
 * documents, event form and API form) plus what escalation needs on top: boundaries and group memberships.
 */
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import { type EscalationFacts, NO_FACTS } from '../../../rules/no-privilege-escalation/assemble';
import {
  evaluateWithFacts,
  type Evaluation,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';
import { ACCOUNT, type Doc, deepFreeze } from './no-wildcard-actions.fixtures';

export * from './no-wildcard-actions.fixtures';

/** The rule's default parameters. */
export const defaults = parseRuleParameters(noPrivilegeEscalation.meta.parameters, {}, noPrivilegeEscalation.meta.id);

/** An item with its permissions boundary set. */
export function withBoundary(item: Doc, arn: string): Doc {
  const configuration = item.configuration as Doc;
  return {
    ...item,
    configuration: {
      ...configuration,
      permissionsBoundary: { permissionsBoundaryType: 'PermissionsBoundaryPolicy', permissionsBoundaryArn: arn },
    },
  };
}

/** A user item in these groups. */
export function inGroups(user: Doc, ...groups: string[]): Doc {
  return { ...user, configuration: { ...(user.configuration as Doc), groupList: groups } };
}

/** An item with one configuration field replaced (for the wrong-type cases). */
export function withField(item: Doc, field: string, value: unknown): Doc {
  return { ...item, configuration: { ...(item.configuration as Doc), [field]: value } };
}

/** Runs the rule on a raw item (either form) with these facts. */
export function run(raw: Doc, facts: Partial<EscalationFacts> = {}, params = defaults): Evaluation {
  const item = normalizeConfigurationItem(deepFreeze(raw));
  const [e] = evaluateWithFacts(noPrivilegeEscalation, item, params, { ...NO_FACTS, ...facts });
  return e;
}

/** The finding codes of an evaluation, sorted and unique. */
export function codes(e: Evaluation): string[] {
  return [...new Set(e.findings.map((f) => f.code))].sort();
}

/** The method ids named in an evaluation's findings. */
export function methodIds(e: Evaluation): string[] {
  return e.findings.flatMap((f) => [...f.message.matchAll(/\[([a-z0-9-]+)\]/g)].map((m) => m[1])).sort();
}

/** A role ARN of the fixture account. */
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
