import { createConfigRuleHandler } from '../runtime/handler';
import { noPublicPrincipals } from './rule';

/** The Lambda entry of the `ward-no-public-principals` Config rule. */
export const handler = createConfigRuleHandler(noPublicPrincipals);
