/**
 * Judges the entry points ward read (pure): REST API methods, HTTP and WebSocket API routes and Lambda function
 * URLs. One evaluation per API or function; each open endpoint is one finding.
 */
import { compliant, nonCompliant, notApplicable } from '../runtime/evaluation';
import type { Evaluation, Finding, FindingCodeInfo } from '../runtime/types';
import { UNREADABLE_CONFIGURATION_CODE } from '../runtime/unreadable';
import { type PublicRoute, matchApiRoute, matchFunction } from './public-routes';
import { policyLimit } from './resource-policy';

/** Resource types this rule reports. */
export const REST_API = 'AWS::ApiGateway::RestApi';
export const V2_API = 'AWS::ApiGatewayV2::Api';
export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
/** A route as templates write it (Config records no routes: live, a route's finding is on its API). */
export const V2_ROUTE = 'AWS::ApiGatewayV2::Route';

/**
 * The finding codes of this rule, with the description and severity the README and `meta.findingCodes` carry.
 * An answer field that is missing or of the wrong type is the runtime's `unreadable-configuration`.
 */
export const FINDING_CODES = {
  'open-method': {
    description:
      'A REST API method has authorizationType NONE, needs no API key, and no resource policy limits callers.',
    severity: 'high',
  },
  'open-route': {
    description: 'An HTTP or WebSocket API route (or a WebSocket $connect) has authorizationType NONE.',
    severity: 'high',
  },
  'open-function-url': {
    description: 'A Lambda function URL has AuthType NONE: anyone on the internet can invoke it.',
    severity: 'high',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

function finding(code: FindingCode, message: string, path: string): Finding {
  return { code, message, path, severity: FINDING_CODES[code].severity };
}

/**
 * The runtime's `unreadable-configuration` for one endpoint of an answer (the rest of the API is still judged),
 * rated like the rule's most severe code: what could not be read may be open (fail closed, as the engine rates it).
 */
function unreadableAnswer(message: string, path: string): Finding {
  return { code: UNREADABLE_CONFIGURATION_CODE, message, path, severity: 'high' };
}

/** One REST method as GetResources (embed=methods) returns it; fields are unknown until checked. */
export interface RestMethodFacts {
  readonly path: string;
  readonly httpMethod: string;
  readonly authorizationType: unknown;
  readonly apiKeyRequired: unknown;
}

/** One REST API with its methods. */
export interface RestApiFacts {
  readonly id: string;
  readonly name?: string;
  /** The resource policy as GetRestApis returns it (an escaped JSON string), or undefined. */
  readonly policy?: unknown;
  readonly methods: readonly RestMethodFacts[];
}

/** One HTTP or WebSocket route as GetRoutes returns it. */
export interface RouteFacts {
  readonly routeKey: unknown;
  readonly authorizationType: unknown;
  readonly apiKeyRequired?: unknown;
}

/** One HTTP or WebSocket API with its routes. */
export interface V2ApiFacts {
  readonly id: string;
  readonly name?: string;
  readonly protocolType?: string;
  readonly routes: readonly RouteFacts[];
}

/** One function URL (the unqualified function's or an alias's). */
export interface FunctionUrlFacts {
  readonly functionArn: string;
  readonly url?: string;
  readonly authType: unknown;
}

/** One function with its URLs. */
export interface FunctionFacts {
  readonly name: string;
  readonly urls: readonly FunctionUrlFacts[];
  /**
   * False when the endpoint did not answer ListFunctionUrlConfigs and only the unqualified function's URL was
   * read (GetFunctionUrlConfig): URLs of aliases are unknown.
   */
  readonly aliasUrlsRead: boolean;
}

/** The parameters the judges read. */
export interface AuthenticatedParams {
  readonly publicRoutes: readonly PublicRoute[];
}

const listed = (items: readonly string[], max = 3) =>
  items.slice(0, max).join('; ') + (items.length > max ? ` (+${items.length - max} more)` : '');

/** The verdict once open, listed and authenticated endpoints of one resource are known. */
function verdict(
  ref: { resourceType: string; resourceId: string },
  findings: Finding[],
  publicByIntent: string[],
  authenticated: number,
  what: string,
  note = '',
): Evaluation {
  if (findings.length > 0) return nonCompliant(ref, findings as [Finding, ...Finding[]], { ruleSeverity: 'high' });
  if (publicByIntent.length > 0 && authenticated === 0) {
    return notApplicable(ref, `Public by intent (publicRoutes): ${listed(publicByIntent)}.${note}`);
  }
  if (publicByIntent.length > 0) {
    return compliant(ref, `Every other ${what} is authenticated; public by intent: ${listed(publicByIntent)}.${note}`);
  }
  if (authenticated === 0) return notApplicable(ref, `No ${what} to judge.${note}`);
  // The note names what stands in for authorization (an API key, a resource policy): then "authenticated" alone
  // would overstate it.
  return compliant(ref, `Every ${what} is ${note ? 'authenticated or limited' : 'authenticated'}.${note}`);
}

/**
 * A REST API: a method is open when its authorizationType is NONE, it needs no API key, and the API's resource
 * policy does not limit callers. OPTIONS methods (CORS preflight) are never findings.
 */
export function judgeRestApi(api: RestApiFacts, params: AuthenticatedParams): Evaluation {
  const ref = { resourceType: REST_API, resourceId: api.id };
  const findings: Finding[] = [];
  const publicByIntent: string[] = [];
  let authenticated = 0;
  const limit = policyLimit(api.policy);
  if (limit.kind === 'malformed') {
    findings.push(unreadableAnswer(`The resource policy of API ${api.id} cannot be read: ${limit.error}.`, 'policy'));
  }
  let limitedOpen = 0;
  let keyOnly = 0;
  for (const m of api.methods) {
    if (m.httpMethod.toUpperCase() === 'OPTIONS') continue;
    const key = `${m.httpMethod} ${m.path}`;
    const path = `resources["${m.path}"].resourceMethods.${m.httpMethod}`;
    if (typeof m.authorizationType !== 'string' || m.authorizationType === '') {
      findings.push(
        unreadableAnswer(
          `${key}: authorizationType is ${m.authorizationType === undefined ? 'missing' : `a ${typeof m.authorizationType}`}.`,
          `${path}.authorizationType`,
        ),
      );
      continue;
    }
    if (m.apiKeyRequired !== undefined && m.apiKeyRequired !== null && typeof m.apiKeyRequired !== 'boolean') {
      findings.push(
        unreadableAnswer(`${key}: apiKeyRequired is a ${typeof m.apiKeyRequired}.`, `${path}.apiKeyRequired`),
      );
      continue;
    }
    if (m.authorizationType !== 'NONE' || m.apiKeyRequired === true) {
      if (m.authorizationType === 'NONE') keyOnly++;
      authenticated++;
      continue;
    }
    if (limit.kind === 'limits') {
      limitedOpen++;
      authenticated++;
      continue;
    }
    const intent = matchApiRoute(params.publicRoutes, api.id, key);
    if (intent) {
      publicByIntent.push(`${key} (${intent.reason})`);
      continue;
    }
    findings.push(
      finding(
        'open-method',
        `${key} of API ${api.name ?? api.id} has no authorization and no API key, and ${limit.kind === 'none' ? 'the API has no resource policy' : 'the resource policy allows "*" without a limiting condition'}: anyone on the internet can call it; add an authorizer (IAM, Cognito or Lambda).`,
        `${path}.authorizationType`,
      ),
    );
  }
  const note =
    (limitedOpen > 0 && limit.kind === 'limits'
      ? ` ${limitedOpen} method(s) without authorization are limited by the resource policy (${limit.by}).`
      : '') +
    (keyOnly > 0
      ? ` ${keyOnly} method(s) without authorization require an API key (it identifies callers; it is not authorization: add an authorizer where the caller matters).`
      : '');
  return verdict(ref, findings, publicByIntent, authenticated, 'method', note);
}

/**
 * An HTTP or WebSocket API: an HTTP route is open when its authorizationType is NONE (OPTIONS routes are
 * preflight, never findings); a WebSocket API authorizes at `$connect` only, so that route decides, and a
 * WebSocket API without `$connect` accepts every connection.
 */
export function judgeV2Api(api: V2ApiFacts, params: AuthenticatedParams): Evaluation {
  const ref = { resourceType: V2_API, resourceId: api.id };
  const findings: Finding[] = [];
  const publicByIntent: string[] = [];
  let authenticated = 0;
  const websocket = api.protocolType === 'WEBSOCKET';
  const routes = websocket ? api.routes.filter((r) => r.routeKey === '$connect') : api.routes;
  if (websocket && routes.length === 0) {
    const intent = matchApiRoute(params.publicRoutes, api.id, '$connect');
    if (intent) publicByIntent.push(`$connect (${intent.reason})`);
    else {
      findings.push(
        finding(
          'open-route',
          `WebSocket API ${api.name ?? api.id} has no $connect route: every connection is accepted without authorization; add $connect with an authorizer.`,
          'routes',
        ),
      );
    }
  }
  routes.forEach((r, i) => {
    const path = `routes[${i}]`;
    if (typeof r.routeKey !== 'string' || r.routeKey === '') {
      findings.push(unreadableAnswer(`Route ${i} of API ${api.id} has no readable RouteKey.`, `${path}.RouteKey`));
      return;
    }
    if (!websocket && r.routeKey.toUpperCase().startsWith('OPTIONS ')) return;
    if (typeof r.authorizationType !== 'string' || r.authorizationType === '') {
      findings.push(
        unreadableAnswer(
          `${r.routeKey}: AuthorizationType is ${r.authorizationType === undefined ? 'missing' : `a ${typeof r.authorizationType}`}.`,
          `${path}.AuthorizationType`,
        ),
      );
      return;
    }
    if (r.authorizationType !== 'NONE' || (websocket && r.apiKeyRequired === true)) {
      authenticated++;
      return;
    }
    const intent = matchApiRoute(params.publicRoutes, api.id, r.routeKey);
    if (intent) {
      publicByIntent.push(`${r.routeKey} (${intent.reason})`);
      return;
    }
    findings.push(
      finding(
        'open-route',
        `${r.routeKey} of ${websocket ? 'WebSocket' : 'HTTP'} API ${api.name ?? api.id} has authorizationType NONE: anyone on the internet can call it; attach a JWT, IAM or Lambda authorizer.`,
        `${path}.AuthorizationType`,
      ),
    );
  });
  return verdict(ref, findings, publicByIntent, authenticated, 'route');
}

function qualifierOf(fn: FunctionFacts, arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 ? `alias ${parts[7]}` : fn.name;
}

/**
 * A function: each URL with AuthType NONE is a finding (a NONE URL serves only because the function policy
 * also grants lambda:InvokeFunctionUrl to "*": both are said). A function listed in publicRoutes is
 * NOT_APPLICABLE with the reason.
 */
export function judgeFunction(fn: FunctionFacts, params: AuthenticatedParams): Evaluation {
  const ref = { resourceType: LAMBDA_FUNCTION, resourceId: fn.name };
  const note = fn.aliasUrlsRead ? '' : ' Alias URLs were not read (the endpoint lacks ListFunctionUrlConfigs).';
  const findings: Finding[] = [];
  let authenticated = 0;
  let open = 0;
  fn.urls.forEach((u, i) => {
    const path = `functionUrlConfigs[${i}].AuthType`;
    if (typeof u.authType !== 'string' || u.authType === '') {
      findings.push(unreadableAnswer(`The URL of ${qualifierOf(fn, u.functionArn)} has no readable AuthType.`, path));
      return;
    }
    if (u.authType !== 'NONE') {
      authenticated++;
      return;
    }
    open++;
    findings.push(
      finding(
        'open-function-url',
        `The function URL of ${qualifierOf(fn, u.functionArn)}${u.url ? ` (${u.url})` : ''} has AuthType NONE and is public through the function policy's lambda:InvokeFunctionUrl grant to "*": anyone on the internet can invoke it; use AWS_IAM or put an authenticated API in front.`,
        path,
      ),
    );
  });
  const intent = matchFunction(params.publicRoutes, fn.name);
  if (intent && open > 0 && findings.length === open) {
    return notApplicable(ref, `Public by intent (publicRoutes): function URL of ${fn.name} (${intent.reason}).${note}`);
  }
  if (findings.length > 0)
    return nonCompliant(ref, findings as [Finding, ...Finding[]], {
      ruleSeverity: 'high',
      ...(note ? { annotation: `${note.trim()} ${findings[0].message}` } : {}),
    });
  if (authenticated === 0) return notApplicable(ref, `Function ${fn.name} has no function URL.${note}`);
  return compliant(ref, `Every function URL of ${fn.name} uses AWS_IAM.${note}`);
}
