/**
 * The periodic path: every customer-managed key of the region (kms:ListKeys, paged; kms:DescribeKey to tell
 * customer-managed keys apart), judged through the same gather and evaluate as the change path, so that the
 * grants Config cannot record are checked at least once per period.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import {
  type AnyRule,
  type ConfigurationItem,
  type Evaluation,
  type RuleContext,
  describeError,
  errorEvaluation,
  evaluateItem,
} from '../runtime';
import * as sdk from '../runtime/sdk';

/** Keys judged at once: enough to overlap API latency, few enough to stay under KMS's request quotas. */
const CONCURRENCY = 8;

/** Every key id of the region, paged. */
export async function listKeyIds(kms: Pick<KMSClient, 'send'>): Promise<string[]> {
  const { ListKeysCommand } = await sdk.kms(); // on first use (Lambda cold start)
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListKeysCommand({ Marker: marker, Limit: 1000 }));
    for (const k of page.Keys ?? []) if (k.KeyId) ids.push(k.KeyId);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return ids;
}

async function keyItem(
  kms: Pick<KMSClient, 'send'>,
  ctx: RuleContext,
  keyId: string,
  withTags: boolean,
): Promise<ConfigurationItem | undefined> {
  const { DescribeKeyCommand, ListResourceTagsCommand } = await sdk.kms();
  const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  if (!meta || meta.KeyManager === 'AWS') return undefined;
  const tags: Record<string, string> = {};
  if (withTags) {
    let marker: string | undefined;
    do {
      const page = await kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker }));
      for (const t of page.Tags ?? []) if (t.TagKey) tags[t.TagKey] = t.TagValue ?? '';
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
  }
  // The same shape the normaliser gives a Config item (without the policy, which gather then reads).
  return {
    resourceType: 'AWS::KMS::Key',
    resourceId: keyId,
    arn: meta.Arn,
    accountId: meta.AWSAccountId ?? ctx.accountId,
    awsRegion: ctx.region,
    captureTime: '',
    status: 'OK',
    configuration: { keyId, arn: meta.Arn, keyManager: meta.KeyManager, keyState: meta.KeyState },
    supplementaryConfiguration: {},
    tags,
    relationships: [],
  };
}

/** One evaluation per customer-managed key; a key that cannot be read is an evaluation error, never skipped. */
export async function collectKeys(
  rule: AnyRule,
  ctx: RuleContext,
  params: { exemptTag?: string },
): Promise<Evaluation[]> {
  const kms = ctx.client((await sdk.kms()).KMSClient);
  const ids = await listKeyIds(kms);
  const out: Evaluation[][] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      const ref = { resourceType: 'AWS::KMS::Key', resourceId: ids[i] };
      try {
        const item = await keyItem(kms, ctx, ids[i], params.exemptTag !== undefined);
        out[i] = item ? await evaluateItem(rule, item, params, ctx) : [];
      } catch (err) {
        ctx.logger.error({ rule: rule.meta.id, resourceId: ids[i], err: describeError(err) }, 'cannot read key');
        out[i] = [errorEvaluation(ref, rule.meta.id, err)];
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return out.flat();
}
