/**
 * The items template inputs build for API entry points. Config records no REST methods, HTTP API routes or
 * function URLs (entry-points-authenticated reads them through the APIs), but a template writes each as its own
 * resource: these items carry what the rule's collector reads from GetResources, GetRoutes and
 * ListFunctionUrlConfigs, one entry point per item, so a finding points at the resource's own line. Stages are
 * ordinary `AWS::ApiGateway::Stage` / `AWS::ApiGatewayV2::Stage` items, as Config records them.
 */

import { V2_ROUTE } from '../../rules/entry-points-authenticated/judge';

/** A REST API method (`AWS::ApiGateway::Method`, Terraform `aws_api_gateway_method`). */
export const METHOD_TYPE = 'AWS::ApiGateway::Method';
/** An HTTP or WebSocket API route (`AWS::ApiGatewayV2::Route`, `aws_apigatewayv2_route`): the rule's own type name. */
export const ROUTE_TYPE = V2_ROUTE;
/** A Lambda function URL (`AWS::Lambda::Url`, `aws_lambda_function_url`). */
export const FUNCTION_URL_TYPE = 'AWS::Lambda::Url';

/**
 * A WebSocket API with no `$connect` route in the input (it accepts every connection): an item of the API, with
 * a {@link RouteConfiguration} whose `routeKey` is null. Config's own `AWS::ApiGatewayV2::Api` items are not
 * built from templates.
 */
export const WEBSOCKET_API_TYPE = 'AWS::ApiGatewayV2::Api';

/** The entry-point item types. */
export const ENTRY_POINT_TYPES: readonly string[] = [METHOD_TYPE, ROUTE_TYPE, FUNCTION_URL_TYPE, WEBSOCKET_API_TYPE];

/** The API an entry point belongs to, as far as the input says. */
export interface ApiRef {
  /** The API's logical id (Terraform: address) when it is in the input, else the id as written. */
  readonly apiId: string;
  /** Other names a `publicRoutes` pattern may use for the API: the id as written, the API's `Name`. */
  readonly aliases: readonly string[];
  readonly apiName?: string;
  /** False when the API is not in the input (imported, another stack, the hook's single resource). */
  readonly apiInInput: boolean;
}

/** The configuration of a {@link METHOD_TYPE} item. */
export interface MethodConfiguration extends ApiRef {
  readonly httpMethod: unknown;
  readonly resourcePath: string;
  /** AWS's default when left out: `NONE`. */
  readonly authorizationType: unknown;
  readonly apiKeyRequired: unknown;
  /** The API's resource policy (JSON text), or null when it has none; unknown when the API is not in the input. */
  readonly policy: unknown;
}

/** The configuration of a {@link ROUTE_TYPE} item. */
export interface RouteConfiguration extends ApiRef {
  /** `HTTP`, `WEBSOCKET`, or undefined when the API is not in the input. */
  readonly protocolType?: unknown;
  /** Null on the item of a WebSocket API that has no `$connect` route in the input. */
  readonly routeKey: unknown;
  readonly authorizationType: unknown;
  readonly apiKeyRequired: unknown;
}

/** The configuration of a {@link FUNCTION_URL_TYPE} item. */
export interface FunctionUrlConfiguration {
  readonly functionName: string;
  /** Other names a `publicRoutes` pattern may use: the function's logical id or Terraform address. */
  readonly aliases: readonly string[];
  readonly qualifier?: unknown;
  readonly authType: unknown;
}

/**
 * The key API Gateway's GetStage gives a method setting: `*\/*` for every method, else the resource path
 * without its leading slash (CloudFormation already writes `/` inside it as `~1`) and the HTTP method.
 */
export function methodSettingKey(resourcePath: unknown, httpMethod: unknown): string {
  const path = typeof resourcePath === 'string' ? resourcePath : '/*';
  const method = typeof httpMethod === 'string' ? httpMethod : '*';
  if (path === '/*' && method === '*') return '*/*';
  return `${path.replace(/^\//, '')}/${method}`;
}
