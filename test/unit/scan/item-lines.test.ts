import { Readable } from 'node:stream';
import { ItemSplitter, type RawItem } from '../../../scan/inputs/item-splitter';
import { ItemTable, type LocatedItem } from '../../../scan/inputs/item-table';

/** Splits `text` with pass 1, then cuts it with pass 2 in chunks of `size` bytes, returning the located items. */
async function locate(text: string, size: number): Promise<LocatedItem[]> {
  const bytes = Buffer.from(text);
  const table = new ItemTable();
  const splitter = new ItemSplitter((item: RawItem) => table.add(item));
  splitter.push(bytes);
  splitter.end();
  const chunks: Buffer[] = [];
  for (let k = 0; k < bytes.length; k += size) chunks.push(bytes.subarray(k, k + size));
  const found: LocatedItem[] = [];
  await table.cut(
    Readable.from(chunks),
    () => true,
    (batch) => void found.push(...batch),
  );
  return found;
}

const item = (id: string) => `{"resourceType": "AWS::SNS::Topic", "resourceId": "${id}", "configuration": {"a": 1}}`;

describe('item lines', () => {
  const pretty = JSON.stringify(
    { fileVersion: '1.0', configurationItems: ['a', 'b', 'c'].map((id) => JSON.parse(item(id))) },
    null,
    2,
  );
  const starts = pretty
    .split('\n')
    .map((l, k) => (l === '    {' ? k + 1 : 0))
    .filter(Boolean);

  it.each([1, 3, 7, 64, 1 << 20])(
    'finds the line where each item starts, whatever the chunk size (%i bytes)',
    async (size) => {
      const found = await locate(pretty, size);
      expect(found.map((f) => f.line)).toEqual(starts);
    },
  );

  it('counts lines of JSON Lines, blank lines included, and of a file on one line', async () => {
    expect((await locate(`${item('a')}\n\n${item('b')}\n${item('c')}\n`, 5)).map((f) => f.line)).toEqual([1, 3, 4]);
    expect((await locate(`[${item('a')},${item('b')}]`, 4)).map((f) => f.line)).toEqual([1, 1]);
  });
});
