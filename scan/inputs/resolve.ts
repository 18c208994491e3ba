import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  rmSync,
  statSync,
} from 'node:fs';
import { readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { WardError } from '../../rules/runtime/errors';

/** A file `ward scan` cannot use: missing, unreadable, not JSON, not a snapshot. The message names the file. */
export class ScanInputError extends WardError {}

/** One file to scan. */
export interface ScanInput {
  /** Where to read it (a temp file for stdin). */
  readonly path: string;
  /** How to name it in messages and in the summary (`-` for stdin). */
  readonly label: string;
  /** Size on disk in bytes (compressed size for gzip). */
  readonly size: number;
  readonly gzip: boolean;
}

/** File names a directory contributes. */
const SCANNED = /\.(json|json\.gz|jsonl|jsonl\.gz|ndjson)$/i;

/** The bundled sample snapshot, relative to the package root (dist/scan/inputs or scan/inputs -> root). */
export function bundledSamplePath(): string {
  // __dirname is scan/inputs under ts-jest and dist/scan/inputs once built: find the root that has examples/.
  for (const up of ['../..', '../../..']) {
    const root = resolve(__dirname, up);
    try {
      statSync(join(root, 'package.json'));
      if (statSync(join(root, 'examples')).isDirectory()) return join(root, 'examples', 'config-snapshot.json');
    } catch {
      // not this level
    }
  }
  return resolve(__dirname, '../../examples/config-snapshot.json');
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function describeFile(path: string, label: string): ScanInput {
  try {
    return { path, label, size: statSync(path).size, gzip: isGzip(path) };
  } catch (err) {
    throw new ScanInputError(`${label}: cannot read the file (${(err as Error).message})`, { cause: err });
  }
}

/**
 * Lists the snapshot files under `dir`. Symbolic links are followed, each directory is entered once (by its real
 * path, so a link back up the tree is no loop), and each file is listed once. A link that leads nowhere, or an
 * entry that cannot be read, is a problem reported by name; the rest of the tree is still listed.
 */
function walk(dir: string, out: string[], seen: Set<string>, problems: { label: string; problem: string }[]): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (err) {
    problems.push({ label: dir, problem: `cannot read the directory (${(err as Error).message})` });
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    problems.push({ label: dir, problem: `cannot read the directory (${(err as Error).message})` });
    return;
  }
  for (const entry of entries) {
    const p = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(p);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch (err) {
        if (SCANNED.test(entry.name)) {
          problems.push({ label: p, problem: `broken symbolic link (${(err as Error).message})` });
        }
        continue;
      }
    }
    if (isDirectory) walk(p, out, seen, problems);
    else if (isFile && SCANNED.test(entry.name)) {
      const file = realpathSync(p);
      if (seen.has(file)) continue;
      seen.add(file);
      out.push(p);
    }
  }
}

/** Temporary files made for this scan (stdin spools); remove them with {@link ResolvedInputs.cleanup}. */
export interface ResolvedInputs {
  readonly inputs: ScanInput[];
  /** Paths given (or found) that could not be used, each named: they are not scanned, the others are. */
  readonly problems: readonly { readonly label: string; readonly problem: string }[];
  cleanup(): void;
}

/**
 * Turns the command-line inputs into files: files as given, directories recursively (*.json, *.json.gz,
 * *.jsonl), `-` spooled from stdin to a temp file (items come in any order, so the scan reads twice), and the
 * bundled sample when there is no input. A missing or unreadable path is returned in `problems`, by name, and
 * the other inputs are still resolved.
 */
export async function resolveInputs(args: readonly string[], stdin: Readable = process.stdin): Promise<ResolvedInputs> {
  const temps: string[] = [];
  const cleanup = () => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  };
  try {
    const inputs: ScanInput[] = [];
    const problems: { label: string; problem: string }[] = [];
    const seen = new Set<string>();
    const given = args.length > 0 ? args : [bundledSamplePath()];
    const add = (path: string, label: string) => {
      try {
        inputs.push(describeFile(path, label));
      } catch (err) {
        problems.push({ label, problem: (err as Error).message.replace(`${label}: `, '') });
      }
    };
    for (const arg of given) {
      if (arg === '-') {
        const dir = mkdtempSync(join(tmpdir(), 'ward-scan-'));
        temps.push(dir);
        const path = join(dir, 'stdin');
        await pipeline(stdin, createWriteStream(path));
        add(path, '-');
        continue;
      }
      let stat;
      try {
        stat = statSync(arg);
      } catch {
        const hint = args.length === 0 ? ' (the bundled sample is generated by `npm run build`)' : '';
        problems.push({ label: arg, problem: `no such file or directory${hint}` });
        continue;
      }
      if (stat.isDirectory()) {
        const files: string[] = [];
        walk(arg, files, seen, problems);
        if (files.length === 0) {
          problems.push({ label: arg, problem: 'the directory has no *.json, *.json.gz or *.jsonl files' });
        }
        for (const f of files) add(f, f);
      } else {
        add(arg, arg);
      }
    }
    return { inputs, problems, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** Opens an input for reading, gunzipping it when its first bytes say gzip. `onBytes` counts raw bytes read. */
export function openInput(input: ScanInput, onBytes?: (n: number) => void): Readable {
  const raw = createReadStream(input.path, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on('data', (c: Buffer | string) => onBytes(c.length));
  if (!input.gzip) return raw;
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}
