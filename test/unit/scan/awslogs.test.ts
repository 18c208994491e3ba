import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type JsonEval, runWard } from './findings-harness';
import { baseItem, snapshotOf, tempDir } from './scan-harness';

const TOPIC_ID = 'arn:aws:sns:us-east-1:111122223333:ward-sample-build-notices';
const topic = baseItem('AWS::SNS::Topic', TOPIC_ID);
const at = (time: string, configuration: unknown, status = 'OK') => ({
  ...topic,
  configurationItemCaptureTime: time,
  configurationItemStatus: status,
  configuration,
});
const plain = (time: string) => at(time, { ...(topic.configuration as object), KmsMasterKeyId: undefined });
const encrypted = (time: string) =>
  at(time, { ...(topic.configuration as object), KmsMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' });

/** Writes an AWSLogs tree: each entry a day folder, a delivery kind and the items delivered. */
function awsLogs(days: [string, 'ConfigSnapshot' | 'ConfigHistory', object[]][]): string {
  const root = tempDir();
  for (const [day, kind, items] of days) {
    const dir = join(root, 'AWSLogs', '111122223333', 'Config', 'us-east-1', ...day.split('-'), kind);
    mkdirSync(dir, { recursive: true });
    const name = `111122223333_Config_us-east-1_${kind}_${day}.json.gz`;
    writeFileSync(join(dir, name), gzipSync(snapshotOf(items)));
  }
  return root;
}

const topicEvaluations = (stdout: string) =>
  (JSON.parse(stdout).evaluations as JsonEval[]).filter((e) => e.resourceId === TOPIC_ID);

describe('an AWSLogs tree read as the current state', () => {
  it('judges each resource once, from its latest capture across snapshot and history files, and counts the older ones', async () => {
    // Red on day 1 (snapshot), fixed on day 2 (history): the topic is compliant now.
    const root = awsLogs([
      ['2026-12-01', 'ConfigSnapshot', [plain('2026-12-01T06:00:00.000Z')]],
      ['2026-12-02', 'ConfigHistory', [encrypted('2026-12-02T09:30:00.000Z')]],
    ]);
    const r = await runWard([root], { format: 'json', rules: 'encrypted-at-rest' });
    const e = topicEvaluations(r.stdout);
    expect(e.map((x) => x.compliance)).toEqual(['COMPLIANT']);
    expect(e[0].location?.file).toContain(join('2026', '12', '02', 'ConfigHistory'));
    expect(JSON.parse(r.stdout).summary.olderCapturesSkipped).toBe(1);
    expect((await runWard([root], { rules: 'encrypted-at-rest' })).stdout).toMatch(/1 older capture skipped/);
  });

  it('does not let file order decide: a later file with an older capture loses', async () => {
    const root = awsLogs([
      ['2026-12-01', 'ConfigHistory', [encrypted('2026-12-03T00:00:00.000Z')]],
      ['2026-12-02', 'ConfigSnapshot', [plain('2026-12-01T00:00:00.000Z')]],
    ]);
    const r = await runWard([root], { format: 'json', rules: 'encrypted-at-rest' });
    expect(topicEvaluations(r.stdout).map((x) => x.compliance)).toEqual(['COMPLIANT']);
  });

  it('reports a resource whose latest capture says deleted as NOT_APPLICABLE', async () => {
    const root = awsLogs([
      ['2026-12-01', 'ConfigSnapshot', [plain('2026-12-01T06:00:00.000Z')]],
      ['2026-12-02', 'ConfigHistory', [at('2026-12-02T10:00:00.000Z', null, 'ResourceDeleted')]],
    ]);
    const r = await runWard([root], { format: 'json', rules: 'encrypted-at-rest', failOn: 'informational' });
    expect(topicEvaluations(r.stdout).map((x) => x.compliance)).toEqual(['NOT_APPLICABLE']);
    expect(r.code).toBe(0);
  });

  it('judges every capture with --all-captures', async () => {
    const root = awsLogs([
      ['2026-12-01', 'ConfigSnapshot', [plain('2026-12-01T06:00:00.000Z')]],
      ['2026-12-02', 'ConfigHistory', [encrypted('2026-12-02T09:30:00.000Z')]],
    ]);
    const r = await runWard([root], { format: 'json', rules: 'encrypted-at-rest', allCaptures: true });
    expect(topicEvaluations(r.stdout).map((x) => x.compliance)).toEqual(['NON_COMPLIANT', 'COMPLIANT']);
    expect(JSON.parse(r.stdout).summary.olderCapturesSkipped).toBeUndefined();
  });

  it('leaves files outside an AWSLogs tree as they are: every item judged', async () => {
    const file = join(tempDir(), 'two-captures.json');
    writeFileSync(file, snapshotOf([plain('2026-12-01T06:00:00.000Z'), encrypted('2026-12-02T09:30:00.000Z')]));
    const r = await runWard([file], { format: 'json', rules: 'encrypted-at-rest' });
    expect(topicEvaluations(r.stdout)).toHaveLength(2);
  });
});
