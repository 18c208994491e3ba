import { AssumeRoleCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { WardError } from '../../rules/runtime/errors';

/** A role could not be assumed: the message names the role; `cause` keeps the STS error. */
export class AssumeRoleError extends WardError {}

/** What {@link assumeRoleCredentials} needs. */
export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The STS client of the caller (default credentials). */
  readonly sts: { send(command: AssumeRoleCommand): Promise<Pick<AssumeRoleCommandOutput, 'Credentials'>> };
  /** Session name in the member account's CloudTrail; default `ward-scan`. */
  readonly sessionName?: string;
  /** Session length asked for, seconds; default 3600 (the role's maximum may be lower: STS then refuses). */
  readonly durationSeconds?: number;
  /** Refresh this long before expiry; default 5 minutes. */
  readonly refreshBeforeMs?: number;
  readonly now?: () => number;
}

/** Default session: one hour, refreshed five minutes before it ends. */
const DEFAULT_DURATION_S = 3600;
const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * A credential provider for an assumed role that refreshes before the session expires, so a scan longer than
 * the session (a big organization) does not fail half way. Concurrent callers share one AssumeRole call.
 * Written by hand because `fromTemporaryCredentials` lives in @aws-sdk/credential-providers, which the
 * project does not depend on; this is the whole of what we use from it.
 */
export function assumeRoleCredentials(options: AssumeRoleOptions): AwsCredentialIdentityProvider {
  const now = options.now ?? Date.now;
  const refreshBefore = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;

  const assume = async (): Promise<AwsCredentialIdentity> => {
    let out: Pick<AssumeRoleCommandOutput, 'Credentials'>;
    try {
      out = await options.sts.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: options.sessionName ?? 'ward-scan',
          DurationSeconds: options.durationSeconds ?? DEFAULT_DURATION_S,
          ...(options.externalId ? { ExternalId: options.externalId } : {}),
        }),
      );
    } catch (err) {
      throw new AssumeRoleError(`cannot assume ${options.roleArn}: ${(err as Error).name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new AssumeRoleError(`cannot assume ${options.roleArn}: STS returned no credentials`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration ? new Date(c.Expiration) : undefined,
    };
  };

  return async () => {
    const fresh = current && (!current.expiration || current.expiration.getTime() - now() > refreshBefore);
    if (fresh && current) return current;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    current = await pending;
    return current;
  };
}
