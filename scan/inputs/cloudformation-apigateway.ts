/**
 * API Gateway and Lambda URL resources of a template as items: REST and HTTP/WebSocket stages as Config records
 * them (entry-points-logged), including the stage an `AWS::ApiGateway::Deployment` with `StageName` creates and
 * the `$default` stage of a quick-create HTTP API; and the entry points (methods, routes, function URLs) as the
 * items of entry-point-items.ts (entry-points-authenticated). Properties are resolved one by one: the ids that
 * link a method to its API and resource (`!GetAtt Api.RootResourceId`) are followed in the template, not
 * resolved to values AWS assigns, so they are never reported as unknown.
 */
import {
  type BuildKit,
  type BuiltItem,
  envelope,
  jsonPolicy,
  list,
  rec,
  referencedIds,
  tagsOf,
} from './cloudformation-kit';
import { namedInTemplate } from './cloudformation-naming';
import {
  type FunctionUrlConfiguration,
  FUNCTION_URL_TYPE,
  METHOD_TYPE,
  type MethodConfiguration,
  methodSettingKey,
  ROUTE_TYPE,
  type RouteConfiguration,
  WEBSOCKET_API_TYPE,
} from './entry-point-items';

/** A builder reading the raw properties and resolving what it needs. */
export type RawBuilder = (kit: BuildKit, id: string, raw: Record<string, unknown>) => BuiltItem[];

const REST_STAGE = 'AWS::ApiGateway::Stage';
const V2_STAGE = 'AWS::ApiGatewayV2::Stage';

function built(
  kit: BuildKit,
  id: string,
  resourceType: string,
  configuration: Record<string, unknown>,
  tags?: unknown,
  from: string[] = [],
): BuiltItem {
  return {
    logicalId: id,
    from,
    ci: envelope(kit, { logicalId: id, resourceType, configuration, tags: tagsOf(tags) }),
  };
}

/** `AccessLogSetting(s)` as GetStage returns it; left out when not set (the stage writes no access log). */
function accessLogs(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  const s = rec(raw);
  return { accessLogSettings: { destinationArn: s.DestinationArn, format: s.Format } };
}

/** CloudFormation `MethodSettings` (a list) as GetStage's map, with a stage-wide `LoggingLevel` as `*\/*`. */
function methodSettings(entries: unknown, stageWideLevel?: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (stageWideLevel !== undefined) out['*/*'] = { loggingLevel: stageWideLevel };
  for (const entry of list(entries)) {
    const s = rec(entry);
    const key = methodSettingKey(s.ResourcePath, s.HttpMethod);
    out[key] = {
      ...rec(out[key]),
      ...(s.LoggingLevel !== undefined ? { loggingLevel: s.LoggingLevel } : {}),
      metricsEnabled: s.MetricsEnabled === true,
      dataTraceEnabled: s.DataTraceEnabled === true,
    };
  }
  return out;
}

/**
 * The REST stage item of a stage's settings: an `AWS::ApiGateway::Stage`'s properties, or the `StageDescription`
 * of a deployment (which may also set one `LoggingLevel` for the whole stage).
 */
function restStageItems(
  kit: BuildKit,
  id: string,
  stageName: unknown,
  settings: Record<string, unknown>,
  more: { readonly deploymentId?: unknown; readonly stageWideLevel?: unknown },
) {
  return [
    built(
      kit,
      id,
      REST_STAGE,
      {
        stageName,
        ...('deploymentId' in more ? { deploymentId: more.deploymentId } : {}),
        ...accessLogs(settings.AccessLogSetting),
        methodSettings: methodSettings(settings.MethodSettings, more.stageWideLevel),
        tracingEnabled: settings.TracingEnabled === true,
      },
      settings.Tags,
    ),
  ];
}

const restStage: RawBuilder = (kit, id, raw) => {
  const p = rec(kit.resolve(raw));
  return restStageItems(kit, id, p.StageName, p, { deploymentId: p.DeploymentId });
};

/** A deployment with `StageName` creates that stage, configured by `StageDescription`. */
const deploymentStage: RawBuilder = (kit, id, raw) => {
  if (raw.StageName === undefined) return [];
  const d = rec(kit.resolve(raw.StageDescription));
  return restStageItems(kit, id, kit.resolve(raw.StageName), d, { stageWideLevel: d.LoggingLevel });
};

const v2Stage: RawBuilder = (kit, id, raw) => {
  const p = rec(kit.resolve(raw));
  return [
    built(
      kit,
      id,
      V2_STAGE,
      {
        stageName: p.StageName,
        autoDeploy: p.AutoDeploy === true,
        ...accessLogs(p.AccessLogSettings),
        defaultRouteSettings: rec(p.DefaultRouteSettings),
      },
      p.Tags,
    ),
  ];
};

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The API a method or route names (`RestApiId`, `ApiId`): the template's resource, or the id as written. */
function apiOf(kit: BuildKit, raw: unknown, type: string) {
  const inTemplate = referencedIds(kit, raw).find((r) => kit.resources[r]?.Type === type);
  if (inTemplate) {
    const api = rec(kit.resources[inTemplate].Properties);
    const apiName = str(kit.resolve(api.Name));
    return {
      ref: { apiId: inTemplate, aliases: apiName ? [apiName] : [], apiName, apiInInput: true },
      properties: api,
    };
  }
  const written = kit.resolve(raw);
  const apiId = str(written) ?? JSON.stringify(raw ?? null);
  return { ref: { apiId, aliases: [], apiInInput: false }, properties: undefined };
}

/** The path of a REST resource, followed through `ParentId` in the template; the root is `/`. */
function resourcePath(kit: BuildKit, raw: unknown, depth = 0): string {
  const getAtt = rec(raw)['Fn::GetAtt'];
  const att = Array.isArray(getAtt) ? getAtt.join('.') : typeof getAtt === 'string' ? getAtt : '';
  if (att.endsWith('.RootResourceId')) return '/';
  const [id] = referencedIds(kit, raw);
  const r = id ? kit.resources[id] : undefined;
  if (!r || r.Type !== 'AWS::ApiGateway::Resource' || depth > 32) return '/{resource outside the template}';
  const part = kit.resolve(r.Properties?.PathPart);
  const parent = resourcePath(kit, r.Properties?.ParentId, depth + 1);
  return `${parent === '/' ? '' : parent}/${typeof part === 'string' ? part : '{unknown}'}`;
}

const restMethod: RawBuilder = (kit, id, raw) => {
  const api = apiOf(kit, raw.RestApiId, 'AWS::ApiGateway::RestApi');
  const policy = api.properties ? kit.resolve(api.properties.Policy) : undefined;
  const configuration: MethodConfiguration = {
    ...api.ref,
    httpMethod: kit.resolve(raw.HttpMethod),
    resourcePath: resourcePath(kit, raw.ResourceId),
    // Left out, CloudFormation creates the method with NONE and no API key.
    authorizationType: raw.AuthorizationType === undefined ? 'NONE' : kit.resolve(raw.AuthorizationType),
    apiKeyRequired: raw.ApiKeyRequired === undefined ? false : kit.resolve(raw.ApiKeyRequired),
    policy: api.properties ? (policy === undefined ? null : jsonPolicy(policy)) : undefined,
  };
  // A finding about the resource policy points at the API that holds it.
  const from = api.properties?.Policy !== undefined ? [api.ref.apiId] : [];
  return [built(kit, id, METHOD_TYPE, { ...configuration }, undefined, from)];
};

const v2Route: RawBuilder = (kit, id, raw) => {
  const api = apiOf(kit, raw.ApiId, 'AWS::ApiGatewayV2::Api');
  const configuration: RouteConfiguration = {
    ...api.ref,
    protocolType: api.properties ? kit.resolve(api.properties.ProtocolType) : undefined,
    routeKey: kit.resolve(raw.RouteKey),
    authorizationType: raw.AuthorizationType === undefined ? 'NONE' : kit.resolve(raw.AuthorizationType),
    apiKeyRequired: raw.ApiKeyRequired === undefined ? false : kit.resolve(raw.ApiKeyRequired),
  };
  return [built(kit, id, ROUTE_TYPE, { ...configuration })];
};

/**
 * An HTTP or WebSocket API: a quick-create HTTP API (`Target`) gets a `$default` route without authorization
 * and a `$default` stage without access logs, as API Gateway creates them; a WebSocket API with no `$connect`
 * route in the template is judged as accepting every connection.
 */
const v2Api: RawBuilder = (kit, id, raw) => {
  const protocolType = kit.resolve(raw.ProtocolType);
  const apiName = str(kit.resolve(raw.Name));
  const ref = { apiId: id, aliases: apiName ? [apiName] : [], apiName, apiInInput: true };
  const out: BuiltItem[] = [];
  if (raw.Target !== undefined && protocolType === 'HTTP') {
    const route: RouteConfiguration = {
      ...ref,
      protocolType,
      routeKey: kit.resolve(raw.RouteKey ?? '$default'),
      authorizationType: 'NONE',
      apiKeyRequired: false,
    };
    out.push(built(kit, id, ROUTE_TYPE, { ...route }));
    out.push(built(kit, id, V2_STAGE, { stageName: '$default', autoDeploy: true, apiGatewayManaged: true }));
  }
  if (protocolType === 'WEBSOCKET') {
    const routes = kit.attachments('AWS::ApiGatewayV2::Route', 'ApiId').get(id) ?? [];
    if (!routes.some(([, r]) => kit.resolve(r.Properties?.RouteKey) === '$connect')) {
      const none: RouteConfiguration = {
        ...ref,
        protocolType,
        routeKey: null,
        authorizationType: null,
        apiKeyRequired: null,
      };
      out.push(built(kit, id, WEBSOCKET_API_TYPE, { ...none }));
    }
  }
  return out;
};

/** A function URL: `TargetFunctionArn` names the template's function, or a function by name or ARN. */
const functionUrl: RawBuilder = (kit, id, raw) => {
  const [fn] = referencedIds(kit, raw.TargetFunctionArn).filter(
    (r) => kit.resources[r]?.Type === 'AWS::Lambda::Function',
  );
  const written = kit.resolve(raw.TargetFunctionArn);
  // A generated function name is not known before deploy: the logical id names the function then.
  const functionName = fn
    ? namedInTemplate(kit.resources[fn])
      ? kit.naming.name(fn)
      : fn
    : typeof written === 'string'
      ? (/:function:([^:]+)/.exec(written)?.[1] ?? written)
      : id;
  const configuration: FunctionUrlConfiguration = {
    functionName,
    aliases: [id, ...(fn ? [fn] : [])],
    qualifier: raw.Qualifier === undefined ? undefined : kit.resolve(raw.Qualifier),
    authType: kit.resolve(raw.AuthType),
  };
  return [built(kit, id, FUNCTION_URL_TYPE, { ...configuration })];
};

/** The builders of this file, by CloudFormation type. */
export const API_BUILDERS: Readonly<Record<string, RawBuilder>> = {
  'AWS::ApiGateway::Stage': restStage,
  'AWS::ApiGateway::Deployment': deploymentStage,
  'AWS::ApiGatewayV2::Stage': v2Stage,
  'AWS::ApiGatewayV2::Api': v2Api,
  'AWS::ApiGateway::Method': restMethod,
  'AWS::ApiGatewayV2::Route': v2Route,
  'AWS::Lambda::Url': functionUrl,
};

/**
 * What the template defines that ward cannot judge: an API whose methods or routes are in an OpenAPI
 * definition (`Body`, `BodyS3Location`) rather than in resources.
 */
export function apiDefinitionNote(file: string, id: string, type: string, properties: unknown): string | undefined {
  if (type !== 'AWS::ApiGateway::RestApi' && type !== 'AWS::ApiGatewayV2::Api') return undefined;
  const p = rec(properties);
  if (p.Body === undefined && p.BodyS3Location === undefined) return undefined;
  const what = type === 'AWS::ApiGateway::RestApi' ? 'methods' : 'routes';
  return `${file}: ${type} ${id} defines its ${what} in an OpenAPI definition (Body/BodyS3Location); its ${what} were not judged`;
}
