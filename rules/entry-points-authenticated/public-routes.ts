/**
 * The `publicRoutes` parameter: endpoints that are public by intent (a health check, a webhook that checks its
 * own signature), each with the reason, and how an endpoint is matched against them.
 */
import * as z from '../runtime/zod-mini';

/** One intentional public endpoint. */
export interface PublicRoute {
  /** `apiId:METHOD /path` (REST), `apiId:ROUTEKEY` (HTTP/WebSocket) or `functionName`; `*` matches anything. */
  readonly pattern: string;
  /** Why it is public; shown as the NOT_APPLICABLE reason. */
  readonly reason: string;
}

/** Accepts a JSON array (native or as a string), or Config's comma-separated `pattern=reason` entries. */
function toEntries(v: unknown): unknown {
  let list = v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return [];
    if (t.startsWith('[')) {
      try {
        list = JSON.parse(t);
      } catch {
        return v;
      }
    } else list = t.split(',');
  }
  if (!Array.isArray(list)) return list;
  return list.map((e) => {
    if (typeof e !== 'string') return e;
    const eq = e.indexOf('=');
    return eq < 0
      ? { pattern: e.trim(), reason: '' }
      : { pattern: e.slice(0, eq).trim(), reason: e.slice(eq + 1).trim() };
  });
}

/** The schema of `publicRoutes`. */
export const publicRoutesParameter = z
  ._default(
    z.pipe(
      z.transform(toEntries),
      z.array(
        z.object({
          pattern: z.string().check(z.minLength(1, { message: 'every public route needs a pattern' })),
          reason: z.string().check(z.minLength(1, { message: 'every public route needs a reason (pattern=reason)' })),
        }),
      ),
    ),
    [],
  )
  .check(
    z.describe(
      'Endpoints public by intent, each with its reason: `apiId:METHOD /path`, `apiId:ROUTEKEY` or `functionName` ' +
        '(`*` matches anything), as a JSON array of {pattern, reason} or comma-separated pattern=reason.',
    ),
  );

function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

/** True when a pattern names an API endpoint (`apiId:METHOD /path`, `apiId:$default`) rather than a function. */
function isApiPattern(pattern: string): boolean {
  const colon = pattern.indexOf(':');
  return colon > 0 && (pattern.includes(' ') || pattern[colon + 1] === '$');
}

/** The public route an API endpoint matches (`routeKey` is `METHOD /path` or `$default`), if any. */
export function matchApiRoute(
  routes: readonly PublicRoute[],
  apiId: string,
  routeKey: string,
): PublicRoute | undefined {
  return routes.find((r) => {
    if (!isApiPattern(r.pattern)) return false;
    const colon = r.pattern.indexOf(':');
    const api = r.pattern.slice(0, colon);
    const key = r.pattern.slice(colon + 1);
    if (!glob(api).test(apiId)) return false;
    const space = key.indexOf(' ');
    const keySpace = routeKey.indexOf(' ');
    if (space < 0 || keySpace < 0) return glob(key).test(routeKey);
    return (
      glob(key.slice(0, space).toUpperCase()).test(routeKey.slice(0, keySpace).toUpperCase()) &&
      glob(key.slice(space + 1)).test(routeKey.slice(keySpace + 1))
    );
  });
}

/** The public route a function matches by name, if any. */
export function matchFunction(routes: readonly PublicRoute[], functionName: string): PublicRoute | undefined {
  return routes.find((r) => !isApiPattern(r.pattern) && glob(r.pattern).test(functionName));
}
