import { createConfigRuleHandler } from '../runtime/handler';
import { entryPointsAuthenticated } from './rule';

/** The Lambda entry of `ward-entry-points-authenticated` (periodic). */
export const handler = createConfigRuleHandler(entryPointsAuthenticated);
