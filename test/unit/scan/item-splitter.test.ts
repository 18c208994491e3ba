import { type InputLayout, ItemSplitter, type RawItem, SplitError } from '../../../scan/inputs/item-splitter';
import { ItemTable } from '../../../scan/inputs/item-table';
import { Readable } from 'node:stream';

/** Splits `text` fed in chunks of `size` bytes; returns the layout and the parsed items. */
function split(text: string | Buffer, size: number): { layout: InputLayout; items: RawItem[] } {
  const items: RawItem[] = [];
  const splitter = new ItemSplitter((item) => items.push({ ...item, bytes: Buffer.from(item.bytes) }));
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size));
  splitter.end();
  return { layout: splitter.layout, items };
}

const parsed = (r: { items: RawItem[] }) => r.items.map((i) => JSON.parse(i.bytes.toString('utf8')));

const TRICKY = Object.freeze([
  { resourceType: 'AWS::S3::Bucket', resourceId: 'a', note: 'braces } { and brackets ] [ inside a string' },
  { resourceType: 'AWS::SNS::Topic', resourceId: 'b', policy: '{"Statement":[{"Effect":"Allow"}]}' },
  { resourceType: 'AWS::SQS::Queue', resourceId: 'c', esc: 'a quote \\" after a backslash, and \\\\ two' },
  { resourceType: 'AWS::IAM::Role', resourceId: 'd', trailing: 'ends with a backslash \\', unicode: 'é€😀 ✓' },
  { resourceType: 'AWS::KMS::Key', resourceId: 'e', nested: { a: [1, [2, { b: '}' }]], c: null, d: true } },
]);

const CHUNK_SIZES = [1, 2, 3, 5, 7, 13, 64, 1 << 16];

describe('ItemSplitter', () => {
  describe.each(CHUNK_SIZES)('with %i-byte chunks', (size) => {
    it('cuts every item of a Config snapshot, whatever a string holds', () => {
      const text = JSON.stringify({ fileVersion: '1.0', configSnapshotId: 'x', configurationItems: TRICKY }, null, 2);
      const r = split(text, size);
      expect(r.layout).toBe('snapshot');
      expect(parsed(r)).toEqual(TRICKY);
    });

    it('cuts a compact top-level array of items', () => {
      const r = split(JSON.stringify(TRICKY), size);
      expect(r.layout).toBe('array');
      expect(parsed(r)).toEqual(TRICKY);
    });

    it('cuts JSON Lines, with blank lines and CRLF between items', () => {
      const text = TRICKY.map((i) => JSON.stringify(i)).join('\r\n\n') + '\n';
      const r = split(text, size);
      expect(r.layout).toBe('lines');
      expect(parsed(r)).toEqual(TRICKY);
    });

    it('reads each item resourceType from the bytes, ignoring nested ones', () => {
      const items = [
        { relationships: [{ resourceType: 'AWS::EC2::Instance' }], resourceType: 'AWS::EC2::Volume', resourceId: 'v' },
        { configuration: { resourceType: 'nested' }, resourceId: 'x' },
        { resourceType: 7, resourceId: 'y' },
        { resourceId: 'z', resourceType: 'AWS::KMS::Key' },
      ];
      const r = split(JSON.stringify({ configurationItems: items }), size);
      expect(r.items.map((i) => i.resourceType)).toEqual(['AWS::EC2::Volume', undefined, undefined, 'AWS::KMS::Key']);
    });

    it('records where each item starts so a second pass can cut it again', () => {
      const text = JSON.stringify({ configurationItems: TRICKY }, null, 1);
      const bytes = Buffer.from(text);
      const r = split(bytes, size);
      for (const item of r.items) {
        expect(bytes.subarray(item.start, item.start + item.bytes.length).equals(item.bytes)).toBe(true);
      }
    });
  });

  it('finds the items array after other keys (batch-get-resource-config output)', () => {
    const text = JSON.stringify({ unprocessedResourceKeys: [{ a: '[' }], baseConfigurationItems: TRICKY });
    const r = split(text, 4);
    expect(r.layout).toBe('snapshot');
    expect(parsed(r)).toEqual(TRICKY);
  });

  it('takes a single item object as one item', () => {
    const r = split(JSON.stringify(TRICKY[0]), 3);
    expect(r.layout).toBe('lines');
    expect(parsed(r)).toEqual([TRICKY[0]]);
  });

  it('reports a scalar where an item belongs as a non-object, and goes on', () => {
    const r = split('[{"resourceType":"A","resourceId":"1"}, 3, "x,y", {"resourceType":"B","resourceId":"2"}]', 1);
    expect(r.items.map((i) => i.object)).toEqual([true, false, false, true]);
    expect(r.items.map((i) => i.index)).toEqual([0, 1, 2, 3]);
  });

  it.each([1, 2, 3, 64])('skips a UTF-8 byte-order mark, even split across chunks of %d bytes', (size) => {
    const text = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ configurationItems: TRICKY })),
    ]);
    const r = split(text, size);
    expect(r.layout).toBe('snapshot');
    expect(parsed(r)).toEqual(TRICKY);
  });

  it.each([1, 5, 64])(
    'reports JSON Lines rows that are not objects with their lines, in chunks of %d bytes',
    (size) => {
      const text = `{"a":1}\n42\n"x {"\n\n[{"b":2}]\n{"c":\n3}\nnull\n{"d":4}`;
      const r = split(text, size);
      expect(r.layout).toBe('lines');
      expect(r.items.map((i) => [i.line, i.object])).toEqual([
        [1, true],
        [2, false],
        [3, false],
        [5, false],
        [6, true],
        [8, false],
        [9, true],
      ]);
      expect(parsed({ items: r.items.filter((i) => i.object) })).toEqual([{ a: 1 }, { c: 3 }, { d: 4 }]);
    },
  );

  it('still rejects text in which no row is an object (not JSON Lines at all)', () => {
    expect(() => split('resourceType,resourceId\nAWS::S3::Bucket,b\n', 64)).toThrow(
      "expected a JSON object or array, found 'r'",
    );
  });

  it.each([1, 3, 64])('reads keys and types written with JSON escapes, in chunks of %d bytes', (size) => {
    const text = '{"configuration\\u0049tems": [{"resource\\u0054ype": "AWS::S3::\\u0042ucket", "resourceId": "b"}]}';
    const r = split(text, size);
    expect(r.layout).toBe('snapshot');
    expect(r.items.map((i) => i.resourceType)).toEqual(['AWS::S3::Bucket']);
  });

  it('accepts an empty snapshot', () => {
    expect(split('{"configurationItems": []}', 2).items).toEqual([]);
  });

  it.each([
    ['a truncated file', '{"configurationItems":[{"resourceType":"A"', /ends inside a JSON value/],
    ['a bare string', '"hello"', /expected a JSON object or array/],
    ['a closing bracket first', ']', /unexpected/],
    ['an empty file', '   \n', /empty/],
    ['text that is not JSON', 'resourceType,resourceId\nA,1\n', /expected a JSON object or array/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => split(text, 3)).toThrow(SplitError);
    expect(() => split(text, 3)).toThrow(message);
  });
});

describe('ItemTable', () => {
  it('cuts the wanted items again at their recorded offsets, across chunk boundaries', async () => {
    const text = Buffer.from(JSON.stringify({ configurationItems: TRICKY }));
    const table = new ItemTable();
    const splitter = new ItemSplitter((item) => table.add(item));
    splitter.push(text);
    splitter.end();
    const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.subarray(i * 7, i * 7 + 7));
    const got: { index: number; value: unknown }[] = [];
    await table.cut(
      Readable.from(chunks),
      (type) => type === 'AWS::SNS::Topic' || type === 'AWS::KMS::Key',
      (batch) => {
        for (const item of batch) got.push({ index: item.index, value: JSON.parse(item.bytes.toString('utf8')) });
      },
    );
    expect(got).toEqual([
      { index: 1, value: TRICKY[1] },
      { index: 4, value: TRICKY[4] },
    ]);
    expect(table.types).toEqual(TRICKY.map((i) => i.resourceType));
  });
});
