/**
 * A large offline scan runs in a Node process started with a heap limit fitted to its input.
 *
 * Why: V8 lets an isolate's heap grow to two to four times its live data before it collects the old
 * generation, and how far depends on the heap limit: with Node's default limit (a quarter of the machine's
 * memory, up to 4 GB) it takes the largest factor, with a limit of 1-2 GB a factor of about 1.5. A scan's live
 * heap is small and bounded (the snapshot index, the report: about 7% of the input at a million items), so most
 * of its peak memory was that headroom. Measured on the project's 2-core machine at 1M items (bench/README.md):
 * peak RSS with `--jobs 1` 356 -> 269 MB and with two cores 667 -> 463 MB, for 4-6% more time. The limit can only
 * be set when the process starts (V8 sizes the heap once), so the CLI starts the scan again in a child process
 * with `--max-old-space-size`; the flag reaches the judge workers too.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { describeError } from '../rules/runtime/errors';
import { ExitCode } from './exit-codes';
import { GZIP_RATIO } from './parallel/jobs';

/**
 * Inputs smaller than this (bytes, decompressed estimate) are scanned in the process as started: at 100k items
 * (140 MB) the peak is about 240 MB, and starting again would cost a tenth of a second and the limit 5% more time
 * for memory that does not matter at that size. From about 180k items, where judge workers start too.
 */
export const HEAP_LIMIT_FROM_BYTES = 256 * 1024 * 1024;

/** The smallest limit set (MB): far above the live heap of a scan of that size, and V8's factor is still small. */
export const MIN_HEAP_LIMIT_MB = 1024;

/**
 * Input bytes per MB of limit: the limit is half the (decompressed) input, about seven times the live heap
 * measured per input byte, so that a snapshot of unusual shape (mostly KMS keys or IAM items, which the index
 * keeps) still fits. Past about 8 GB of input this is above Node's default limit, which it then raises.
 */
const BYTES_PER_LIMIT_MB = 2 * 1024 * 1024;

/** `--max-old-space-size` (or its underscore spelling) given by the user, in the node flags or NODE_OPTIONS. */
const USER_LIMIT = /--max[-_]old[-_]space[-_]size/;

/** An input named on the command line, as far as its size goes. */
export interface SizedInput {
  readonly size: number;
  readonly gzip: boolean;
}

/**
 * The sizes of the files named on the command line, without reading them: a directory, stdin (`-`) or a path
 * that does not exist adds nothing (the scan reports a missing path itself). gzip is told by the name here; a
 * compressed file by another name only makes the estimate low, so the scan runs with Node's own limit.
 */
export function namedInputSizes(args: readonly string[]): SizedInput[] {
  const sizes: SizedInput[] = [];
  for (const arg of args) {
    if (arg === '-') continue;
    try {
      const stat = statSync(arg);
      if (stat.isFile()) sizes.push({ size: stat.size, gzip: /\.gz$/i.test(arg) });
    } catch {
      // Not there: the scan says so, by name.
    }
  }
  return sizes;
}

/**
 * The heap limit (MB) to start a scan of these inputs with, or undefined to scan in this process: the inputs are
 * small, or the user set a limit (node flags or NODE_OPTIONS), which is theirs to keep.
 */
export function heapLimitFor(
  inputs: readonly SizedInput[],
  nodeFlags: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): number | undefined {
  if (nodeFlags.some((f) => USER_LIMIT.test(f)) || USER_LIMIT.test(nodeOptions ?? '')) return undefined;
  const bytes = inputs.reduce((n, i) => n + i.size * (i.gzip ? GZIP_RATIO : 1), 0);
  if (bytes < HEAP_LIMIT_FROM_BYTES) return undefined;
  return Math.max(MIN_HEAP_LIMIT_MB, Math.ceil(bytes / BYTES_PER_LIMIT_MB));
}

/** Where {@link runWithHeapLimit} starts the command again, and where it says what went wrong. */
export interface Relaunch {
  /** This process's argv: node, the script, its arguments. */
  readonly argv: readonly string[];
  /** This process's node flags, kept for the child. */
  readonly execArgv: readonly string[];
  readonly stderr: { write(text: string): unknown };
}

/**
 * Runs this command again in a child process with `--max-old-space-size=<limitMb>`, sharing stdin, stdout and
 * stderr, and returns its exit code. Ctrl-C reaches both processes (the terminal signals the process group):
 * this one waits for the child to stop; SIGTERM and SIGHUP sent to this process alone are passed on.
 */
export function runWithHeapLimit(
  limitMb: number,
  relaunch: Relaunch = { argv: process.argv, execArgv: process.execArgv, stderr: process.stderr },
): Promise<number> {
  const child = spawn(
    process.execPath,
    [...relaunch.execArgv, `--max-old-space-size=${limitMb}`, ...relaunch.argv.slice(1)],
    { stdio: 'inherit' },
  );
  const wait = () => undefined;
  const pass = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', wait);
  process.on('SIGTERM', pass);
  process.on('SIGHUP', pass);
  const done = () => {
    process.off('SIGINT', wait);
    process.off('SIGTERM', pass);
    process.off('SIGHUP', pass);
  };
  return new Promise((resolve) => {
    child.once('error', (err) => {
      done();
      relaunch.stderr.write(`ward scan: cannot start the scan's process (${describeError(err)})\n`);
      resolve(ExitCode.INCOMPLETE);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(relaunchExitCode(code, signal, limitMb, relaunch.stderr));
    });
  });
}

/**
 * The exit code of a scan run with a heap limit: the child's own, or, when it was killed by a signal, 2 (the
 * scan did not finish) with one line saying why. V8 aborts (SIGABRT) when the heap reaches its limit.
 */
export function relaunchExitCode(
  code: number | null,
  signal: NodeJS.Signals | null,
  limitMb: number,
  stderr: { write(text: string): unknown },
): number {
  if (code !== null) return code;
  if (signal === 'SIGABRT') {
    stderr.write(
      `ward scan: the scan aborted (SIGABRT), most likely out of memory under its heap limit of ${limitMb} MB; ` +
        'set another with NODE_OPTIONS=--max-old-space-size=<MB>\n',
    );
  } else {
    stderr.write(`ward scan: the scan was stopped by ${signal ?? 'an unknown cause'} before it finished\n`);
  }
  return ExitCode.INCOMPLETE;
}

/** This process's V8 heap limit (MB, old and young generations): what `--verbose` says a scan runs with. */
export function currentHeapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / (1024 * 1024));
}
