import {
  EntryPointListingError,
  MAX_PAGES,
  type UrlReader,
  functionUrls,
  isUnsupportedOperation,
  paginate,
} from '../../../rules/entry-points-authenticated/collect';
import {
  type RestApiFacts,
  type RestMethodFacts,
  FINDING_CODES,
  judgeFunction,
  judgeRestApi,
  judgeV2Api,
} from '../../../rules/entry-points-authenticated/judge';
import { policyLimit } from '../../../rules/entry-points-authenticated/resource-policy';
import { entryPointsAuthenticated } from '../../../rules/entry-points-authenticated/rule';
import { type Evaluation, parseRuleParameters } from '../../../rules/runtime';
import { awsError } from '../../fixtures/events/fakes';
import {
  GET_RESOURCES_PAGE,
  LIST_FUNCTION_URL_CONFIGS,
  REST_API_WITH_VPCE_POLICY,
} from '../../fixtures/serverless/responses';

const params = (raw: unknown = {}) =>
  parseRuleParameters(entryPointsAuthenticated.meta.parameters, raw, 'entry-points-authenticated');
const codes = (e: Evaluation) => e.findings.map((f) => f.code);

/** The methods of a GetResources page, as collect turns them into facts. */
function methodsOf(page: typeof GET_RESOURCES_PAGE): RestMethodFacts[] {
  return page.items.flatMap((r) =>
    Object.entries(r.resourceMethods ?? {}).map(([httpMethod, m]) => ({
      path: r.path,
      httpMethod,
      authorizationType: m.authorizationType,
      apiKeyRequired: m.apiKeyRequired,
    })),
  );
}

const method = (httpMethod: string, path: string, authorizationType: unknown, apiKeyRequired: unknown = false) => ({
  httpMethod,
  path,
  authorizationType,
  apiKeyRequired,
});
const api = (methods: RestMethodFacts[], policy?: unknown): RestApiFacts => ({
  id: 'a1b2c3d4e5',
  name: 'orders',
  methods,
  policy,
});
const allowAll = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }],
});

describe('entry-points-authenticated on REST APIs', () => {
  it('flags an open GET as open-method (high) and ignores the authorized POST and the OPTIONS preflight', () => {
    const e = judgeRestApi({ id: 'a1b2c3d4e5', methods: methodsOf(GET_RESOURCES_PAGE) }, params());
    expect(e.resourceType).toBe('AWS::ApiGateway::RestApi');
    expect(e.resourceId).toBe('a1b2c3d4e5');
    expect(codes(e)).toEqual(['open-method']);
    expect(e.findings[0]?.severity).toBe(FINDING_CODES['open-method'].severity);
    expect(e.findings[0]?.message).toMatch(/^GET \/orders .*no resource policy/);
    expect(e.findings[0]?.path).toBe('resources["/orders"].resourceMethods.GET.authorizationType');
  });

  it('finds a method that needs an API key, or any authorizer, COMPLIANT', () => {
    const e = judgeRestApi(
      api([method('GET', '/a', 'NONE', true), method('POST', '/a', 'COGNITO_USER_POOLS')]),
      params(),
    );
    expect(e.compliance).toBe('COMPLIANT');
    // An API key is not authorization: the annotation says what stands in for it, never "authenticated" alone.
    expect(e.annotation).toMatch(/^Every method is authenticated or limited\. 1 method\(s\) without authorization require an API key/);
    const authorized = judgeRestApi(api([method('POST', '/a', 'COGNITO_USER_POOLS')]), params());
    expect(authorized.annotation).toBe('Every method is authenticated.');
  });

  it('finds an API with only OPTIONS methods NOT_APPLICABLE: preflight is never a finding', () => {
    expect(judgeRestApi(api([method('OPTIONS', '/a', 'NONE')]), params()).compliance).toBe('NOT_APPLICABLE');
  });

  it('does not count a Principal * policy limited to a VPC endpoint (recorded GetRestApis shape, escaped quotes)', () => {
    const facts = { ...REST_API_WITH_VPCE_POLICY, methods: methodsOf(GET_RESOURCES_PAGE) };
    const e = judgeRestApi(facts, params());
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(/limited by the resource policy \(a Deny outside aws:SourceVpce\)/);
    expect(e.annotation).toMatch(/^Every method is authenticated or limited\./);
  });

  it('still flags the open method under an allow-all resource policy, and says so', () => {
    const e = judgeRestApi(api([method('GET', '/a', 'NONE')], allowAll), params());
    expect(codes(e)).toEqual(['open-method']);
    expect(e.findings[0]?.message).toMatch(/allows "\*" without a limiting condition/);
  });

  it('counts an Allow to * under aws:SourceIp as limiting', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } },
        },
      ],
    };
    expect(policyLimit(JSON.stringify(policy))).toEqual({
      kind: 'limits',
      by: 'an Allow to * only under aws:SourceIp',
    });
    expect(judgeRestApi(api([method('GET', '/a', 'NONE')], policy), params()).compliance).toBe('COMPLIANT');
  });

  it('does not count an Allow to * under 0.0.0.0/0 or IfExists as limiting', () => {
    const broad = (cond: object) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:*', Resource: '*', Condition: cond }],
    });
    expect(policyLimit(broad({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } })).kind).toBe('open');
    expect(policyLimit(broad({ StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } })).kind).toBe('open');
  });

  it('fails closed on a malformed resource policy: unreadable-configuration, never COMPLIANT', () => {
    const e = judgeRestApi(api([method('GET', '/a', 'AWS_IAM')], '{"Statement": [oops'), params());
    expect(codes(e)).toEqual(['unreadable-configuration']);
    expect(e.findings[0]?.path).toBe('policy');
  });

  it.each([
    [
      'a missing authorizationType',
      method('GET', '/a', undefined),
      'resources["/a"].resourceMethods.GET.authorizationType',
    ],
    ['a numeric authorizationType', method('GET', '/a', 7), 'resources["/a"].resourceMethods.GET.authorizationType'],
    [
      'a string apiKeyRequired',
      method('GET', '/a', 'NONE', 'true'),
      'resources["/a"].resourceMethods.GET.apiKeyRequired',
    ],
  ])('fails closed on %s: unreadable-configuration naming the field', (_n, m, path) => {
    const e = judgeRestApi(api([m]), params());
    expect(codes(e)).toEqual(['unreadable-configuration']);
    expect(e.findings[0]?.path).toBe(path);
  });
});

describe('the publicRoutes parameter', () => {
  const routes = params({
    publicRoutes: [{ pattern: 'a1b2c3d4e5:GET /health', reason: 'load balancer health check' }],
  });

  it('reports an API whose only open method is listed NOT_APPLICABLE with the reason', () => {
    const e = judgeRestApi(api([method('GET', '/health', 'NONE')]), routes);
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toBe('Public by intent (publicRoutes): GET /health (load balancer health check).');
  });

  it('keeps the API COMPLIANT, naming the public route, when its other methods are authenticated', () => {
    const e = judgeRestApi(api([method('GET', '/health', 'NONE'), method('POST', '/orders', 'AWS_IAM')]), routes);
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toContain('GET /health (load balancer health check)');
  });

  it('still flags open methods that are not listed', () => {
    const e = judgeRestApi(api([method('GET', '/health', 'NONE'), method('GET', '/orders', 'NONE')]), routes);
    expect(codes(e)).toEqual(['open-method']);
    expect(e.findings[0]?.message).toMatch(/^GET \/orders/);
  });

  it('accepts Config string forms and globs: JSON array text and comma-separated pattern=reason', () => {
    const fromJson = params({ publicRoutes: '[{"pattern":"*:POST /hooks/*","reason":"signed webhooks"}]' });
    expect(judgeRestApi(api([method('POST', '/hooks/stripe', 'NONE')]), fromJson).compliance).toBe('NOT_APPLICABLE');
    const fromCsv = params({ publicRoutes: 'h7t8p9:$default=public site,webhook=checks its HMAC signature' });
    expect(fromCsv.publicRoutes).toEqual([
      { pattern: 'h7t8p9:$default', reason: 'public site' },
      { pattern: 'webhook', reason: 'checks its HMAC signature' },
    ]);
  });

  it('rejects an entry without a reason, naming the parameter', () => {
    expect(() => params({ publicRoutes: 'a1b2c3d4e5:GET /health' })).toThrow(
      /publicRoutes\.0\.reason: every public route needs a reason/,
    );
    expect(() => params({ publicRoutes: [{ pattern: 'x' }] })).toThrow(/publicRoutes\.0\.reason/);
  });
});

describe('entry-points-authenticated on HTTP and WebSocket APIs', () => {
  const http = (routes: { routeKey: unknown; authorizationType: unknown; apiKeyRequired?: unknown }[]) => ({
    id: 'h7t8p9',
    name: 'site',
    protocolType: 'HTTP',
    routes,
  });

  it('flags an HTTP route with authorizationType NONE open-route and skips OPTIONS routes', () => {
    const e = judgeV2Api(
      http([
        { routeKey: 'GET /open', authorizationType: 'NONE' },
        { routeKey: 'OPTIONS /open', authorizationType: 'NONE' },
        { routeKey: 'POST /orders', authorizationType: 'JWT' },
      ]),
      params(),
    );
    expect(e.resourceType).toBe('AWS::ApiGatewayV2::Api');
    expect(codes(e)).toEqual(['open-route']);
    expect(e.findings[0]?.message).toMatch(/^GET \/open of HTTP API site/);
  });

  it('judges a WebSocket API at $connect only, and flags one without $connect', () => {
    const ws = (routes: { routeKey: string; authorizationType: string }[]) => ({
      id: 'w5s6k7',
      protocolType: 'WEBSOCKET',
      routes,
    });
    expect(codes(judgeV2Api(ws([{ routeKey: '$connect', authorizationType: 'NONE' }]), params()))).toEqual([
      'open-route',
    ]);
    expect(
      judgeV2Api(
        ws([
          { routeKey: '$connect', authorizationType: 'CUSTOM' },
          { routeKey: 'send', authorizationType: 'NONE' },
        ]),
        params(),
      ).compliance,
    ).toBe('COMPLIANT');
    expect(judgeV2Api(ws([{ routeKey: '$default', authorizationType: 'NONE' }]), params()).findings[0]?.message).toMatch(
      /no \$connect route/,
    );
  });

  it('reports a listed $default route NOT_APPLICABLE with the reason', () => {
    const e = judgeV2Api(
      http([{ routeKey: '$default', authorizationType: 'NONE' }]),
      params({ publicRoutes: 'h7t8p9:$default=public website' }),
    );
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toContain('public website');
  });

  it('fails closed on a route without a readable key or authorization type', () => {
    const e = judgeV2Api(
      http([
        { routeKey: 5, authorizationType: 'NONE' },
        { routeKey: 'GET /x', authorizationType: null },
      ]),
      params(),
    );
    expect(codes(e)).toEqual(['unreadable-configuration', 'unreadable-configuration']);
    expect(e.findings.map((f) => f.path)).toEqual(['routes[0].RouteKey', 'routes[1].AuthorizationType']);
  });
});

describe('entry-points-authenticated on Lambda function URLs', () => {
  const urls = LIST_FUNCTION_URL_CONFIGS.FunctionUrlConfigs.map((u) => ({
    functionArn: u.FunctionArn,
    url: u.FunctionUrl,
    authType: u.AuthType,
  }));

  it('flags the alias URL with AuthType NONE (recorded ListFunctionUrlConfigs shape), saying the policy makes it public', () => {
    const e = judgeFunction({ name: 'webhook', urls, aliasUrlsRead: true }, params());
    expect(e.resourceType).toBe('AWS::Lambda::Function');
    expect(e.resourceId).toBe('webhook');
    expect(codes(e)).toEqual(['open-function-url']);
    expect(e.findings[0]?.message).toMatch(/alias live .* AuthType NONE and is public through the function policy/);
    expect(e.findings[0]?.path).toBe('functionUrlConfigs[1].AuthType');
  });

  it('reports a listed function NOT_APPLICABLE with the reason, and one without URL NOT_APPLICABLE', () => {
    const e = judgeFunction(
      { name: 'webhook', urls, aliasUrlsRead: true },
      params({ publicRoutes: 'web*=checks its signature' }),
    );
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toContain('checks its signature');
    expect(judgeFunction({ name: 'worker', urls: [], aliasUrlsRead: true }, params()).annotation).toMatch(
      /no function URL/,
    );
  });

  it('finds AWS_IAM URLs COMPLIANT, and says when alias URLs were not read', () => {
    const e = judgeFunction({ name: 'api', urls: [urls[0]], aliasUrlsRead: false }, params());
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(/Alias URLs were not read/);
  });

  it('fails closed on a URL without a readable AuthType', () => {
    const e = judgeFunction(
      { name: 'f', urls: [{ functionArn: 'arn', authType: undefined }], aliasUrlsRead: true },
      params(),
    );
    expect(codes(e)).toEqual(['unreadable-configuration']);
  });
});

describe('reading function URLs', () => {
  const reader = (list: UrlReader['list'], get: UrlReader['get'] = async () => undefined): UrlReader => ({ list, get });

  it('reads every page of ListFunctionUrlConfigs, alias URLs included', async () => {
    const pages = [
      { items: [{ functionArn: 'arn:aws:lambda:us-east-1:1:function:f', authType: 'AWS_IAM' }], next: 'm1' },
      { items: [{ functionArn: 'arn:aws:lambda:us-east-1:1:function:f:live', authType: 'NONE' }] },
    ];
    const markers: (string | undefined)[] = [];
    const facts = await functionUrls(
      reader(async (_n, m) => {
        markers.push(m);
        return pages[markers.length - 1];
      }),
      'f',
    );
    expect(markers).toEqual([undefined, 'm1']);
    expect(facts).toMatchObject({ aliasUrlsRead: true, urls: [{ authType: 'AWS_IAM' }, { authType: 'NONE' }] });
  });

  it('falls back to GetFunctionUrlConfig when the endpoint does not implement ListFunctionUrlConfigs (moto 5.2.5: an HTML 404)', async () => {
    const notImplemented = Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 404 } });
    const facts = await functionUrls(
      reader(
        async () => {
          throw notImplemented;
        },
        async () => ({ functionArn: 'arn:aws:lambda:us-east-1:1:function:f', authType: 'NONE' }),
      ),
      'f',
    );
    expect(facts).toEqual({
      name: 'f',
      urls: [{ functionArn: 'arn:aws:lambda:us-east-1:1:function:f', authType: 'NONE' }],
      aliasUrlsRead: false,
    });
  });

  it('does not fall back on an access or not-found error: the function fails closed', async () => {
    for (const err of [awsError('AccessDeniedException', 403), awsError('ResourceNotFoundException', 404)]) {
      expect(isUnsupportedOperation(err)).toBe(false);
      await expect(
        functionUrls(
          reader(async () => {
            throw err;
          }),
          'f',
        ),
      ).rejects.toThrow(EntryPointListingError);
    }
  });

  it('refuses to judge a listing past its page bound rather than judge part of it', async () => {
    let calls = 0;
    await expect(
      paginate('endless', async () => {
        calls++;
        return { items: [1], next: 'more' };
      }),
    ).rejects.toThrow(`endless has more than ${MAX_PAGES} pages`);
    expect(calls).toBe(MAX_PAGES);
  });
});
