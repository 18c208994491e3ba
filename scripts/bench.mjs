#!/usr/bin/env node
// Runs one TypeScript benchmark of bench/: bundles it with esbuild into node_modules/.cache/ward-bench/ and runs it.
// Usage: node scripts/bench.mjs bench/policy/corpus.bench.ts [args...]   (npm run bench -- bench/...)
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bench.mjs bench/<name>.bench.ts [args...]');
  process.exit(2);
}
const outfile = join('node_modules', '.cache', 'ward-bench', `${basename(entry, '.ts')}.js`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: ['esbuild'],
  outfile,
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
