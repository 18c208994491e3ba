import { createConfigRuleHandler } from '../runtime/handler';
import { entryPointsLogged } from './rule';

/** The Lambda entry of the `ward-entry-points-logged` Config rule. */
export const handler = createConfigRuleHandler(entryPointsLogged);
