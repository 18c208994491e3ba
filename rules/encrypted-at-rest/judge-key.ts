import { type Evaluation, type Finding, judge } from '../runtime';
import type { KeyInfo } from '../runtime/context';
import { isAwsManagedAlias, parseKeyRef } from '../runtime/key-lookup';
import { FINDING_CODES, type FindingCode } from './codes';
import type { EncryptedAtRestParams } from './parameters';
import type { KeyKind, StoreEncryption } from './stores';

/** What `gather` learnt about a store's key. */
export interface KeyFacts {
  /** The lookup's answer for the store's key: null when it could not answer; absent when it was not asked. */
  readonly key?: KeyInfo | null;
  /** Why the lookup could not answer, for the annotation. */
  readonly lookupNote?: string;
}

/** The resource being judged. */
export interface StoreRef {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
  /** The resource ARN, for the partition of key ARNs built from key ids. */
  readonly arn?: string;
}

type Params = Pick<EncryptedAtRestParams, 'requireCustomerManagedKey' | 'allowedKmsKeyArns' | 'trustedAccountIds'>;

interface ResolvedKey {
  readonly kind: KeyKind;
  /** Account that owns the key, when known. */
  readonly accountId?: string;
  /** Every spelling of the key that an allow-list entry may use (ref, ARN, id). */
  readonly names: readonly string[];
  /** True when the key is an alias the lookup could not resolve. */
  readonly unresolvedAlias: boolean;
}

function resolveKey(state: StoreEncryption, facts: KeyFacts, ref: StoreRef): ResolvedKey {
  const keyRef = state.keyRef;
  if (!keyRef) return { kind: state.keyKind ?? 'unknown', names: [], unresolvedAlias: false };
  const parsed = parseKeyRef(keyRef);
  const info = facts.key ?? undefined;
  // Alias names, alias ARNs without an account and bare key ids live in the store's own account.
  const accountId = parsed.accountId ?? info?.accountId ?? ref.accountId;
  const partition = ref.arn?.split(':')[1] || 'aws';
  const names = [keyRef, info?.arn, info?.keyId];
  if (parsed.kind === 'key-id') names.push(`arn:${partition}:kms:${ref.region}:${accountId}:key/${parsed.name}`);
  if (parsed.kind === 'key-arn') names.push(parsed.name);
  let kind: KeyKind = state.keyKind ?? 'unknown';
  if (kind === 'unknown') {
    if (isAwsManagedAlias(keyRef)) kind = 'aws-managed';
    else if (accountId !== ref.accountId)
      kind = 'customer'; // AWS-managed keys cannot be used across accounts
    else if (info?.manager === 'AWS') kind = 'aws-managed';
    else if (info?.manager === 'CUSTOMER') kind = 'customer';
  }
  const isAlias = parsed.kind === 'alias' || parsed.kind === 'alias-arn';
  return {
    kind,
    accountId,
    names: names.filter((n): n is string => typeof n === 'string'),
    unresolvedAlias: isAlias && !info?.arn && !isAwsManagedAlias(keyRef),
  };
}

function describeKey(state: StoreEncryption, key: ResolvedKey, facts: KeyFacts): string {
  const ref = state.keyRef;
  switch (key.kind) {
    case 'aws-owned':
      return `an AWS-owned key${state.note ? ` (${state.note})` : ''}`;
    case 'aws-managed':
      return `the AWS-managed key ${ref ?? '(service default)'}`;
    case 'customer':
      return `customer-managed key ${ref}`;
    default:
      return ref
        ? `KMS key ${ref} (key manager unknown${facts.lookupNote ? `: ${facts.lookupNote}` : ''})`
        : `an unknown key${state.note ? ` (${state.note})` : ''}`;
  }
}

function finding(code: FindingCode, message: string, path: string): Finding {
  return { code, message, path, severity: FINDING_CODES[code].severity };
}

/**
 * Judges one store's encryption state and key against the parameters: the same judgement for every store
 * type, change-triggered or periodic. Pure.
 */
export function judgeStore(state: StoreEncryption, facts: KeyFacts, params: Params, ref: StoreRef): Evaluation {
  const label = state.label;
  if (state.encrypted === false) {
    const message = state.missing
      ? `${label} has no ${state.missing}.`
      : `${label} has no encryption at rest (${state.path}).`;
    return judge(ref, [finding('unencrypted', message, state.path)], '', 'high');
  }
  if (state.encrypted === 'unknown') {
    const why = state.note ? `: ${state.note}` : '';
    const message = `${label}: cannot tell whether it is encrypted at rest (${state.path}${why}).`;
    return judge(ref, [finding('encryption-unknown', message, state.path)], '', 'high');
  }
  const key = resolveKey(state, facts, ref);
  const described = describeKey(state, key, facts);
  const findings: Finding[] = [];
  if (key.accountId && key.accountId !== ref.accountId && !params.trustedAccountIds.includes(key.accountId)) {
    findings.push(
      finding('external-key', `${label} uses ${described}, owned by account ${key.accountId}.`, state.path),
    );
  }
  if (params.requireCustomerManagedKey) {
    if (key.kind === 'aws-owned' || key.kind === 'aws-managed') {
      const message = `${label} uses ${described}, not a customer-managed key.`;
      findings.push(finding('not-customer-managed-key', message, state.path));
    } else if (key.kind === 'unknown') {
      const message = `${label} uses ${described}; cannot confirm it is customer-managed.`;
      findings.push(finding('key-unverified', message, state.path));
    }
  }
  if (params.allowedKmsKeyArns.length > 0 && !key.names.some((n) => params.allowedKmsKeyArns.includes(n))) {
    if (key.unresolvedAlias) {
      const message = `${label} uses ${described}; the alias could not be resolved to check allowedKmsKeyArns.`;
      findings.push(finding('key-unverified', message, state.path));
    } else {
      findings.push(finding('key-not-allowed', `${label} uses ${described}, not in allowedKmsKeyArns.`, state.path));
    }
  }
  return judge(ref, findings, `${label} is encrypted at rest with ${described}.`, 'high');
}
