import { createConfigRuleHandler } from '../runtime/handler';
import { noWildcardActions } from './rule';

/** The Lambda entry of `ward-no-wildcard-actions`. */
export const handler = createConfigRuleHandler(noWildcardActions);
