/*
 * CDK users in TypeScript import `ward/cdk` and get its types: package.json `exports` (and `typesVersions` for
 * the older `node` resolution) point at the declarations the build writes beside dist/cdk/index.js. A consumer
 * project is compiled against the package as npm would install it (a link in node_modules), with the example
 * from docs/shift-left.md; a wrong option must be a type error, so the types are real and not `any`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../infra/paths';

const root = projectRoot();
const CONSUMER = `
import { App, Stack, Validations } from 'aws-cdk-lib';
import { WardChecks, type WardChecksProps } from 'ward/cdk';

const app = new App();
new Stack(app, 'Example');
const props: WardChecksProps = { parameters: { 'encrypted-at-rest': { exemptResourceIds: ['Scratch'] } } };
Validations.of(app).addPlugins(new WardChecks(app, props));
// @ts-expect-error parameters map rule ids to their parameters
const wrong: WardChecksProps = { parameters: 'all' };
export { wrong };
`;

function compile(resolution: 'node16' | 'node10'): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ward-cdk-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'ward'), 'dir');
    for (const dep of ['aws-cdk-lib', 'constructs', 'cdk-nag']) {
      symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
    }
    writeFileSync(join(dir, 'app.ts'), CONSUMER);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      target: 'ES2022',
      lib: ['ES2023'],
      ...(resolution === 'node16'
        ? { module: 'node16', moduleResolution: 'node16' }
        : { module: 'commonjs', moduleResolution: 'node10' }),
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }));
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the types of ward/cdk', () => {
  it('are built beside the JavaScript (run `npm run build` first)', () => {
    expect(existsSync(join(root, 'dist', 'cdk', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(root, 'dist', 'cdk', 'ward-checks.d.ts'))).toBe(true);
  });

  it.each(['node16', 'node10'] as const)(
    'type-check a consumer app with %s module resolution, and reject a wrong option',
    (resolution) => {
      const r = compile(resolution);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    },
  );
});
