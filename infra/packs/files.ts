import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyRule } from '../../rules/runtime/types';
import { projectRoot } from '../paths';
import { generatePacks, renderPackYaml } from './generate';

/** Where the committed packs live. */
export function packDirectory(root: string = projectRoot()): string {
  return join(root, 'conformance-packs');
}

/** File name -> YAML of every pack the registry generates, with rule defaults (what is committed). */
export function expectedPackFiles(registry: readonly AnyRule[]): Map<string, string> {
  return new Map(generatePacks(registry).map((p) => [`${p.name}.yaml`, renderPackYaml(p)]));
}

/** One difference between the committed packs and the registry. */
export interface PackDrift {
  readonly file: string;
  readonly problem: 'missing' | 'different' | 'not generated';
}

/** Compares the committed packs with what the registry generates; empty when they are in step. */
export function packDrift(registry: readonly AnyRule[], dir: string = packDirectory()): PackDrift[] {
  const expected = expectedPackFiles(registry);
  const drift: PackDrift[] = [];
  for (const [file, text] of expected) {
    const path = join(dir, file);
    if (!existsSync(path)) drift.push({ file, problem: 'missing' });
    else if (readFileSync(path, 'utf8') !== text) drift.push({ file, problem: 'different' });
  }
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  for (const file of present) if (!expected.has(file)) drift.push({ file, problem: 'not generated' });
  return drift;
}
