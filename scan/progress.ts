/** Only show the bar when the work takes longer than this. */
const DELAY_MS = 400;
/** Redraw at most this often. */
const EVERY_MS = 100;
const WIDTH = 28;

/** A progress indicator; {@link createProgress} returns a no-op one when it should not draw. */
export interface Progress {
  update(done: number, total?: number, detail?: string): void;
  /** Erases the bar. */
  stop(): void;
}

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

/**
 * A one-line progress bar on `stream` (stderr), drawn only when it is a TTY and only once the work has taken
 * more than a moment, so quick scans and piped runs print nothing extra.
 */
export function createProgress(
  stream: NodeJS.WriteStream,
  label: string,
  unit: 'bytes' | 'tasks' = 'bytes',
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total, detail) {
      const t = now();
      if (t - start < DELAY_MS || t - last < EVERY_MS) return;
      last = t;
      drawn = true;
      const fmt = unit === 'bytes' ? mb : String;
      let line: string;
      if (total && total > 0) {
        const f = Math.min(1, done / total);
        const fill = Math.round(f * WIDTH);
        line = `${label} [${'#'.repeat(fill)}${'-'.repeat(WIDTH - fill)}] ${Math.floor(f * 100)}% ${fmt(done)}/${fmt(total)}`;
      } else {
        line = `${label} ${fmt(done)}`;
      }
      if (detail) line += ` (${detail})`;
      stream.write(`\r${line}\x1b[K`);
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
