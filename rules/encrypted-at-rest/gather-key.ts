import type { RuleContext } from '../runtime/context';
import { describeError } from '../runtime/errors';
import { isAwsManagedAlias, parseKeyRef } from '../runtime/key-lookup';
import type { KeyFacts } from './judge-key';
import type { StoreEncryption } from './stores';

/**
 * Asks the context's key lookup about a store's key when the item alone cannot tell who manages it.
 * `alias/aws/*` and keys of other accounts need no lookup (AWS-managed keys never cross accounts); a lookup
 * that cannot answer yields `key: null` and a note for the annotation, never a guess.
 */
export async function lookupStoreKey(
  state: StoreEncryption,
  ctx: RuleContext,
  where: { accountId: string; region: string },
): Promise<KeyFacts> {
  const ref = state.keyRef;
  if (state.encrypted !== true || !ref || isAwsManagedAlias(ref)) return {};
  const parsed = parseKeyRef(ref);
  if (state.keyKind !== 'unknown' && parsed.kind !== 'alias' && parsed.kind !== 'alias-arn') return {};
  try {
    const key = await ctx.keys.describe(ref, where);
    if (key) return { key };
    return {
      key: null,
      lookupNote: ctx.offline ? 'no KMS Key/Alias item for it in the snapshot' : 'kms:DescribeKey gave no answer',
    };
  } catch (err) {
    ctx.logger.warn({ keyRef: ref, err: describeError(err) }, 'key lookup failed');
    return { key: null, lookupNote: 'the key lookup failed' };
  }
}
