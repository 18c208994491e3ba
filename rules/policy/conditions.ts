/**
 * Conditions of policy statements: does a statement's `Condition` restrict who can use it, and to which
 * accounts, organizations, sources or networks? Follows the definition of "public" that S3 Block Public Access
 * uses: only fixed values (no wildcards, no policy variables) of a known set of keys, under positive operators,
 * restrict. Shared by every rule that judges resource, trust and key policies.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ConditionBlock } from './document';
import { parseArn } from './principals';

/** What a restricting condition key limits. */
export const ConditionKeyKind = {
  /** The caller's account (`aws:PrincipalAccount`; `kms:CallerAccount` when the caller adds it). */
  PRINCIPAL_ACCOUNT: 'principal-account',
  /** The caller's ARN (`aws:PrincipalArn`): the account field must be fixed. */
  PRINCIPAL_ARN: 'principal-arn',
  /** The caller's organization (`aws:PrincipalOrgID`). */
  PRINCIPAL_ORG: 'principal-org',
  /** The caller's organization path (`aws:PrincipalOrgPaths`): the organization segment must be fixed. */
  PRINCIPAL_ORG_PATH: 'principal-org-path',
  /** The caller's unique id (`aws:userid`). */
  USER_ID: 'user-id',
  /** The account of the resource a service acts for (`aws:SourceAccount`, `aws:SourceOwner`). */
  SOURCE_ACCOUNT: 'source-account',
  /** The resource a service acts for (`aws:SourceArn`). */
  SOURCE_ARN: 'source-arn',
  /** The organization of the resource a service acts for (`aws:SourceOrgID`). */
  SOURCE_ORG: 'source-org',
  /** The organization path of the resource a service acts for (`aws:SourceOrgPaths`). */
  SOURCE_ORG_PATH: 'source-org-path',
  /** The network the request comes from (`aws:SourceVpc`, `aws:SourceVpce`). */
  SOURCE_NETWORK: 'source-network',
  /** The IP range the request comes from (`aws:SourceIp`), when not overly broad. */
  SOURCE_IP: 'source-ip',
} as const;

/** One of {@link ConditionKeyKind}. */
export type ConditionKeyKindType = (typeof ConditionKeyKind)[keyof typeof ConditionKeyKind];

/** The global condition keys that restrict, lower-cased (condition keys are case-insensitive). */
export const RESTRICTING_KEYS: Readonly<Record<string, ConditionKeyKindType>> = {
  'aws:principalaccount': ConditionKeyKind.PRINCIPAL_ACCOUNT,
  'aws:principalarn': ConditionKeyKind.PRINCIPAL_ARN,
  'aws:principalorgid': ConditionKeyKind.PRINCIPAL_ORG,
  'aws:principalorgpaths': ConditionKeyKind.PRINCIPAL_ORG_PATH,
  'aws:userid': ConditionKeyKind.USER_ID,
  'aws:sourceaccount': ConditionKeyKind.SOURCE_ACCOUNT,
  'aws:sourceowner': ConditionKeyKind.SOURCE_ACCOUNT,
  'aws:sourcearn': ConditionKeyKind.SOURCE_ARN,
  'aws:sourceorgid': ConditionKeyKind.SOURCE_ORG,
  'aws:sourceorgpaths': ConditionKeyKind.SOURCE_ORG_PATH,
  'aws:sourcevpc': ConditionKeyKind.SOURCE_NETWORK,
  'aws:sourcevpce': ConditionKeyKind.SOURCE_NETWORK,
  'aws:sourceip': ConditionKeyKind.SOURCE_IP,
};

/**
 * Shortest prefixes of `aws:SourceIp` ranges that still count as a restriction: an IPv4 range shorter than /8
 * (more than 16.7 million addresses, e.g. `0.0.0.0/0` or `0.0.0.0/1`) or an IPv6 range shorter than /32
 * (a whole regional internet registry allocation or more) is "overly broad" and restricts nothing.
 */
export const MIN_SOURCE_IP_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/** Positive operators (after `ForAnyValue:` is removed) under which each kind of key restricts. */
const STRING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike']);
const ARN_OPERATORS = new Set(['ArnEquals', 'ArnLike', 'StringEquals', 'StringEqualsIgnoreCase', 'StringLike']);
const IP_OPERATORS = new Set(['IpAddress']);

const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/i;
const WILDCARD = /[*?]/;

/** Who or what the restricting conditions of one dimension (caller or source) allow. */
export interface ConditionScope {
  /** Accounts allowed (intersection over keys, since keys are ANDed); undefined when no key names accounts. */
  readonly accounts?: readonly string[];
  /** Organizations allowed (intersection over keys); undefined when no key names organizations. */
  readonly orgs?: readonly string[];
  /** True when a key restricts to values that name no account (a unique id, an S3 bucket ARN). */
  readonly opaque: boolean;
  /** The restricting keys, as written. */
  readonly by: readonly string[];
}

/** A condition that looks restricting but is not, and why. */
export interface IgnoredCondition {
  readonly operator: string;
  readonly key: string;
  readonly reason: string;
}

/** What a statement's conditions restrict. */
export interface ConditionAnalysis {
  /** True when at least one condition restricts the caller, the source or the network. */
  readonly restricted: boolean;
  /** Every restricting key, as written. */
  readonly by: readonly string[];
  /** Restrictions on the caller (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalArn`, `aws:userid`). */
  readonly principal?: ConditionScope;
  /** Restrictions on the resource a service acts for (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOwner`). */
  readonly source?: ConditionScope;
  /** Network restrictions (`aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceIp`): keys as written. */
  readonly network?: readonly string[];
  /** Conditions on restricting keys that do not restrict (`...IfExists`, wildcards, broad ranges...). */
  readonly ignored: readonly IgnoredCondition[];
}

/** Options for {@link analyzeConditions}. */
export interface AnalyzeOptions {
  /**
   * Further restricting keys (lower-case) and what they restrict, e.g. `{ 'kms:calleraccount':
   * 'principal-account' }` for KMS key policies. (`kms:ViaService` alone restricts no one: do not add it.)
   */
  readonly extraKeys?: Readonly<Record<string, ConditionKeyKindType>>;
}

/** A parsed operator: `ForAnyValue:StringLikeIfExists` -> base `StringLike`, set `ForAnyValue`, ifExists. */
export interface ParsedOperator {
  readonly base: string;
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  readonly ifExists: boolean;
}

/** Splits a condition operator into its set qualifier, base operator and `IfExists` suffix. */
export function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator['set'];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    if (q === 'ForAnyValue' || q === 'ForAllValues') set = q;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists');
  return { base: ifExists ? rest.slice(0, -'IfExists'.length) : rest, set, ifExists };
}

/** True for a policy variable (`${aws:username}`): its value depends on the request, so it is not fixed. */
function hasVariable(v: string): boolean {
  return v.includes('${');
}

/** True when the CIDR (or single address) is a valid range no broader than {@link MIN_SOURCE_IP_PREFIX}. */
export function isNarrowSourceIp(value: string): boolean {
  const [address, prefixText, extra] = value.trim().split('/');
  if (extra !== undefined) return false;
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return false;
  const max = v4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) return false;
  return prefix >= (v4 ? MIN_SOURCE_IP_PREFIX.ipv4 : MIN_SOURCE_IP_PREFIX.ipv6);
}

type ValueVerdict = { account?: string; org?: string; opaque?: true } | { reject: string };

/** Judges one value of a restricting key: what it names, or why it restricts nothing. */
function judgeValue(kind: ConditionKeyKindType, value: string): ValueVerdict {
  if (hasVariable(value)) return { reject: 'uses a policy variable' };
  switch (kind) {
    case ConditionKeyKind.PRINCIPAL_ARN:
    case ConditionKeyKind.SOURCE_ARN: {
      const arn = parseArn(value);
      if (!arn) return { reject: 'is not a fixed ARN' };
      // An ARN without account (S3 buckets) names a resource anyone could own: only an exact name restricts.
      if (arn.account === '')
        return WILDCARD.test(value) ? { reject: 'names no account and has a wildcard' } : { opaque: true };
      if (!ACCOUNT_ID.test(arn.account)) return { reject: 'has a wildcard in the account field' };
      return { account: arn.account };
    }
    case ConditionKeyKind.PRINCIPAL_ORG_PATH:
    case ConditionKeyKind.SOURCE_ORG_PATH: {
      const org = value.split('/')[0];
      return ORG_ID.test(org) ? { org } : { reject: 'has no fixed organization id' };
    }
    case ConditionKeyKind.SOURCE_IP:
      return isNarrowSourceIp(value) ? { opaque: true } : { reject: `is an overly broad or invalid range` };
    default:
      break;
  }
  if (WILDCARD.test(value)) return { reject: 'has a wildcard' };
  switch (kind) {
    case ConditionKeyKind.PRINCIPAL_ACCOUNT:
    case ConditionKeyKind.SOURCE_ACCOUNT:
      return ACCOUNT_ID.test(value) ? { account: value } : { reject: 'is not a 12-digit account id' };
    case ConditionKeyKind.PRINCIPAL_ORG:
    case ConditionKeyKind.SOURCE_ORG:
      return ORG_ID.test(value) ? { org: value } : { reject: 'is not an organization id' };
    case ConditionKeyKind.USER_ID:
      // The root user's id is the account id; other ids (AROA..., AIDA...) name no account.
      return ACCOUNT_ID.test(value) ? { account: value } : { opaque: true };
    default:
      return { opaque: true };
  }
}

interface ScopeBuilder {
  accounts?: Set<string>;
  orgs?: Set<string>;
  opaque: boolean;
  by: string[];
}

function intersect(current: Set<string> | undefined, next: Set<string>): Set<string> {
  if (!current) return next;
  return new Set([...current].filter((v) => next.has(v)));
}

function finish(b: ScopeBuilder | undefined): ConditionScope | undefined {
  if (!b) return undefined;
  return {
    accounts: b.accounts ? [...b.accounts] : undefined,
    orgs: b.orgs ? [...b.orgs] : undefined,
    opaque: b.opaque,
    by: b.by,
  };
}

function operatorsFor(kind: ConditionKeyKindType): Set<string> {
  if (kind === ConditionKeyKind.SOURCE_IP) return IP_OPERATORS;
  if (kind === ConditionKeyKind.PRINCIPAL_ARN || kind === ConditionKeyKind.SOURCE_ARN) return ARN_OPERATORS;
  return STRING_OPERATORS;
}

const PRINCIPAL_KINDS = new Set<ConditionKeyKindType>([
  ConditionKeyKind.PRINCIPAL_ACCOUNT,
  ConditionKeyKind.PRINCIPAL_ARN,
  ConditionKeyKind.PRINCIPAL_ORG,
  ConditionKeyKind.PRINCIPAL_ORG_PATH,
  ConditionKeyKind.USER_ID,
]);
const NETWORK_KINDS = new Set<ConditionKeyKindType>([ConditionKeyKind.SOURCE_NETWORK, ConditionKeyKind.SOURCE_IP]);

/**
 * Analyses a statement's condition block. Operators and keys are ANDed, values of one key ORed, so a key
 * restricts only when every one of its values is fixed, and the allowed accounts (organizations) are the
 * intersection over keys. A condition does not restrict when its operator is negative (`StringNotEquals`...),
 * ends in `IfExists` (it passes when the key is absent), or is `ForAllValues:` (it passes when the key is absent,
 * which is how IAM Access Analyzer reads it on single-valued keys); `ForAnyValue:` on a single-valued key acts
 * like the plain operator.
 */
export function analyzeConditions(conditions: ConditionBlock, options: AnalyzeOptions = {}): ConditionAnalysis {
  const ignored: IgnoredCondition[] = [];
  const by: string[] = [];
  let principal: ScopeBuilder | undefined;
  let source: ScopeBuilder | undefined;
  let network: string[] | undefined;

  for (const [operator, keys] of Object.entries(conditions)) {
    const op = parseOperator(operator);
    for (const [key, values] of Object.entries(keys)) {
      const lower = key.toLowerCase();
      const kind = RESTRICTING_KEYS[lower] ?? options.extraKeys?.[lower];
      if (!kind) continue;
      const ignore = (reason: string) => ignored.push({ operator, key, reason });
      if (op.ifExists) {
        ignore('an IfExists operator passes when the key is absent');
        continue;
      }
      if (op.set === 'ForAllValues') {
        ignore('ForAllValues passes when the key is absent');
        continue;
      }
      if (!operatorsFor(kind).has(op.base)) {
        ignore(`${op.base} does not limit ${key} to fixed values`);
        continue;
      }
      if (values.length === 0) {
        ignore('has no values');
        continue;
      }
      const verdicts = values.map((v) => [v, judgeValue(kind, v)] as const);
      const rejected = verdicts.find(([, v]) => 'reject' in v);
      if (rejected) {
        ignore(`value "${rejected[0]}" ${(rejected[1] as { reject: string }).reject}`);
        continue;
      }
      by.push(key);
      if (NETWORK_KINDS.has(kind)) {
        network = [...(network ?? []), key];
        continue;
      }
      const accepted = verdicts.map(([, v]) => v as { account?: string; org?: string; opaque?: true });
      const target = PRINCIPAL_KINDS.has(kind)
        ? (principal ??= { opaque: false, by: [] })
        : (source ??= { opaque: false, by: [] });
      target.by.push(key);
      const accounts = accepted.filter((v) => v.account !== undefined).map((v) => v.account as string);
      const orgs = accepted.filter((v) => v.org !== undefined).map((v) => v.org as string);
      // A key with some values naming no account (an S3 bucket ARN) cannot narrow the account set.
      if (accepted.some((v) => v.opaque)) target.opaque = true;
      else if (accounts.length > 0) target.accounts = intersect(target.accounts, new Set(accounts));
      else if (orgs.length > 0) target.orgs = intersect(target.orgs, new Set(orgs.map((o) => o.toLowerCase())));
    }
  }
  return {
    restricted: by.length > 0,
    by,
    principal: finish(principal),
    source: finish(source),
    network,
    ignored,
  };
}

/** How a {@link ConditionScope} stands against the trusted accounts and organizations. */
export type ScopeTrust = 'trusted' | 'untrusted' | 'opaque';

/**
 * Judges a scope: `trusted` when every allowed account is trusted, or every allowed organization is (keys are
 * ANDed, so one fully trusted dimension is enough); `untrusted` when it names accounts or organizations and
 * neither set is fully trusted; `opaque` when it names neither (unique ids, S3 bucket ARNs).
 */
export function scopeTrust(
  scope: ConditionScope,
  isTrustedAccount: (accountId: string) => boolean,
  isTrustedOrg: (orgId: string) => boolean,
): ScopeTrust {
  if (scope.accounts && scope.accounts.every(isTrustedAccount)) return 'trusted';
  if (scope.orgs && scope.orgs.every(isTrustedOrg)) return 'trusted';
  if (scope.accounts || scope.orgs) return 'untrusted';
  return 'opaque';
}

/** A condition that tests a key with a positive string operator, as found by {@link positiveConditions}. */
export interface KeyCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

/**
 * The conditions on one key (compared case-insensitively) under a positive string operator, not `IfExists`
 * and not `ForAllValues:`: what `sts:ExternalId` or a web-identity `sub` check must look like to count.
 */
export function positiveConditions(conditions: ConditionBlock, key: string): KeyCondition[] {
  const want = key.toLowerCase();
  const out: KeyCondition[] = [];
  for (const [operator, keys] of Object.entries(conditions)) {
    const op = parseOperator(operator);
    if (op.ifExists || op.set === 'ForAllValues' || !STRING_OPERATORS.has(op.base)) continue;
    for (const [k, values] of Object.entries(keys)) {
      if (k.toLowerCase() === want) out.push({ operator, key: k, values });
    }
  }
  return out;
}
