import { credentialsNotShared } from './credentials-not-shared/rule';
import { encryptedAtRest } from './encrypted-at-rest/rule';
import { entryPointsAuthenticated } from './entry-points-authenticated/rule';
import { entryPointsLogged } from './entry-points-logged/rule';
import { kmsKeysNotShared } from './kms-keys-not-shared/rule';
import { lambdaRuntimeSupported } from './lambda-runtime-supported/rule';
import { noPrivilegeEscalation } from './no-privilege-escalation/rule';
import { noPublicPrincipals } from './no-public-principals/rule';
import { noWildcardActions } from './no-wildcard-actions/rule';
import type { AnyRule } from './runtime/types';

/**
 * The registry of rules, in display order. Packs, docs, `ward rules` and the CDK app are generated from it.
 * Handlers never import this file (each imports only its own rule).
 */
export const rules: readonly AnyRule[] = [
  encryptedAtRest as AnyRule,
  noPublicPrincipals as AnyRule,
  noWildcardActions as AnyRule,
  kmsKeysNotShared as AnyRule,
  credentialsNotShared as AnyRule,
  lambdaRuntimeSupported as AnyRule,
  entryPointsAuthenticated as AnyRule,
  entryPointsLogged as AnyRule,
  noPrivilegeEscalation as AnyRule,
];

/** Looks a rule up by id. */
export function findRule(id: string): AnyRule | undefined {
  return rules.find((r) => r.meta.id === id);
}
