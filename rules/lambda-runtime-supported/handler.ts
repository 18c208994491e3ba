import { createConfigRuleHandler } from '../runtime/handler';
import { lambdaRuntimeSupported } from './rule';

/** The Lambda entry of the `ward-lambda-runtime-supported` Config rule. */
export const handler = createConfigRuleHandler(lambdaRuntimeSupported);
