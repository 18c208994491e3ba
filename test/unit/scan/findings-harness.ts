/*
 * Runs `ward scan` in-process with the real rule registry (or another), a working directory and a clock of the
 * test's choosing, capturing stdout, stderr and the exit code.
 */
import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import { rules } from '../../../rules';
import type { AnyRule } from '../../../rules/runtime/types';
import { runScan, type ScanOptions } from '../../../scan/run';
import { tempDir } from './scan-harness';

/** The bundled sample snapshot. */
export const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'config-snapshot.json');

/** What a scan printed and returned. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a scan; `cwd` defaults to a fresh empty directory (no suppressions file is picked up by accident). */
export async function runWard(
  inputs: readonly string[],
  options: ScanOptions = {},
  io: { cwd?: string; now?: Date; registry?: readonly AnyRule[]; env?: NodeJS.ProcessEnv } = {},
): Promise<Ran> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runScan(inputs, options, {
    stdin: Readable.from([Buffer.from('')]),
    stdout,
    stderr,
    env: io.env ?? {},
    registry: io.registry ?? rules,
    cwd: io.cwd ?? tempDir(),
    now: io.now ?? new Date('2026-12-05T12:00:00Z'),
  });
  return { code, stdout: out, stderr: err };
}

/** A JSON report's evaluations, typed loosely. */
export interface JsonEval {
  rule: string;
  resourceType: string;
  resourceId: string;
  compliance: string;
  accountId: string;
  region: string;
  arn: string | null;
  resourceName: string | null;
  severity: string | null;
  location: { file: string; line: number } | null;
  suppressed?: { reason: string; expires?: string; owner?: string };
  baseline?: string;
  findings: { code: string; severity: string; fingerprint: string; path: string | null; suppressed?: object }[];
}
