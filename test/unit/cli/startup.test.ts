import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'bin', 'cli.js');

describe('the command line at start-up (spawns node on dist/; needs `npm run build`)', () => {
  it('builds every command without loading the rules, the responder, the CDK app, zod or the AWS SDK', () => {
    // What each command needs is loaded when it runs: `ward --version` and `ward scan` on the sample start fast.
    const probe = `
      const { buildProgram } = require(${JSON.stringify(CLI)});
      const names = buildProgram().commands.map((c) => c.name());
      const loaded = Object.keys(require.cache).filter((k) =>
        /node_modules\\/(zod|@aws-sdk|aws-cdk-lib|pino)\\/|dist\\/(responder|infra|rules)\\//.test(k));
      process.stdout.write(JSON.stringify({ names, loaded }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const { names, loaded } = JSON.parse(r.stdout) as { names: string[]; loaded: string[] };
    expect(names).toEqual(expect.arrayContaining(['scan', 'respond', 'rollback', 'deploy', 'pack', 'rules']));
    // Two modules of plain constants and functions are read at start-up: the audit step names, the deploy modes.
    const light = /dist\/(responder\/audit-steps|infra\/config\/deploy-mode)\.js$/;
    expect(loaded.filter((k) => !light.test(k))).toEqual([]);
  });
});
