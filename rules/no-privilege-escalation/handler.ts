import { createConfigRuleHandler } from '../runtime/handler';
import { noPrivilegeEscalation } from './rule';

/** The Lambda entry of `ward-no-privilege-escalation`. */
export const handler = createConfigRuleHandler(noPrivilegeEscalation);
