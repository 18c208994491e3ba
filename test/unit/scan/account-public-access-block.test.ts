import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noPublicPrincipals } from '../../../rules/no-public-principals/rule';
import type { AnyRule } from '../../../rules/runtime/types';
import { deepFreeze } from '../../fixtures/events/config-events';
import { scan, snapshotOf, tempDir } from './scan-harness';

const ITEMS: readonly Record<string, unknown>[] = deepFreeze(
  JSON.parse(
    readFileSync(
      join(__dirname, '..', '..', '..', 'examples', 'sample-account', '30-no-public-principals.json'),
      'utf8',
    ),
  ),
);
const WEBSITE = ITEMS.find((i) => i.resourceId === 'npp-public-website-bucket') as Record<string, unknown>;

/** An AWS::S3::AccountPublicAccessBlock item as Config records it (resource id = the account id). */
function accountBlock(accountId: string, restrictPublicBuckets: boolean): Record<string, unknown> {
  return {
    configurationItemCaptureTime: '2026-11-20T09:14:02.118Z',
    configurationItemStatus: 'OK',
    resourceType: 'AWS::S3::AccountPublicAccessBlock',
    resourceId: accountId,
    awsAccountId: accountId,
    awsRegion: 'us-east-1',
    configuration: {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets,
    },
    supplementaryConfiguration: {},
    tags: {},
    relationships: [],
  };
}

async function verdict(items: readonly unknown[]) {
  const dir = tempDir();
  const file = join(dir, 'snapshot.json');
  writeFileSync(file, snapshotOf(items));
  const r = await scan([file], { format: 'json' }, '', [noPublicPrincipals as AnyRule]);
  const report = JSON.parse(r.stdout) as {
    evaluations: { resourceId: string; compliance: string; annotation: string }[];
  };
  return report.evaluations.find((e) => e.resourceId === 'npp-public-website-bucket');
}

describe('the account-level S3 Public Access Block in a snapshot', () => {
  it("applies to that account's buckets offline, as the Lambda applies it live", async () => {
    const e = await verdict([accountBlock(WEBSITE.awsAccountId as string, true), WEBSITE]);
    expect(e?.compliance).toBe('COMPLIANT');
    expect(e?.annotation).toMatch(/neutralised by RestrictPublicBuckets/);
  });

  it('is read wherever it is in the snapshot (after the bucket too)', async () => {
    expect((await verdict([WEBSITE, accountBlock(WEBSITE.awsAccountId as string, true)]))?.compliance).toBe(
      'COMPLIANT',
    );
  });

  it('does not apply to the buckets of another account', async () => {
    expect((await verdict([accountBlock('999988887777', true), WEBSITE]))?.compliance).toBe('NON_COMPLIANT');
  });

  it('leaves a public bucket NON_COMPLIANT when the account setting does not restrict public buckets', async () => {
    expect((await verdict([accountBlock(WEBSITE.awsAccountId as string, false), WEBSITE]))?.compliance).toBe(
      'NON_COMPLIANT',
    );
  });

  it('says "not read" in the annotation when the snapshot has no such item, never assuming it', async () => {
    const privateBucket = ITEMS.find((i) => i.resourceId === 'npp-vpce-only-bucket');
    const dir = tempDir();
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, snapshotOf([privateBucket]));
    const r = await scan([file], { format: 'json' }, '', [noPublicPrincipals as AnyRule]);
    const [e] = (JSON.parse(r.stdout) as { evaluations: { compliance: string; annotation: string }[] }).evaluations;
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toMatch(
      /the account-level Public Access Block was not read \(no AWS::S3::AccountPublicAccessBlock item in the snapshot\)/,
    );
  });
});
