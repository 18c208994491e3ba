import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { STORE_TYPES } from '../../../rules/encrypted-at-rest/stores';
import { type Evaluation, evaluateItem, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createLogger } from '../../../rules/runtime/logger';
import { createRuleContext } from '../../../rules/runtime/rule-context';

/*
 * The sample-account fragment is what `ward scan` shows by default: every change-triggered type must appear
 * compliant and non-compliant, with keys resolved offline from the fragment's own KMS Key and Alias items.
 */
const FRAGMENT = join(__dirname, '../../../examples/sample-account/20-encrypted-at-rest.json');
const items = (JSON.parse(readFileSync(FRAGMENT, 'utf8')) as unknown[]).map(normalizeConfigurationItem);

async function scan(raw: Record<string, unknown>): Promise<Map<string, Evaluation>> {
  const keys = createSnapshotKeyLookup();
  for (const i of items) keys.add(i);
  const ctx = createRuleContext({
    mode: 'snapshot',
    accountId: '111122223333',
    region: 'us-east-1',
    keys,
    logger: createLogger({}, { write: () => undefined }),
  });
  const params = parseRuleParameters(encryptedAtRest.meta.parameters, raw, 'encrypted-at-rest');
  const out = new Map<string, Evaluation>();
  for (const item of items.filter((i) => (STORE_TYPES as readonly string[]).includes(i.resourceType))) {
    const [e] = await evaluateItem(encryptedAtRest, item, params, ctx);
    out.set(item.resourceName ?? item.resourceId, e);
  }
  return out;
}

describe('the encrypted-at-rest sample fragment', () => {
  it('has every change-triggered type at least once compliant and once non-compliant', async () => {
    const seen = new Map<string, Set<string>>();
    for (const [, e] of await scan({})) {
      const s = seen.get(e.resourceType) ?? new Set<string>();
      s.add(e.compliance);
      seen.set(e.resourceType, s);
    }
    for (const type of STORE_TYPES)
      expect([type, [...(seen.get(type) ?? [])].sort()]).toEqual([type, ['COMPLIANT', 'NON_COMPLIANT']]);
  });

  it.each([
    ['ear-archive-2019-111122223333', ['unencrypted']],
    ['ear-legacy-jobs', ['unencrypted']],
    ['ear-partner-feed', ['external-key']],
    ['ear/partner-api-token', ['external-key']],
    ['ear-kms-reports-111122223333', []],
  ])('judges %s with default parameters', async (name, codes) => {
    expect((await scan({})).get(name)?.findings.map((f) => f.code)).toEqual(codes);
  });

  it.each([
    ['ear-billing', ['not-customer-managed-key']], // kmsKeyId is the aws/rds key: resolved by its KMS Key item
    ['ear-payments-events', []], // alias/ear-data resolves to the customer key
    ['ear-telemetry', ['not-customer-managed-key']], // alias/aws/kinesis
    ['ear-thumbnails', ['not-customer-managed-key']], // SSE-SQS
    ['ear/partner-api-token', ['external-key']], // a cross-account key is customer-managed
  ])('judges %s with requireCustomerManagedKey', async (name, codes) => {
    expect((await scan({ requireCustomerManagedKey: true })).get(name)?.findings.map((f) => f.code)).toEqual(codes);
  });
});
