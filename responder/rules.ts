import { credentialsNotShared } from '../rules/credentials-not-shared/rule';
import { encryptedAtRest } from '../rules/encrypted-at-rest/rule';
import { entryPointsAuthenticated } from '../rules/entry-points-authenticated/rule';
import { entryPointsLogged } from '../rules/entry-points-logged/rule';
import { kmsKeysNotShared } from '../rules/kms-keys-not-shared/rule';
import { lambdaRuntimeSupported } from '../rules/lambda-runtime-supported/rule';
import { noPublicPrincipals } from '../rules/no-public-principals/rule';
import type { AnyRule } from '../rules/runtime/types';

/**
 * The rules the responder re-runs before a runbook acts: those whose findings an automated runbook fixes
 * (`no-wildcard-actions` has only a manual playbook). Imported one by one rather than through the registry so
 * the responder bundle carries only what it needs (it must stay under 400 KB). Rules not listed here are
 * alerted on (their titles come from WARD_RULE_TITLES) and never remediated automatically.
 */
export const responderRules: readonly AnyRule[] = [
  encryptedAtRest as AnyRule,
  noPublicPrincipals as AnyRule,
  kmsKeysNotShared as AnyRule,
  credentialsNotShared as AnyRule,
  // Manual playbooks only: listed so alerts link the playbook (runbookIdFor reads meta.remediations).
  lambdaRuntimeSupported as AnyRule,
  entryPointsAuthenticated as AnyRule,
  entryPointsLogged as AnyRule,
];
