import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { ClientConstructor, KeyLookup, ResourceLookup, RuleContext, RunMode } from './context';
import { WardError } from './errors';
import { createLogger, type Logger } from './logger';

/** Options for {@link createRuleContext}. */
export interface RuleContextOptions {
  readonly mode: RunMode;
  readonly accountId: string;
  readonly region: string;
  readonly logger?: Logger;
  /** Credentials for another account (organization mode); default: the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly keys: KeyLookup;
  readonly resources?: ResourceLookup;
  readonly invokedAt?: Date;
}

/** Raised when a rule calls AWS in offline mode (`ward scan` on a snapshot file). */
export class OfflineError extends WardError {}

/**
 * Creates a {@link RuleContext}. SDK clients are created on first use and cached per constructor and region;
 * `AWS_ENDPOINT_URL` (moto in tests) is honoured by the SDK itself, and S3 then uses path-style addressing.
 */
export function createRuleContext(options: RuleContextOptions): RuleContext {
  const cache = new Map<string, unknown>();
  const offline = options.mode === 'snapshot';
  return {
    mode: options.mode,
    accountId: options.accountId,
    region: options.region,
    logger: options.logger ?? createLogger(),
    offline,
    keys: options.keys,
    resources: options.resources,
    invokedAt: options.invokedAt ?? new Date(),
    client<T>(ctor: ClientConstructor<T>, region?: string): T {
      if (offline) throw new OfflineError(`${ctor.name} is not available when scanning a snapshot file`);
      const r = region ?? options.region;
      const key = `${ctor.name}|${r}`;
      let c = cache.get(key) as T | undefined;
      if (!c) {
        c = new ctor({
          region: r,
          credentials: options.credentials,
          ...(process.env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {}),
        });
        cache.set(key, c);
      }
      return c;
    },
  };
}
