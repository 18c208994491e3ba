import type { AssumeRoleCommand, AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { describeError, WardError } from './errors';
import * as sdk from './sdk';

/*
 * Organization mode: one central rule Lambda judges every member account. Config invokes it with the member's
 * `accountId`; the Lambda assumes a role in that account for reads (gather, GetResourceConfigHistory) and for
 * PutEvaluations, which must be called in the account that owns the rule.
 */

/** The member-account role name when WARD_MEMBER_ROLE_NAME is unset. */
export const DEFAULT_MEMBER_ROLE_NAME = 'ward-member';

/** Assuming the member-account role failed (missing role, trust policy, or STS error). */
export class CrossAccountError extends WardError {}

/** The part of the STS client that {@link createMemberCredentials} uses (the SDK's STSClient fits). */
export interface AssumeRoleClient {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

/** Options for {@link createMemberCredentials}. */
export interface MemberCredentialsOptions {
  /** @default process.env.WARD_MEMBER_ROLE_NAME ?? "ward-member" */
  readonly roleName?: string;
  /** @default "ward-<rule id>" (visible in the member's CloudTrail) */
  readonly sessionName: string;
  /** Credentials are renewed this long before they expire. @default 5 minutes */
  readonly refreshMarginMs?: number;
  /** The clock; injected by tests. */
  readonly now?: () => number;
}

/** Credentials for member accounts, cached per account until shortly before they expire. */
export interface MemberCredentials {
  /** The role ARN assumed for an account. */
  roleArn(accountId: string, partition?: string): string;
  /** Credentials for the member account (cached). @throws CrossAccountError */
  credentialsFor(accountId: string, partition?: string): Promise<AwsCredentialIdentity>;
}

/** Creates the per-account credential cache over STS AssumeRole. */
export function createMemberCredentials(
  sts: () => AssumeRoleClient,
  options: MemberCredentialsOptions,
): MemberCredentials {
  const roleName = options.roleName ?? process.env.WARD_MEMBER_ROLE_NAME ?? DEFAULT_MEMBER_ROLE_NAME;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Promise<AwsCredentialIdentity>>();
  const roleArn = (accountId: string, partition = 'aws') => `arn:${partition}:iam::${accountId}:role/${roleName}`;

  const assume = async (arn: string): Promise<AwsCredentialIdentity> => {
    let out: AssumeRoleCommandOutput;
    try {
      // Loaded on first use: a Lambda in its own account never loads the STS client (cold start).
      const { AssumeRoleCommand } = await sdk.sts();
      out = await sts().send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: options.sessionName.slice(0, 64),
          DurationSeconds: 3600,
        }),
      );
    } catch (err) {
      throw new CrossAccountError(`cannot assume ${arn}: ${describeError(err)}`, { cause: err });
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new CrossAccountError(`AssumeRole ${arn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };

  return {
    roleArn,
    async credentialsFor(accountId, partition) {
      const arn = roleArn(accountId, partition);
      const cached = cache.get(arn);
      if (cached) {
        try {
          const creds = await cached;
          if (!creds.expiration || creds.expiration.getTime() - margin > now()) return creds;
        } catch {
          // A failed attempt is not cached: fall through and try again.
        }
      }
      const fresh = assume(arn);
      cache.set(arn, fresh);
      fresh.catch(() => {
        if (cache.get(arn) === fresh) cache.delete(arn);
      });
      return fresh;
    },
  };
}
