/**
 * Bounded concurrency for the organization scan. Written here rather than taken from p-limit: p-limit is
 * ESM-only (our CLI is CommonJS on Node 20) and what we need is twenty lines.
 */

/** Runs async work with at most `limit` calls in flight; the rest wait in order. */
export type Limiter = <T>(work: () => Promise<T>) => Promise<T>;

/** A {@link Limiter} with `limit` slots (at least 1). */
export function createLimiter(limit: number): Limiter {
  const slots = Math.max(1, Math.floor(limit));
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}

/** Runs `work` over `items` with at most `limit` in flight; resolves when all are done (work must not throw). */
export async function forEachLimited<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const it = items[Symbol.iterator]();
  const lane = async () => {
    for (let next = it.next(); !next.done; next = it.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(limit)) }, lane));
}

/**
 * Wraps an SDK client's `send` so that every call takes a slot of `limit`: the organization-wide cap on API
 * calls in flight, whatever account, region or type they are for.
 */
export function limitClient<C extends { send(command: never): Promise<unknown> }>(client: C, limit: Limiter): C {
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'send') return (command: unknown) => limit(() => send(command));
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
