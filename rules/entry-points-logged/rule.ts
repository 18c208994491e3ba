import { defineRule, exemptionParameters, flag } from '../runtime';
import { CONTROLS } from './controls';
import { FINDING_CODES, REST_STAGE, V2_STAGE, judgeStage } from './judge';
import * as z from '../runtime/zod-mini';

const parameters = z.object({
  requireExecutionLogging: flag(
    true,
    'Also require execution logging (methodSettings loggingLevel ERROR or INFO) on REST API stages.',
  ),
  ...exemptionParameters,
});

/** Parsed parameters of entry-points-logged. */
export type EntryPointsLoggedParams = z.output<typeof parameters>;

/**
 * `entry-points-logged`: every API Gateway stage writes access logs, and REST stages execution logs.
 * Change-triggered on the stage items Config records; no AWS read.
 */
export const entryPointsLogged = defineRule({
  meta: {
    id: 'entry-points-logged',
    title: 'API Gateway stages log what comes in',
    rationale:
      'An API stage without access logs leaves an incident with no trail of who called what; execution logs show ' +
      'what the API did with each request.',
    severity: 'medium',
    resourceTypes: [REST_STAGE, V2_STAGE],
    trigger: { onChange: true },
    parameters,
    permissions: [],
    findingCodes: FINDING_CODES,
    controls: CONTROLS,
    remediations: {
      'AWS::ApiGateway::Stage': 'api-enable-access-logs',
      'AWS::ApiGatewayV2::Stage': 'api-enable-access-logs',
    },
    global: false,
  },
  evaluate({ item, params }) {
    return [judgeStage(item, params)];
  },
});
