// Build: run the generators (scripts/generate-*.mjs: tables built from npm data at build time), then compile
// TypeScript to dist/. Runs on `npm ci` (prepare) so `npx ward` works on a fresh clone.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

for (const f of readdirSync(join(root, 'scripts'))
  .filter((n) => /^generate-.*\.mjs$/.test(n))
  .sort()) {
  run(process.execPath, [join(root, 'scripts', f)]);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
