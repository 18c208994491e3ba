import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';
import type { Evaluation } from '../../../rules/runtime/types';
import { LiveSnapshotWriter } from '../../../scan/outputs/snapshot-writer';
import { baseItem, tempDir } from './scan-harness';

const A = '111111111111';
const B = '222222222222';

/** A Lambda function item named `fn` in an account and region (Config's resource id is the name). */
function fn(accountId: string, region: string) {
  const raw = baseItem('AWS::Lambda::Function');
  return normalizeConfigurationItem({
    ...raw,
    resourceId: 'fn',
    resourceName: 'fn',
    awsAccountId: accountId,
    awsRegion: region,
    ARN: `arn:aws:lambda:${region}:${accountId}:function:fn`,
  });
}

const judged = (item: ReturnType<typeof fn>): Evaluation => ({
  resourceType: item.resourceType,
  resourceId: item.resourceId,
  compliance: 'NON_COMPLIANT',
  annotation: 'x',
  findings: [{ code: 'x', message: 'x' }],
});

describe('the snapshot a live scan saves for SARIF', () => {
  it('gives a resource id that repeats across accounts and regions a line of its own in each', async () => {
    const path = join(tempDir(), 'org.snapshot.json');
    const writer = new LiveSnapshotWriter(path);
    const items = [fn(A, 'eu-west-1'), fn(B, 'eu-west-1'), fn(A, 'us-east-1')];
    const lines = items.map((item) =>
      writer.locate(judged(item), { item, accountId: item.accountId, region: item.awsRegion }),
    );
    // The same resource judged again (another rule) points at the same line.
    const again = writer.locate(judged(items[1]), { item: items[1], accountId: B, region: 'eu-west-1' });
    await writer.close();
    expect(new Set(lines.map((l) => l.line)).size).toBe(3);
    expect(again).toEqual(lines[1]);
    const text = readFileSync(path, 'utf8').split('\n');
    lines.forEach((at, i) => {
      expect(JSON.parse(text[at.line - 1].replace(/,$/, ''))).toMatchObject({
        resourceId: 'fn',
        awsAccountId: items[i].accountId,
        awsRegion: items[i].awsRegion,
      });
    });
    // The file is one Config snapshot holding every account's items.
    expect(JSON.parse(text.join('\n')).configurationItems).toHaveLength(3);
  });
});
