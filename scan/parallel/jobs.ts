import { availableParallelism, cpus } from 'node:os';

/**
 * Inputs smaller than this (bytes, decompressed estimate) are judged in the scan's own thread whatever the
 * core count: a worker costs about 2 s of CPU more in all (loading and compiling the rules, rebuilding the
 * index, its own JIT warm-up and garbage collector: bench/README.md), which only a scan of a few seconds of
 * judging (about 50k items) wins back on a second core.
 */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/** Most workers `--jobs` accepts: beyond the core count they only compete for the same cores. */
export const MAX_JOBS = 64;

/** gzip inputs are about this many times larger once decompressed (Config snapshots: 8-12x). */
const GZIP_RATIO = 8;

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
