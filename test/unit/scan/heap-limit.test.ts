import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HEAP_LIMIT_FROM_BYTES,
  heapLimitFor,
  MIN_HEAP_LIMIT_MB,
  namedInputSizes,
  relaunchExitCode,
} from '../../../scan/heap-limit';

const ROOT = join(__dirname, '..', '..', '..');
const WARD = join(ROOT, 'bin', 'ward');
const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'ward-heap-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the heap limit of a large scan', () => {
  it('scans small inputs in the process as started', () => {
    expect(heapLimitFor([{ size: 140 * MB, gzip: false }], [], undefined)).toBeUndefined();
    expect(heapLimitFor([], [], undefined)).toBeUndefined();
  });

  it('starts a snapshot of 300 MB with the smallest limit, far above its live heap', () => {
    expect(heapLimitFor([{ size: 300 * MB, gzip: false }], [], undefined)).toBe(MIN_HEAP_LIMIT_MB);
  });

  it('fits the limit to half the input past 2 GB, raising Node’s own for the largest', () => {
    expect(heapLimitFor([{ size: 4096 * MB, gzip: false }], [], undefined)).toBe(2048);
    expect(
      heapLimitFor(
        [
          { size: 6000 * MB, gzip: false },
          { size: 6000 * MB, gzip: false },
        ],
        [],
        undefined,
      ),
    ).toBe(6000);
  });

  it('counts the inputs together, a gzip file at eight times its size', () => {
    const half = { size: HEAP_LIMIT_FROM_BYTES / 2, gzip: false };
    expect(heapLimitFor([half], [], undefined)).toBeUndefined();
    expect(heapLimitFor([half, half], [], undefined)).toBe(MIN_HEAP_LIMIT_MB);
    expect(heapLimitFor([{ size: 40 * MB, gzip: true }], [], undefined)).toBe(MIN_HEAP_LIMIT_MB);
  });

  it('keeps a limit the user set, in the node flags or in NODE_OPTIONS', () => {
    const big = [{ size: 2048 * MB, gzip: false }];
    expect(heapLimitFor(big, ['--max-old-space-size=3000'], undefined)).toBeUndefined();
    expect(heapLimitFor(big, ['--max_old_space_size=3000'], undefined)).toBeUndefined();
    expect(heapLimitFor(big, [], '--enable-source-maps --max-old-space-size=600')).toBeUndefined();
    expect(heapLimitFor(big, ['--enable-source-maps'], '--enable-source-maps')).toBe(MIN_HEAP_LIMIT_MB);
  });

  it('sizes the files named, not directories, stdin or paths that are not there', () => {
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, 'x'.repeat(1000));
    const gz = join(dir, 'snapshot.json.gz');
    writeFileSync(gz, 'y'.repeat(10));
    mkdirSync(join(dir, 'tree'), { recursive: true });
    expect(namedInputSizes([file, gz, join(dir, 'tree'), '-', join(dir, 'missing.json')])).toEqual([
      { size: 1000, gzip: false },
      { size: 10, gzip: true },
    ]);
  });
});

describe('the exit code of a scan started again with a heap limit', () => {
  const lines = () => {
    const out: string[] = [];
    return { out, stderr: { write: (t: string) => out.push(t) } };
  };

  it("passes the scan's own exit code on, saying nothing", () => {
    for (const code of [0, 1, 2]) {
      const { out, stderr } = lines();
      expect(relaunchExitCode(code, null, 1024, stderr)).toBe(code);
      expect(out).toEqual([]);
    }
  });

  it('turns an abort (V8 out of memory) into work not done, naming the limit and how to set another', () => {
    const { out, stderr } = lines();
    expect(relaunchExitCode(null, 'SIGABRT', 1536, stderr)).toBe(2);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^ward scan: .*heap limit of 1536 MB.*NODE_OPTIONS=--max-old-space-size=<MB>\n$/);
  });

  it('turns any other signal into work not done, on one line', () => {
    const { out, stderr } = lines();
    expect(relaunchExitCode(null, 'SIGTERM', 1024, stderr)).toBe(2);
    expect(out).toEqual(['ward scan: the scan was stopped by SIGTERM before it finished\n']);
  });
});

describe('ward scan on a large input (spawns bin/ward; needs `npm run build`)', () => {
  // The bundled sample padded with spaces past the size from which a scan starts again with a limit: the same
  // items, the same lines, a file large enough.
  const padded = join(dir, 'large.json');
  beforeAll(() => {
    const text = readFileSync(join(ROOT, 'examples', 'config-snapshot.json'), 'utf8');
    const end = text.lastIndexOf('}');
    const fd = openSync(padded, 'w');
    writeSync(fd, text.slice(0, end));
    writeSync(fd, Buffer.alloc(HEAP_LIMIT_FROM_BYTES + MB, 0x20));
    writeSync(fd, text.slice(end));
    closeSync(fd);
  });

  const ward = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [WARD, 'scan', padded, '--no-config', ...args], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      maxBuffer: 1 << 26,
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('runs the scan in a process with the limit and reports exactly what a scan in one process reports', () => {
    const limited = ward(['--format', 'json', '--verbose']);
    expect(limited.stderr).toContain(`ward scan: starting the scan with a heap limit of ${MIN_HEAP_LIMIT_MB} MB\n`);
    // The child says the limit it runs with: V8's old generation at the limit, and its young generation.
    const heap = Number(/V8 heap limit (\d+) MB/.exec(limited.stderr)?.[1]);
    expect(heap).toBeGreaterThanOrEqual(MIN_HEAP_LIMIT_MB);
    expect(heap).toBeLessThan(MIN_HEAP_LIMIT_MB + 200);

    const own = ward(['--format', 'json', '--verbose'], { NODE_OPTIONS: '--max-old-space-size=3000' });
    expect(own.stderr).not.toContain('starting the scan');
    expect(Number(/V8 heap limit (\d+) MB/.exec(own.stderr)?.[1])).toBeGreaterThanOrEqual(3000);

    expect(limited.code).toBe(0);
    expect(own.code).toBe(0);
    const summary = (out: string) => (JSON.parse(out) as { summary: { itemsRead: number } }).summary;
    expect(summary(limited.stdout).itemsRead).toBeGreaterThan(50);
    expect(limited.stdout).toBe(own.stdout);
  });

  it("exits with the scan's own code: 1 for findings at --fail-on", () => {
    const r = ward(['--fail-on', 'high', '-q']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('non-compliant');
  });
});
