import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project root (infra/ is one level down, also when compiled to dist/infra). */
const ROOT = join(__dirname, __dirname.includes(`${join('dist', 'infra')}`) ? '../..' : '..');

/** The responder's bundle must stay under this many bytes (minified, AWS SDK excluded). */
export const MAX_RESPONDER_BUNDLE_BYTES = 400 * 1024;

/*
 * esbuild runs in a child process because plugins need its async API and CDK constructs are synchronous.
 * The plugin drops zod's 40 translated error-message locales (zod keeps English built in): they are half of
 * zod's size and the responder never shows zod messages to anyone but its own logs.
 */
const SCRIPT = `
const { build } = require(process.argv[1]);
const [entry, outfile] = process.argv.slice(2);
build({
  entryPoints: [entry], outfile, bundle: true, minify: true, sourcemap: false, platform: 'node', target: 'node22',
  format: 'cjs', external: ['@aws-sdk/*'], legalComments: 'none', logLevel: 'error',
  plugins: [{ name: 'zod-english-only', setup(b) {
    b.onResolve({ filter: /[\\\\/]locales[\\\\/]index\\.js$/ }, (a) =>
      /[\\\\/]zod[\\\\/]/.test(a.resolveDir) ? { path: 'zod-locales', namespace: 'ward-stub' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'ward-stub' }, () => ({ contents: 'export {}', loader: 'js' }));
  } }],
}).catch((e) => { console.error(e.message); process.exit(1); });
`;

const cache = new Map<string, string>();

/**
 * Bundles the responder Lambda (responder/handler.ts) with esbuild, locally (no Docker): minified CommonJS
 * for Node.js 22, with the AWS SDK v3 left to the Lambda runtime. Returns the directory holding `index.js`.
 * Bundled once per process.
 */
export function bundleResponder(entry = join(ROOT, 'responder', 'handler.ts')): string {
  const hit = cache.get(entry);
  if (hit) return hit;
  const outDir = mkdtempSync(join(tmpdir(), 'ward-responder-'));
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    process.execPath,
    ['-e', SCRIPT, require.resolve('esbuild', { paths: [ROOT] }), entry, join(outDir, 'index.js')],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  cache.set(entry, outDir);
  return outDir;
}

/** Size in bytes of the bundled responder. */
export function responderBundleSize(dir = bundleResponder()): number {
  return statSync(join(dir, 'index.js')).size;
}
