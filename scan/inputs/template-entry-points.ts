/**
 * entry-points-authenticated on templates. Live, the rule lists methods, routes and function URLs through the
 * APIs (its `collect`); before deploy each is a resource of the template, built into the items of
 * entry-point-items.ts, and judged here by the rule's own pure judges (`judgeRestApi`, `judgeV2Api`,
 * `judgeFunction`) with the same parameters, one evaluation per entry point so that each finding has the
 * resource's line. A value unknown before deploy is taken at its worst (an authorization type or AuthType
 * that may be NONE, an API-key flag that may be false, a resource policy whose unknowns may be `*`) and the
 * finding says so; an API not in the input (imported, the hook's single resource) has an unknown resource
 * policy, judged as none, and the finding says that too.
 */
import { notApplicable } from '../../rules/runtime/evaluation';
import type { AnyRule, Evaluation, Finding } from '../../rules/runtime/types';
import { Compliance } from '../../rules/runtime/types';
import {
  type AuthenticatedParams,
  judgeFunction,
  judgeRestApi,
  judgeV2Api,
} from '../../rules/entry-points-authenticated/judge';
import { matchApiRoute, matchFunction } from '../../rules/entry-points-authenticated/public-routes';
import type { TemplateItem } from './cloudformation';
import {
  ENTRY_POINT_TYPES,
  FUNCTION_URL_TYPE,
  type FunctionUrlConfiguration,
  METHOD_TYPE,
  type MethodConfiguration,
  type RouteConfiguration,
} from './entry-point-items';

/** The rule judged from entry-point items (periodic live, it has no configuration items to judge). */
export const ENTRY_POINTS_RULE = 'entry-points-authenticated';

/** True when a rule judges template items of `type` (its own types, or the entry-point items). */
export function judgesTemplateType(rule: AnyRule, type: string): boolean {
  return (
    rule.meta.resourceTypes.includes(type) || (rule.meta.id === ENTRY_POINTS_RULE && ENTRY_POINT_TYPES.includes(type))
  );
}

/** True when a rule runs on template inputs: change-triggered rules, and the entry-point rule. */
export function runsOnTemplates(rule: AnyRule): boolean {
  return rule.meta.trigger.onChange || rule.meta.id === ENTRY_POINTS_RULE;
}

const isUnknown = (v: unknown) => JSON.stringify(v ?? null).includes('{{unresolved:');

/** The `publicRoutes` name that matches, among an entry point's names, else the first. */
function pickApiName(params: AuthenticatedParams, names: readonly string[], key: string): string {
  return names.find((n) => matchApiRoute(params.publicRoutes, n, key)) ?? names[0];
}

/** Retargets a judge's evaluation at the entry point's own item, with the unknowns it was judged at. */
function asItem(t: TemplateItem, e: Evaluation, unknown: readonly string[]): Evaluation {
  const ref = { resourceType: t.item.resourceType, resourceId: t.item.resourceId };
  if (e.compliance !== Compliance.NON_COMPLIANT || unknown.length === 0) return { ...e, ...ref } as Evaluation;
  const why = `Unknown before deploy (${unknown.join('; ')}): `;
  const findings = e.findings.map((f: Finding) => ({ ...f, message: `${why}${f.message}` }));
  return { ...e, ...ref, findings, annotation: `${why}${e.annotation ?? ''}`.slice(0, 256) } as unknown as Evaluation;
}

function method(t: TemplateItem, c: MethodConfiguration, params: AuthenticatedParams): Evaluation {
  const ref = { resourceType: t.item.resourceType, resourceId: t.item.resourceId };
  const httpMethod = typeof c.httpMethod === 'string' ? c.httpMethod : '';
  if (httpMethod.toUpperCase() === 'OPTIONS') {
    return notApplicable(ref, 'OPTIONS method (CORS preflight): not an entry point to authenticate.');
  }
  const unknown: string[] = [];
  let authorizationType = c.authorizationType;
  if (isUnknown(authorizationType)) {
    unknown.push(`AuthorizationType ${String(authorizationType)} may be NONE`);
    authorizationType = 'NONE';
  }
  let apiKeyRequired = c.apiKeyRequired;
  if (isUnknown(apiKeyRequired)) {
    unknown.push(`ApiKeyRequired ${String(apiKeyRequired)} may be false`);
    apiKeyRequired = false;
  } else if (apiKeyRequired === 'true' || apiKeyRequired === 'false') apiKeyRequired = apiKeyRequired === 'true';
  let policy = c.policy;
  if (!c.apiInInput) {
    unknown.push(`the resource policy of API ${c.apiId}, which is not in the input, is judged as none`);
    policy = undefined;
  } else if (isUnknown(policy)) {
    // Each unknown in the policy at its broadest: a condition value that may be "*" limits nothing.
    const worst = t.worst?.configuration?.policy;
    unknown.push('the resource policy holds values unknown before deploy, taken as "*"');
    policy = worst;
  }
  const key = `${httpMethod || String(c.httpMethod)} ${c.resourcePath}`;
  const e = judgeRestApi(
    {
      id: pickApiName(params, [c.apiId, ...c.aliases], key),
      name: c.apiName ?? c.apiId,
      policy,
      methods: [
        { path: c.resourcePath, httpMethod: httpMethod || String(c.httpMethod), authorizationType, apiKeyRequired },
      ],
    },
    params,
  );
  return asItem(t, e, unknown);
}

function route(t: TemplateItem, c: RouteConfiguration, params: AuthenticatedParams): Evaluation {
  const ref = { resourceType: t.item.resourceType, resourceId: t.item.resourceId };
  const websocket = c.protocolType === 'WEBSOCKET';
  // A route key unknown before deploy may be `$connect`: judged.
  if (websocket && c.routeKey !== null && c.routeKey !== '$connect' && !isUnknown(c.routeKey)) {
    return notApplicable(ref, `WebSocket route ${String(c.routeKey)}: a WebSocket API authorizes at $connect only.`);
  }
  const unknown: string[] = [];
  let authorizationType = c.authorizationType;
  if (isUnknown(authorizationType)) {
    unknown.push(`AuthorizationType ${String(authorizationType)} may be NONE`);
    authorizationType = 'NONE';
  }
  let routeKey = typeof c.routeKey === 'string' ? c.routeKey : '$connect';
  if (websocket && isUnknown(routeKey)) {
    unknown.push(`RouteKey ${routeKey} may be $connect`);
    routeKey = '$connect';
  }
  if (!websocket && routeKey.toUpperCase().startsWith('OPTIONS ')) {
    return notApplicable(ref, `${routeKey} (CORS preflight): not an entry point to authenticate.`);
  }
  const e = judgeV2Api(
    {
      id: pickApiName(params, [c.apiId, ...c.aliases], routeKey),
      name: c.apiName ?? c.apiId,
      protocolType: websocket ? 'WEBSOCKET' : 'HTTP',
      routes:
        c.routeKey === null
          ? []
          : [
              {
                // A key that is not a string is the judge's to report as unreadable.
                routeKey: typeof c.routeKey === 'string' ? routeKey : c.routeKey,
                authorizationType,
                apiKeyRequired: c.apiKeyRequired,
              },
            ],
    },
    params,
  );
  return asItem(t, e, unknown);
}

function functionUrl(t: TemplateItem, c: FunctionUrlConfiguration, params: AuthenticatedParams): Evaluation {
  const unknown: string[] = [];
  let authType = c.authType;
  if (isUnknown(authType)) {
    unknown.push(`AuthType ${String(authType)} may be NONE`);
    authType = 'NONE';
  }
  const names = [c.functionName, ...c.aliases];
  const name = names.find((n) => matchFunction(params.publicRoutes, n)) ?? c.functionName;
  const qualifier = typeof c.qualifier === 'string' && c.qualifier !== '' ? `:${c.qualifier}` : '';
  const e = judgeFunction(
    {
      name,
      urls: [{ functionArn: `arn:aws:lambda:::function:${c.functionName}${qualifier}`, authType }],
      aliasUrlsRead: true,
    },
    params,
  );
  return asItem(t, e, unknown);
}

/**
 * Judges one entry-point item with entry-points-authenticated's judges and parameters: one evaluation, about
 * the item (its type and logical id), whose finding path names the property (`AuthorizationType`, `AuthType`).
 */
export function judgeEntryPointItem(t: TemplateItem, params: AuthenticatedParams): Evaluation {
  const c = (t.item.configuration ?? {}) as Record<string, unknown>;
  switch (t.item.resourceType) {
    case METHOD_TYPE:
      return method(t, c as unknown as MethodConfiguration, params);
    case FUNCTION_URL_TYPE:
      return functionUrl(t, c as unknown as FunctionUrlConfiguration, params);
    default:
      return route(t, c as unknown as RouteConfiguration, params);
  }
}
