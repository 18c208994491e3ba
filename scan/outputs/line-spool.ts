import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

/** Bytes buffered before a write to the spool file. */
const FLUSH_AT = 1 << 20;

/**
 * Text lines spooled to a temporary file as evaluations come, then copied to the output at the end: a large
 * scan stays small in memory, and a scan that fails leaves no half-written report.
 */
export class LineSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ward-scan-lines-'));
  private readonly path = join(this.dir, 'lines');
  private readonly fd = openSync(this.path, 'w');
  private chunks: string[] = [];
  private size = 0;
  /** Lines spooled so far. */
  count = 0;

  /** Spools one line (the newline is added). */
  add(line: string): void {
    this.chunks.push(line, '\n');
    this.size += line.length + 1;
    this.count++;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.chunks.length > 0) writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  /** Copies the lines to `out` (after `head`, before `tail`) and removes the spool. */
  async finish(out: Writable, head = '', tail = ''): Promise<void> {
    this.flush();
    closeSync(this.fd);
    try {
      if (head && !out.write(head)) await new Promise((r) => out.once('drain', r));
      for await (const chunk of createReadStream(this.path, { highWaterMark: 1 << 20 })) {
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
      if (tail && !out.write(tail)) await new Promise((r) => out.once('drain', r));
    } finally {
      this.dispose();
    }
  }

  /** Removes the spool without writing. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
