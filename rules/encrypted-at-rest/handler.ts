import { createConfigRuleHandler } from '../runtime/handler';
import { encryptedAtRest } from './rule';

/** The Lambda entry of `ward-encrypted-at-rest`: the model every rule's handler.ts follows. */
export const handler = createConfigRuleHandler(encryptedAtRest);
