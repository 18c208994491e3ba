import { createConfigRuleHandler } from '../runtime/handler';
import { kmsKeysNotShared } from './rule';

/** The Lambda entry of `ward-kms-keys-not-shared` (change-triggered and periodic). */
export const handler = createConfigRuleHandler(kmsKeysNotShared);
