/**
 * The periodic path's reads: Config records no methods, routes or function URLs, so they are listed from the
 * APIs, paginated and bounded (a listing that passes its bound fails closed for that API or the account).
 * apigateway:GET (GetRestApis, GetResources with embedded methods, GetApis, GetRoutes), lambda:ListFunctions
 * and lambda:ListFunctionUrlConfigs (lambda:GetFunctionUrlConfig where an endpoint does not answer it).
 */
import type { RuleContext } from '../runtime/context';
import { WardError, describeError } from '../runtime/errors';
import { errorEvaluation } from '../runtime/evaluation';
import { once } from '../runtime/sdk';
import type { Evaluation } from '../runtime/types';
import {
  type AuthenticatedParams,
  type FunctionFacts,
  type FunctionUrlFacts,
  LAMBDA_FUNCTION,
  REST_API,
  type RestApiFacts,
  type RestMethodFacts,
  V2_API,
  type V2ApiFacts,
  judgeFunction,
  judgeRestApi,
  judgeV2Api,
} from './judge';

const apiGateway = once(() => import('@aws-sdk/client-api-gateway'));
const apiGatewayV2 = once(() => import('@aws-sdk/client-apigatewayv2'));
const lambdaSdk = once(() => import('@aws-sdk/client-lambda'));

/** Most pages read from one listing: past it the listing fails closed rather than judging part of it. */
export const MAX_PAGES = 100;
/** APIs or functions read at the same time (API Gateway's GET limits are low: a few requests a second). */
export const CONCURRENCY = 4;

/** A listing failed or passed its bound. */
export class EntryPointListingError extends WardError {}

/** Reads every page of a paginated listing, up to {@link MAX_PAGES}. */
export async function paginate<T>(
  what: string,
  page: (token: string | undefined) => Promise<{ items: readonly T[]; next?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    let res: { items: readonly T[]; next?: string };
    try {
      res = await page(token);
    } catch (err) {
      throw new EntryPointListingError(`${what} failed: ${describeError(err)}`, { cause: err });
    }
    out.push(...res.items);
    if (!res.next) return out;
    token = res.next;
  }
  throw new EntryPointListingError(`${what} has more than ${MAX_PAGES} pages: not judged rather than judged in part`);
}

/** Maps with at most `limit` calls in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Judges one resource, turning a read failure into that resource's evaluation-error (fail closed). */
async function judged(
  ctx: RuleContext,
  ref: { resourceType: string; resourceId: string },
  run: () => Promise<Evaluation>,
): Promise<Evaluation> {
  try {
    return await run();
  } catch (err) {
    ctx.logger.error(
      { rule: 'entry-points-authenticated', ...ref, err: describeError(err) },
      'reading entry points failed',
    );
    return errorEvaluation(ref, 'entry-points-authenticated', err);
  }
}

/** Every REST API of the region with its methods, judged. */
async function restApis(ctx: RuleContext, params: AuthenticatedParams): Promise<Evaluation[]> {
  const { APIGatewayClient, GetRestApisCommand, GetResourcesCommand } = await apiGateway();
  const client = ctx.client(APIGatewayClient);
  const apis = await paginate('apigateway GetRestApis', async (position) => {
    const r = await client.send(new GetRestApisCommand({ limit: 500, position }));
    return { items: r.items ?? [], next: r.position };
  });
  return mapLimit(
    apis.filter((a) => a.id),
    CONCURRENCY,
    (api) =>
      judged(ctx, { resourceType: REST_API, resourceId: api.id as string }, async () => {
        const resources = await paginate(`apigateway GetResources ${api.id}`, async (position) => {
          const r = await client.send(
            new GetResourcesCommand({ restApiId: api.id, embed: ['methods'], limit: 500, position }),
          );
          return { items: r.items ?? [], next: r.position };
        });
        const methods: RestMethodFacts[] = [];
        for (const res of resources) {
          for (const [httpMethod, m] of Object.entries(res.resourceMethods ?? {})) {
            methods.push({
              path: res.path ?? res.id ?? '?',
              httpMethod,
              authorizationType: m?.authorizationType,
              apiKeyRequired: m?.apiKeyRequired,
            });
          }
        }
        const facts: RestApiFacts = { id: api.id as string, name: api.name, policy: api.policy, methods };
        return judgeRestApi(facts, params);
      }),
  );
}

/** Every HTTP and WebSocket API of the region with its routes, judged. */
async function v2Apis(ctx: RuleContext, params: AuthenticatedParams): Promise<Evaluation[]> {
  const { ApiGatewayV2Client, GetApisCommand, GetRoutesCommand } = await apiGatewayV2();
  const client = ctx.client(ApiGatewayV2Client);
  const apis = await paginate('apigateway GetApis', async (NextToken) => {
    const r = await client.send(new GetApisCommand({ MaxResults: '500', NextToken }));
    return { items: r.Items ?? [], next: r.NextToken };
  });
  return mapLimit(
    apis.filter((a) => a.ApiId),
    CONCURRENCY,
    (api) =>
      judged(ctx, { resourceType: V2_API, resourceId: api.ApiId as string }, async () => {
        const routes = await paginate(`apigateway GetRoutes ${api.ApiId}`, async (NextToken) => {
          const r = await client.send(new GetRoutesCommand({ ApiId: api.ApiId, MaxResults: '500', NextToken }));
          return { items: r.Items ?? [], next: r.NextToken };
        });
        const facts: V2ApiFacts = {
          id: api.ApiId as string,
          name: api.Name,
          protocolType: api.ProtocolType,
          routes: routes.map((r) => ({
            routeKey: r.RouteKey,
            authorizationType: r.AuthorizationType,
            apiKeyRequired: r.ApiKeyRequired,
          })),
        };
        return judgeV2Api(facts, params);
      }),
  );
}

/**
 * True when an error says the endpoint does not implement the operation (moto 5.2.5 answers
 * ListFunctionUrlConfigs with an HTML 404), as opposed to an answer about the function.
 */
export function isUnsupportedOperation(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'ResourceNotFoundException' || e?.name === 'AccessDeniedException') return false;
  if (e?.name === 'UnknownOperationException' || e?.name === 'NotImplementedException') return true;
  const status = e?.$metadata?.httpStatusCode;
  return status === 501 || (status === 404 && e?.name !== 'ResourceNotFoundException');
}

/** The minimal Lambda client the URL reads need (the SDK's LambdaClient fits). */
export interface UrlReader {
  list(name: string, marker: string | undefined): Promise<{ items: readonly FunctionUrlFacts[]; next?: string }>;
  /** The unqualified function's URL, or undefined when it has none. */
  get(name: string): Promise<FunctionUrlFacts | undefined>;
}

/**
 * The URLs of one function: ListFunctionUrlConfigs (the function's and its aliases'); where the endpoint does
 * not support it, GetFunctionUrlConfig on the unqualified function, and the facts say alias URLs were not read.
 */
export async function functionUrls(reader: UrlReader, name: string): Promise<FunctionFacts> {
  try {
    const urls = await paginate(`lambda ListFunctionUrlConfigs ${name}`, (marker) => reader.list(name, marker));
    return { name, urls, aliasUrlsRead: true };
  } catch (err) {
    const cause = err instanceof EntryPointListingError ? err.cause : err;
    if (!isUnsupportedOperation(cause)) throw err;
  }
  const url = await reader.get(name);
  return { name, urls: url ? [url] : [], aliasUrlsRead: false };
}

/** The SDK-backed {@link UrlReader}. */
async function sdkUrlReader(ctx: RuleContext): Promise<UrlReader> {
  const { LambdaClient, ListFunctionUrlConfigsCommand, GetFunctionUrlConfigCommand } = await lambdaSdk();
  const client = ctx.client(LambdaClient);
  return {
    async list(name, marker) {
      const r = await client.send(
        new ListFunctionUrlConfigsCommand({ FunctionName: name, Marker: marker, MaxItems: 50 }),
      );
      return {
        items: (r.FunctionUrlConfigs ?? []).map((u) => ({
          functionArn: u.FunctionArn ?? name,
          url: u.FunctionUrl,
          authType: u.AuthType,
        })),
        next: r.NextMarker,
      };
    },
    async get(name) {
      try {
        const u = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
        return { functionArn: u.FunctionArn ?? name, url: u.FunctionUrl, authType: u.AuthType };
      } catch (err) {
        if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw new EntryPointListingError(`lambda GetFunctionUrlConfig ${name} failed: ${describeError(err)}`, {
          cause: err,
        });
      }
    },
  };
}

/** Every function of the region with its URLs, judged. */
async function functions(ctx: RuleContext, params: AuthenticatedParams): Promise<Evaluation[]> {
  const { LambdaClient, ListFunctionsCommand } = await lambdaSdk();
  const client = ctx.client(LambdaClient);
  const names = await paginate('lambda ListFunctions', async (Marker) => {
    const r = await client.send(new ListFunctionsCommand({ Marker, MaxItems: 50 }));
    return {
      items: (r.Functions ?? []).map((f) => f.FunctionName).filter((n): n is string => !!n),
      next: r.NextMarker,
    };
  });
  const reader = await sdkUrlReader(ctx);
  return mapLimit(names, CONCURRENCY, (name) =>
    judged(ctx, { resourceType: LAMBDA_FUNCTION, resourceId: name }, async () =>
      judgeFunction(await functionUrls(reader, name), params),
    ),
  );
}

/** Every entry point of the context's account and region, judged: REST APIs, HTTP/WebSocket APIs, functions. */
export async function collectEntryPoints(ctx: RuleContext, params: AuthenticatedParams): Promise<Evaluation[]> {
  // The three listings are independent; each failure is its own (the others' evaluations are kept).
  const parts = await Promise.allSettled([restApis(ctx, params), v2Apis(ctx, params), functions(ctx, params)]);
  const out: Evaluation[] = [];
  const failed: string[] = [];
  for (const p of parts) {
    if (p.status === 'fulfilled') out.push(...p.value);
    else failed.push(describeError(p.reason));
  }
  if (failed.length > 0) {
    ctx.logger.error({ rule: 'entry-points-authenticated', problems: failed }, 'listing entry points failed');
    out.push(
      errorEvaluation(
        { resourceType: 'AWS::::Account', resourceId: ctx.accountId },
        'entry-points-authenticated',
        new EntryPointListingError(failed.join('; ')),
      ),
    );
  }
  return out;
}
