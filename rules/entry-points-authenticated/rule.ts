import { defineRule, notApplicable } from '../runtime';
import { CONTROLS } from './controls';
import { collectEntryPoints } from './collect';
import { FINDING_CODES, LAMBDA_FUNCTION, REST_API, V2_API } from './judge';
import { publicRoutesParameter } from './public-routes';
import * as z from '../runtime/zod-mini';

const parameters = z.object({ publicRoutes: publicRoutesParameter });

/** Parsed parameters of entry-points-authenticated. */
export type EntryPointsAuthenticatedParams = z.output<typeof parameters>;

/**
 * `entry-points-authenticated`: every API Gateway method and route and every Lambda function URL requires
 * authentication, or is listed as public by intent. Periodic: Config records no methods, routes or URLs.
 */
export const entryPointsAuthenticated = defineRule({
  meta: {
    id: 'entry-points-authenticated',
    title: 'Every API and function URL authenticates its callers',
    rationale:
      'An API Gateway method, an HTTP API route or a Lambda function URL without authorization is open to anyone ' +
      'on the internet: the code behind it is the only guard.',
    severity: 'high',
    resourceTypes: [],
    periodicResourceTypes: [REST_API, V2_API, LAMBDA_FUNCTION],
    trigger: { onChange: false, periodic: 'TwentyFour_Hours' },
    parameters,
    permissions: [
      'apigateway:GET',
      'lambda:ListFunctions',
      'lambda:ListFunctionUrlConfigs',
      'lambda:GetFunctionUrlConfig',
    ],
    findingCodes: FINDING_CODES,
    controls: CONTROLS,
    remediations: {
      'AWS::ApiGateway::RestApi': 'api-add-authorizer',
      'AWS::ApiGatewayV2::Api': 'api-add-authorizer',
      'AWS::Lambda::Function': 'api-add-authorizer',
    },
    global: false,
  },
  // Configuration items carry no methods, routes or URLs: every judgement happens in `collect`.
  evaluate({ item }) {
    return [
      notApplicable(
        item,
        'entry-points-authenticated is periodic: methods, routes and function URLs are not in configuration items (use --live).',
      ),
    ];
  },
  collect: (ctx, params) => collectEntryPoints(ctx, params),
});
