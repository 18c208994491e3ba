import type { ControlMap, ControlRefs } from '../runtime/controls';
import { REST_STAGE, V2_STAGE } from './judge';

// Base controls among the NIST ones Security Hub relates to APIGateway.1 (AU-2, AU-3, AU-12, ...).
const LOGGING: ControlRefs = { 'nist-800-53-r5': ['AU-2', 'AU-3', 'AU-12'] };

/**
 * Controls per finding code. APIGateway.1 checks execution logging of REST (and WebSocket) stages; APIGateway.9
 * access logging of V2 stages. No FSBP control checks access logging of a REST stage, so that is NIST only.
 */
export const CONTROLS: ControlMap = {
  'execution-log-off': { '*': LOGGING, [REST_STAGE]: { 'aws-fsbp': ['APIGateway.1'] } },
  'access-log-missing': { '*': LOGGING, [V2_STAGE]: { 'aws-fsbp': ['APIGateway.9'] } },
};
