import { createProgress } from '../../../scan/progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('the progress bar', () => {
  it('draws nothing when stderr is not a TTY', () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const p = createProgress(stream, 'ward scan', 'bytes', () => now);
    now = 5000;
    p.update(50, 100);
    p.stop();
    expect(writes).toEqual([]);
  });

  it('waits a moment, then draws on one line and erases itself at the end', () => {
    const { writes, stream } = fakeStream(true);
    let now = 0;
    const p = createProgress(stream, 'ward scan', 'bytes', () => now);
    p.update(10e6, 100e6);
    expect(writes).toEqual([]);
    now = 1000;
    p.update(50e6, 100e6);
    expect(writes).toEqual([`\rward scan [${'#'.repeat(14)}${'-'.repeat(14)}] 50% 50 MB/100 MB\u001b[K`]);
    now = 1010;
    p.update(60e6, 100e6);
    expect(writes).toHaveLength(1);
    p.stop();
    expect(writes.at(-1)).toBe('\r\u001b[K');
  });
});
