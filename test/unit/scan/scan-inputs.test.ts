import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BASE_ITEMS, baseItem, scan, snapshotOf, tempDir, toApiForm } from './scan-harness';

const TOPIC_PLAIN = baseItem('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:111122223333:ward-sample-build-notices');
const TOPIC_KMS = baseItem('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:111122223333:ward-sample-order-events');
const TOPICS = [TOPIC_PLAIN, TOPIC_KMS];

interface JsonReport {
  summary: {
    itemsRead: number;
    compliance: Record<string, number>;
    rules: Record<string, Record<string, number>>;
    badItems: { count: number; problems: string[] };
    skippedRules: { rule: string; reason: string }[];
    inputs: { file: string; layout: string; items: number; notCovered: number }[];
    notJudged: { count: number; entries: { kind: string; subject: string; problem: string }[] };
  };
  evaluations: { rule: string; resourceId: string; compliance: string; findings: { code: string }[] }[];
}

async function scanJson(inputs: string[], stdin = ''): Promise<JsonReport> {
  const r = await scan(inputs, { format: 'json', rules: 'topic-key-example' }, stdin);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonReport;
}

const topicVerdicts = (report: JsonReport) =>
  Object.fromEntries(report.evaluations.map((e) => [e.resourceId.split(':').pop(), e.compliance]));

const EXPECTED = { 'ward-sample-build-notices': 'NON_COMPLIANT', 'ward-sample-order-events': 'COMPLIANT' };

describe('ward scan inputs', () => {
  const dir = tempDir();
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it.each([
    ['a Config snapshot delivered to S3', 'snapshot.json', () => snapshotOf(TOPICS), 'snapshot'],
    [
      'a gzipped snapshot, found by its magic bytes',
      'snapshot.json.gz',
      () => gzipSync(snapshotOf(TOPICS)),
      'snapshot',
    ],
    ['a gzipped snapshot with a misleading name', 'snapshot.json', () => gzipSync(snapshotOf(TOPICS)), 'snapshot'],
    ['a JSON array of items', 'items.json', () => JSON.stringify(TOPICS, null, 2), 'array'],
    ['JSON Lines of items', 'items.jsonl', () => TOPICS.map((t) => JSON.stringify(t)).join('\n'), 'lines'],
    [
      'batch-get-resource-config output (API form)',
      'batch.json',
      () => JSON.stringify({ baseConfigurationItems: TOPICS.map(toApiForm), unprocessedResourceKeys: [] }, null, 4),
      'snapshot',
    ],
    [
      'get-resource-config-history output (API form)',
      'history.json',
      () => JSON.stringify({ configurationItems: TOPICS.map(toApiForm), nextToken: 'x' }),
      'snapshot',
    ],
  ])('reads %s', async (_name, file, content, layout) => {
    const report = await scanJson([write(file as string, (content as () => string | Buffer)())]);
    expect(topicVerdicts(report)).toEqual(EXPECTED);
    expect(report.summary.inputs).toEqual([{ file: join(dir, file as string), layout, items: 2, notCovered: 0 }]);
  });

  it('reads a directory recursively, *.json, *.json.gz and *.jsonl only', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'us-east-1', 'deep'), { recursive: true });
    writeFileSync(join(root, 'us-east-1', 'a.json'), snapshotOf([TOPIC_PLAIN]));
    writeFileSync(join(root, 'us-east-1', 'deep', 'b.json.gz'), gzipSync(snapshotOf([TOPIC_KMS])));
    writeFileSync(join(root, 'notes.txt'), 'not scanned');
    const report = await scanJson([root]);
    expect(topicVerdicts(report)).toEqual(EXPECTED);
    expect(report.summary.inputs.map((i) => i.file.slice(root.length + 1))).toEqual([
      'us-east-1/a.json',
      'us-east-1/deep/b.json.gz',
    ]);
  });

  it('reads stdin when the input is -', async () => {
    const report = await scanJson(['-'], snapshotOf(TOPICS));
    expect(topicVerdicts(report)).toEqual(EXPECTED);
    expect(report.summary.inputs).toEqual([{ file: '-', layout: 'snapshot', items: 2, notCovered: 0 }]);
  });

  it('reads several files and counts items across them', async () => {
    const a = write('several-a.json', snapshotOf([TOPIC_PLAIN]));
    const b = write('several-b.jsonl', JSON.stringify(TOPIC_KMS));
    const report = await scanJson([a, b]);
    expect(report.summary.itemsRead).toBe(2);
    expect(topicVerdicts(report)).toEqual(EXPECTED);
  });

  it('scans the whole sample fragment without bad items', async () => {
    const r = await scan([write('base.json', snapshotOf(BASE_ITEMS))], { format: 'json' });
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.summary.badItems.count).toBe(0);
    expect(report.summary.itemsRead).toBe(BASE_ITEMS.length);
  });

  describe('bad items inside a good file', () => {
    it('reports each on one line with file, index, type and id, evaluates the others, and exits 2', async () => {
      const broken = {
        ...TOPIC_PLAIN,
        resourceId: 'arn:aws:sns:us-east-1:111122223333:broken',
        configuration: '{not json',
      };
      const noId = { resourceType: 'AWS::SNS::Topic', configuration: {} };
      const file = write('bad-items.json', snapshotOf([broken, TOPIC_PLAIN, 42, noId, TOPIC_KMS]));
      const r = await scan([file], { format: 'json', rules: 'topic-key-example' });
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      const unreadable = lines.filter((l) => l.startsWith('ward scan: not judged: '));
      expect(unreadable).toEqual([
        expect.stringMatching(
          /^ward scan: not judged: topic-key-example AWS::SNS::Topic arn:aws:sns:us-east-1:111122223333:broken: Not judged: configuration is not valid JSON/,
        ),
      ]);
      lines.splice(lines.indexOf(unreadable[0]), 1);
      expect(lines).toEqual([
        `ward scan: skipped bad item: ${file}: item 2: not a JSON object`,
        `ward scan: skipped bad item: ${file}: item 3 (AWS::SNS::Topic): ConfigurationItemError: AWS::SNS::Topic configuration item has no resourceId`,
      ]);
      const report = JSON.parse(r.stdout) as JsonReport;
      // The item whose configuration cannot be read is judged NON_COMPLIANT, never skipped or COMPLIANT.
      expect(topicVerdicts(report)).toEqual({ ...EXPECTED, broken: 'NON_COMPLIANT' });
      expect(report.evaluations.find((e) => e.resourceId.endsWith(':broken'))?.findings).toEqual([
        expect.objectContaining({ code: 'unreadable-configuration' }),
      ]);
      expect(report.summary.badItems.count).toBe(2);
      expect(report.summary.badItems.problems).toEqual(
        lines.map((l) => l.replace('ward scan: skipped bad item: ', '')),
      );
      expect(report.summary.notJudged.count).toBe(3);
      expect(report.summary.itemsRead).toBe(5);
    });

    it('reads JSON Lines with rows that are not objects: each is a bad item with its line, the rest is judged', async () => {
      const file = write(
        'rows.jsonl',
        ['42', JSON.stringify(TOPIC_PLAIN), '"text"', '[1, 2]', 'null', JSON.stringify(TOPIC_KMS), ''].join('\n'),
      );
      const r = await scan([file], { format: 'json', rules: 'topic-key-example' });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual(
        [
          [1, 0],
          [3, 2],
          [4, 3],
          [5, 4],
        ].map(([line, item]) => `ward scan: skipped bad item: ${file}: line ${line} (item ${item}): not a JSON object`),
      );
      expect(topicVerdicts(JSON.parse(r.stdout) as JsonReport)).toEqual(EXPECTED);
    });

    it('accepts a UTF-8 byte-order mark, in a plain and in a gzipped file', async () => {
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      const plain = write('bom.json', Buffer.concat([bom, Buffer.from(snapshotOf(TOPICS))]));
      const lines = write(
        'bom.jsonl',
        Buffer.concat([bom, Buffer.from(TOPICS.map((t) => JSON.stringify(t)).join('\n'))]),
      );
      const gz = write('bom.json.gz', gzipSync(Buffer.concat([bom, Buffer.from(snapshotOf(TOPICS))])));
      for (const f of [plain, lines, gz]) expect(topicVerdicts(await scanJson([f]))).toEqual(EXPECTED);
    });

    it('reads keys and types written with JSON escapes as JSON defines them', async () => {
      const escaped = (t: Record<string, unknown>) =>
        JSON.stringify(t)
          .replace('"resourceType"', '"resource\\u0054ype"')
          .replace('"AWS::SNS::Topic"', '"AWS::SNS::\\u0054opic"');
      const snapshot = `{"fileVersion": "1.0", "configuration\\u0049tems": [${TOPICS.map(escaped).join(',')}]}`;
      const report = await scanJson([write('escaped.json', snapshot)]);
      expect(topicVerdicts(report)).toEqual(EXPECTED);
      expect(report.summary.inputs[0].layout).toBe('snapshot');
    });

    it('reports an item that is not valid JSON in JSON Lines', async () => {
      const file = write(
        'bad-line.jsonl',
        `${JSON.stringify(TOPIC_PLAIN)}\n{"resourceType": "AWS::SNS::Topic", "x": tru}\n`,
      );
      const r = await scan([file], { format: 'json', rules: 'topic-key-example' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^ward scan: skipped bad item: ${file}: line 2 \\(item 1\\): not valid JSON \\(`),
      );
      expect((JSON.parse(r.stdout) as JsonReport).evaluations).toHaveLength(1);
    });

    it('does not quote the bad item in the message (it may hold a policy)', async () => {
      const file = write('leaky.jsonl', `{"resourceType": "AWS::SNS::Topic", "Policy": SECRET-POLICY-MARKER}\n`);
      const r = await scan([file], { format: 'json', rules: 'topic-key-example' });
      expect(r.stderr).toMatch(/line 1 \(item 0\): not valid JSON \(SyntaxError: Unexpected token 'S'\)/);
      expect(r.stderr).not.toMatch(/SECRET-POL|"Policy"/);
    });
  });

  describe('a bad file is reported by name on one line, the other inputs are scanned, and the scan exits 2', () => {
    it.each([
      ['a missing file', () => join(dir, 'missing.json'), /missing\.json: no such file or directory$/],
      [
        'a file that is not JSON',
        () => write('not-json.json', 'resourceType,resourceId\n'),
        /not-json\.json: not valid JSON at byte 0/,
      ],
      [
        'a truncated snapshot',
        () => write('truncated.json', snapshotOf(TOPICS).slice(0, 500)),
        /truncated\.json: not valid JSON at byte \d+: the input ends inside a JSON value/,
      ],
      [
        'JSON that is not a snapshot',
        () => write('package.json', '{"name": "x", "version": "1"}'),
        /package\.json: not a Config snapshot/,
      ],
      [
        'a corrupt gzip file',
        () =>
          write('corrupt.json.gz', Buffer.concat([gzipSync(snapshotOf(TOPICS)).subarray(0, 40), Buffer.alloc(40, 7)])),
        /corrupt\.json\.gz: cannot decompress the gzip file/,
      ],
      [
        'an empty directory',
        () => {
          const d = join(dir, 'empty');
          mkdirSync(d, { recursive: true });
          return d;
        },
        /empty: the directory has no \*\.json/,
      ],
    ])('%s', async (_name, make, message) => {
      const good = write('good.json', snapshotOf(TOPICS));
      const bad = make();
      const r = await scan([bad, good], { format: 'json', rules: 'topic-key-example' });
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ward scan: /);
      expect(lines[0]).toMatch(message);
      const report = JSON.parse(r.stdout) as JsonReport;
      expect(topicVerdicts(report)).toEqual(EXPECTED);
      expect(report.summary.notJudged.entries).toEqual([
        expect.objectContaining({ kind: 'input', subject: bad, problem: expect.any(String) }),
      ]);
    });
  });

  describe('symbolic links', () => {
    it('follows a linked file and a linked directory once, and a link back up the tree is no loop', async () => {
      const root = join(dir, 'linked');
      const real = join(dir, 'real-tree');
      mkdirSync(join(real, 'sub'), { recursive: true });
      mkdirSync(root, { recursive: true });
      writeFileSync(join(real, 'a.json'), snapshotOf([TOPIC_PLAIN]));
      writeFileSync(join(real, 'sub', 'b.json'), snapshotOf([TOPIC_KMS]));
      symlinkSync(real, join(root, 'tree'));
      symlinkSync(root, join(real, 'sub', 'loop'));
      symlinkSync(join(real, 'a.json'), join(root, 'again.json'));
      const report = await scanJson([root]);
      expect(topicVerdicts(report)).toEqual(EXPECTED);
      expect(report.summary.itemsRead).toBe(2);
    });

    it('reports a broken link by name and scans the rest', async () => {
      const root = join(dir, 'broken-link');
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'a.json'), snapshotOf(TOPICS));
      symlinkSync(join(dir, 'nowhere.json'), join(root, 'gone.json'));
      const r = await scan([root], { format: 'json', rules: 'topic-key-example' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/gone\.json: broken symbolic link/);
      expect(topicVerdicts(JSON.parse(r.stdout) as JsonReport)).toEqual(EXPECTED);
    });
  });
});
