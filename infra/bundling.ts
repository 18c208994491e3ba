import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WardError } from '../rules/runtime/errors';
import { projectRoot } from './paths';

/** Every ward Lambda bundle must stay under this many bytes (minified; the AWS SDK is the runtime's). */
export const MAX_BUNDLE_BYTES = 400 * 1024;

/** A Lambda entry could not be bundled. */
export class BundlingError extends WardError {}

/*
 * esbuild runs in a child process: its plugin API is asynchronous and CDK constructs are synchronous. The
 * plugin drops zod's translated error-message locales but English (rules/runtime/zod-mini.ts registers it).
 * The AWS SDK v3 is left to the Node.js 22 Lambda runtime, which ships it: that keeps bundles small and cold
 * starts short. SDK clients are imported where they are used (`await import(...)`), and esbuild turns those into
 * `require` calls: a real dynamic import would go through Node's ESM resolver, which ignores NODE_PATH and so
 * cannot find the runtime's SDK. keepNames keeps class and function names for stack traces and error names
 * (responder bundle: +11.6 KB, +1.3 ms of its own init, median of 25).
 */
const SCRIPT = `
const { build } = require(process.argv[1]);
const path = require('node:path');
const pairs = JSON.parse(process.argv[2]);
Promise.all(pairs.map(([entry, outfile]) => build({
  entryPoints: [entry], outfile, bundle: true, minify: true, sourcemap: false, platform: 'node', target: 'node22',
  format: 'cjs', external: ['@aws-sdk/*'], legalComments: 'none', logLevel: 'error', metafile: false,
  supported: { 'dynamic-import': false }, keepNames: true,
  plugins: [{ name: 'zod-english-only', setup(b) {
    b.onResolve({ filter: /[\\\\/]locales[\\\\/]index\\.js$/ }, (a) => /[\\\\/]zod[\\\\/]/.test(a.resolveDir)
      ? { path: path.resolve(a.resolveDir, a.path), namespace: 'ward-stub' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'ward-stub' }, (a) =>
      ({ contents: "export { default as en } from './en.js';", resolveDir: path.dirname(a.path), loader: 'js' }));
  } }],
}))).catch((e) => { console.error(e.message); process.exit(1); });
`;

const cache = new Map<string, string>();

/** The Lambda entry of a rule: rules/<id>/handler.ts. */
export function ruleHandlerEntry(ruleId: string, root: string = projectRoot()): string {
  return join(root, 'rules', ruleId, 'handler.ts');
}

/**
 * Bundles Lambda entries with esbuild, locally (no Docker): minified CommonJS for Node.js 22. Returns, per
 * entry, the directory holding `index.js`. Each entry is bundled once per process; entries not yet bundled
 * are built together in one esbuild process.
 * @throws BundlingError naming the entries when esbuild fails or an entry does not exist.
 */
export function bundleLambdas(entries: readonly string[]): Map<string, string> {
  const missing = entries.filter((e) => !existsSync(e));
  if (missing.length > 0) throw new BundlingError(`Lambda entry not found: ${missing.join(', ')}`);
  const todo = [...new Set(entries.filter((e) => !cache.has(e)))];
  if (todo.length > 0) {
    const pairs = todo.map((entry) => [entry, join(mkdtempSync(join(tmpdir(), 'ward-lambda-')), 'index.js')]);
    const root = projectRoot();
    try {
      execFileSync(
        process.execPath,
        ['-e', SCRIPT, require.resolve('esbuild', { paths: [root] }), JSON.stringify(pairs)],
        {
          cwd: root,
          stdio: ['ignore', 'inherit', 'pipe'],
        },
      );
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new BundlingError(`esbuild failed for ${todo.join(', ')}${stderr ? `: ${stderr}` : ''}`, { cause: err });
    }
    for (const [entry, outfile] of pairs) cache.set(entry, join(outfile, '..'));
  }
  return new Map(entries.map((e) => [e, cache.get(e) as string]));
}

/** Bundles one entry; see {@link bundleLambdas}. */
export function bundleLambda(entry: string): string {
  return bundleLambdas([entry]).get(entry) as string;
}

/** Size in bytes of a bundle directory's index.js. */
export function bundleSize(dir: string): number {
  return statSync(join(dir, 'index.js')).size;
}
