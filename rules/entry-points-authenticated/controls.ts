import type { ControlMap, ControlRefs } from '../runtime/controls';
import { V2_API, V2_ROUTE } from './judge';

const ACCESS: ControlRefs = { 'nist-800-53-r5': ['AC-3'] };

/**
 * Controls per finding code. APIGateway.8 ("API Gateway routes should specify an authorization type") fails a V2
 * route with authorization NONE, which is what `open-route` reports: on the API that holds the route in live
 * scans, on the route resource itself from templates. No FSBP control checks a REST method's authorization or a
 * function URL's AuthType, so those are NIST only.
 */
export const CONTROLS: ControlMap = {
  'open-route': {
    '*': ACCESS,
    [V2_API]: { 'aws-fsbp': ['APIGateway.8'] },
    [V2_ROUTE]: { 'aws-fsbp': ['APIGateway.8'] },
  },
  'open-method': { '*': ACCESS },
  'open-function-url': { '*': ACCESS },
};
