import { availableParallelism, cpus } from 'node:os';

/**
 * Inputs smaller than this (bytes, decompressed estimate) are judged in the scan's own thread whatever the
 * core count. A worker costs a fixed 2-3 s of CPU (loading and compiling the rules, rebuilding the index, its
 * own JIT warm-up and garbage collector) and its own heap, and each of two busy threads runs slower than one
 * alone. Measured on the project's 2-core machine with every change-triggered rule (bench/README.md): at 100k
 * items (140 MB) a worker saved no measurable wall time for 25-40% more CPU and 50% more peak memory; at 300k
 * items (421 MB) 27% for 15% more CPU. So workers start at about 180k items.
 */
export const PARALLEL_MIN_BYTES = 256 * 1024 * 1024;

/** Most workers `--jobs` accepts: beyond the core count they only compete for the same cores. */
export const MAX_JOBS = 64;

/** gzip inputs are about this many times larger once decompressed (Config snapshots: 8-12x). */
export const GZIP_RATIO = 8;

/** The number of cores Node may use. */
export function coreCount(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/**
 * Reads `--jobs`: a whole number from 1 to {@link MAX_JOBS}, or `auto`/absent (undefined: decided by
 * {@link jobsFor}). Returns an error message for anything else.
 */
export function parseJobs(
  value: string | number | undefined,
): { ok: true; jobs?: number } | { ok: false; message: string } {
  if (value === undefined || value === 'auto') return { ok: true };
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) {
    return { ok: false, message: `--jobs ${value}: expected a whole number from 1 to ${MAX_JOBS}, or auto` };
  }
  return { ok: true, jobs: n };
}

/**
 * The judge workers a snapshot scan uses: `asked` when given (1 = judge in the scan's own thread); by default
 * one per core, and none for small inputs.
 */
export function jobsFor(asked: number | undefined, inputs: readonly { size: number; gzip: boolean }[]): number {
  if (asked !== undefined) return asked;
  const bytes = inputs.reduce((n, i) => n + i.size * (i.gzip ? GZIP_RATIO : 1), 0);
  return bytes < PARALLEL_MIN_BYTES ? 1 : coreCount();
}
