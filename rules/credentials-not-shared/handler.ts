import { createConfigRuleHandler } from '../runtime/handler';
import { credentialsNotShared } from './rule';

/** The Lambda entry of `ward-credentials-not-shared` (periodic). */
export const handler = createConfigRuleHandler(credentialsNotShared);
