/**
 * Terraform's API Gateway and Lambda URL resources as items, as the CloudFormation adapter builds them
 * (cloudformation-apigateway.ts): stages with their access logs and, for REST stages, the
 * `aws_api_gateway_method_settings` that target them; a deployment's `stage_name` stage; methods, routes and
 * function URLs as the entry-point items of entry-point-items.ts, linked to their API by reference or value.
 */
import {
  type FunctionUrlConfiguration,
  FUNCTION_URL_TYPE,
  METHOD_TYPE,
  type MethodConfiguration,
  ROUTE_TYPE,
  type RouteConfiguration,
  WEBSOCKET_API_TYPE,
} from './entry-point-items';
import { block, type PlanResource, references, str } from './terraform-values';

/** Finds the plan resources another one refers to, recording them as inputs of the item being built. */
export interface PlanLinks {
  /** The resource of `type` that `r`'s argument `arg` refers to (by reference, else by id, ARN or name). */
  to(r: PlanResource, arg: string, type: string): PlanResource | undefined;
  /** Every resource of a type. */
  ofType(type: string): readonly PlanResource[];
}

/** One item of a build: type and configuration (the envelope is added by the caller). */
export interface PlanBuilt {
  readonly resourceType: string;
  readonly configuration: Record<string, unknown>;
}

/** `access_log_settings` as GetStage's `accessLogSettings`; left out when the block is absent. */
function accessLogs(v: unknown): Record<string, unknown> {
  const b = block(v);
  if (Object.keys(b).length === 0) return {};
  return { accessLogSettings: { destinationArn: b.destination_arn, format: b.format } };
}

function apiRef(api: PlanResource | undefined, written: unknown) {
  if (api) {
    const apiName = str(api.values.name);
    return { apiId: api.address, aliases: apiName ? [apiName] : [], apiName, apiInInput: true };
  }
  return { apiId: str(written) ?? '(not in the plan)', aliases: [], apiInInput: false };
}

/** The path of a REST resource, followed through `parent_id`; the API's `root_resource_id` is `/`. */
function resourcePath(r: PlanResource, links: PlanLinks, depth = 0): string {
  if (references(r, 'resource_id').some((x) => x.endsWith('.root_resource_id'))) return '/';
  const res = links.to(r, 'resource_id', 'aws_api_gateway_resource');
  if (!res || depth > 32) return '/{resource outside the plan}';
  const up = (p: PlanResource, d: number): string => {
    if (d > 32) return '';
    const parentIsRoot = references(p, 'parent_id').some((x) => x.endsWith('.root_resource_id'));
    const parent = parentIsRoot ? undefined : links.to(p, 'parent_id', 'aws_api_gateway_resource');
    const prefix = parent ? up(parent, d + 1) : '';
    return `${prefix}/${String(p.values.path_part ?? '{unknown}')}`;
  };
  return up(res, depth);
}

/** The method settings of a REST stage, from `aws_api_gateway_method_settings` naming it, as GetStage's map. */
function methodSettings(stageName: unknown, api: PlanResource | undefined, stage: PlanResource, links: PlanLinks) {
  const out: Record<string, unknown> = {};
  for (const m of links.ofType('aws_api_gateway_method_settings')) {
    const byRef = references(m, 'stage_name').some((x) => x.startsWith(`${stage.address.replace(/\[[^\]]*\]/g, '')}.`));
    const sameApi = api !== undefined && links.to(m, 'rest_api_id', 'aws_api_gateway_rest_api') === api;
    if (!byRef && !(sameApi && m.values.stage_name === stageName)) continue;
    const s = block(m.values.settings);
    out[String(m.values.method_path ?? '*/*')] = {
      ...(s.logging_level !== undefined ? { loggingLevel: s.logging_level } : {}),
      metricsEnabled: s.metrics_enabled === true,
      dataTraceEnabled: s.data_trace_enabled === true,
    };
  }
  return out;
}

type Build = (r: PlanResource, links: PlanLinks) => PlanBuilt[];

/** The builds of this file, by Terraform type. */
export const API_BUILDS: Readonly<Record<string, Build>> = {
  aws_api_gateway_stage: (r, links) => {
    const api = links.to(r, 'rest_api_id', 'aws_api_gateway_rest_api');
    return [
      {
        resourceType: 'AWS::ApiGateway::Stage',
        configuration: {
          stageName: r.values.stage_name,
          ...accessLogs(r.values.access_log_settings),
          methodSettings: methodSettings(r.values.stage_name, api, r, links),
          tracingEnabled: r.values.xray_tracing_enabled === true,
        },
      },
    ];
  },
  // `stage_name` on a deployment (deprecated, still planned) creates a stage without access logs.
  aws_api_gateway_deployment: (r, links) => {
    if (str(r.values.stage_name) === undefined) return [];
    const api = links.to(r, 'rest_api_id', 'aws_api_gateway_rest_api');
    return [
      {
        resourceType: 'AWS::ApiGateway::Stage',
        configuration: {
          stageName: r.values.stage_name,
          methodSettings: methodSettings(r.values.stage_name, api, r, links),
        },
      },
    ];
  },
  aws_apigatewayv2_stage: (r) => [
    {
      resourceType: 'AWS::ApiGatewayV2::Stage',
      configuration: {
        stageName: r.values.name,
        autoDeploy: r.values.auto_deploy === true,
        ...accessLogs(r.values.access_log_settings),
        defaultRouteSettings: block(r.values.default_route_settings),
      },
    },
  ],
  aws_api_gateway_method: (r, links) => {
    const api = links.to(r, 'rest_api_id', 'aws_api_gateway_rest_api');
    const attached = api
      ? links
          .ofType('aws_api_gateway_rest_api_policy')
          .find((p) => links.to(p, 'rest_api_id', 'aws_api_gateway_rest_api') === api)
      : undefined;
    const policy = attached?.values.policy ?? api?.values.policy;
    const configuration: MethodConfiguration = {
      ...apiRef(api, r.values.rest_api_id),
      httpMethod: r.values.http_method,
      resourcePath: resourcePath(r, links),
      authorizationType: r.values.authorization,
      apiKeyRequired: r.values.api_key_required ?? false,
      policy: api ? (str(policy) ?? null) : undefined,
    };
    return [{ resourceType: METHOD_TYPE, configuration: { ...configuration } }];
  },
  aws_apigatewayv2_route: (r, links) => {
    const api = links.to(r, 'api_id', 'aws_apigatewayv2_api');
    const configuration: RouteConfiguration = {
      ...apiRef(api, r.values.api_id),
      protocolType: api?.values.protocol_type,
      routeKey: r.values.route_key,
      authorizationType: r.values.authorization_type ?? 'NONE',
      apiKeyRequired: r.values.api_key_required ?? false,
    };
    return [{ resourceType: ROUTE_TYPE, configuration: { ...configuration } }];
  },
  // Quick create (`target`) makes a `$default` route without authorization and a `$default` stage without
  // access logs; a WebSocket API without a `$connect` route accepts every connection.
  aws_apigatewayv2_api: (r, links) => {
    const ref = apiRef(r, undefined);
    const out: PlanBuilt[] = [];
    if (str(r.values.target) && r.values.protocol_type === 'HTTP') {
      const route: RouteConfiguration = {
        ...ref,
        protocolType: 'HTTP',
        routeKey: r.values.route_key ?? '$default',
        authorizationType: 'NONE',
        apiKeyRequired: false,
      };
      out.push({ resourceType: ROUTE_TYPE, configuration: { ...route } });
      out.push({
        resourceType: 'AWS::ApiGatewayV2::Stage',
        configuration: { stageName: '$default', autoDeploy: true, apiGatewayManaged: true },
      });
    }
    if (r.values.protocol_type === 'WEBSOCKET') {
      const routes = links
        .ofType('aws_apigatewayv2_route')
        .filter((x) => links.to(x, 'api_id', 'aws_apigatewayv2_api') === r);
      if (!routes.some((x) => x.values.route_key === '$connect')) {
        const none: RouteConfiguration = {
          ...ref,
          protocolType: 'WEBSOCKET',
          routeKey: null,
          authorizationType: null,
          apiKeyRequired: null,
        };
        out.push({ resourceType: WEBSOCKET_API_TYPE, configuration: { ...none } });
      }
    }
    return out;
  },
  aws_lambda_function_url: (r, links) => {
    const fn = links.to(r, 'function_name', 'aws_lambda_function');
    const written = str(r.values.function_name);
    const functionName =
      str(fn?.values.function_name) ?? (written ? (/:function:([^:]+)/.exec(written)?.[1] ?? written) : r.address);
    const configuration: FunctionUrlConfiguration = {
      functionName,
      aliases: [r.address, ...(fn ? [fn.address] : [])],
      qualifier: r.values.qualifier ?? undefined,
      authType: r.values.authorization_type,
    };
    return [{ resourceType: FUNCTION_URL_TYPE, configuration: { ...configuration } }];
  },
};
