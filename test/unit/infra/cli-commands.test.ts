import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseModeOption } from '../../../bin/commands/deploy';
import { registerInitCommand } from '../../../bin/commands/init';
import { registerPackCommand } from '../../../bin/commands/pack';
import { parseJsonc } from '../../../infra/config/jsonc';
import { parseWardConfig } from '../../../infra/config/load';
import { cdkArguments, toolkitEnvironment, toolkitPaths } from '../../../infra/cli/run-cdk';
import { rules } from '../../../rules';

function program(register: (p: Command) => void): Command {
  const p = new Command('ward').exitOverride();
  register(p);
  return p;
}

describe('ward init', () => {
  it('writes a valid commented configuration and refuses to overwrite it without --force', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ward-init-')), 'ward.config.json');
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program(registerInitCommand).parseAsync(['node', 'ward', 'init', '--file', file]);
      expect(parseWardConfig(parseJsonc(readFileSync(file, 'utf8')), rules).mode).toBe('rules');
      await expect(program(registerInitCommand).parseAsync(['node', 'ward', 'init', '--file', file])).rejects.toThrow(
        /exists: use --force/,
      );
      await program(registerInitCommand).parseAsync(['node', 'ward', 'init', '--file', file, '--force']);
    } finally {
      out.mockRestore();
    }
  });
});

describe('ward pack', () => {
  it('writes the packs, then --check passes; a hand edit makes --check fail naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-pack-'));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.exitCode = undefined;
      await program(registerPackCommand).parseAsync(['node', 'ward', 'pack', '--dir', dir]);
      expect(existsSync(join(dir, 'ward.yaml'))).toBe(true);
      await program(registerPackCommand).parseAsync(['node', 'ward', 'pack', '--dir', dir, '--check']);
      expect(process.exitCode).toBeUndefined();
      writeFileSync(join(dir, 'ward.yaml'), '# edited\n');
      await program(registerPackCommand).parseAsync(['node', 'ward', 'pack', '--dir', dir, '--check']);
      expect(process.exitCode).toBe(1);
      expect(err.mock.calls.join('')).toMatch(/ward\.yaml: different/);
    } finally {
      process.exitCode = undefined;
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('ward synth/diff/deploy', () => {
  it('run the aws-cdk toolkit from node_modules on the compiled app', () => {
    const { app, cdk } = toolkitPaths();
    expect(cdk).toMatch(/node_modules[\\/]aws-cdk[\\/]bin[\\/]cdk$/);
    expect(app).toMatch(/dist[\\/]infra[\\/]app\.js$/);
    expect(cdkArguments('deploy', app, ['--all'])).toEqual(['deploy', '--app', `${process.execPath} ${app}`, '--all']);
  });

  it.each([
    ['rules', 'rules'],
    ['pack', 'pack'],
    ['organization', 'organization'],
    [undefined, undefined],
  ])('accept --mode %s', (mode, expected) => {
    expect(parseModeOption(mode)).toBe(expected);
  });

  it('pass no configuration file to the app when there is none, so it uses the defaults (as documented)', () => {
    const env = toolkitEnvironment({ PATH: '/bin' }, undefined, undefined);
    expect(env).not.toHaveProperty('WARD_CONFIG');
    expect(env.CDK_DISABLE_VERSION_CHECK).toBe('true');
    expect(toolkitEnvironment({}, '/x/ward.config.json', 'pack')).toMatchObject({
      WARD_CONFIG: '/x/ward.config.json',
      WARD_MODE: 'pack',
    });
  });

  it('reject an unknown --mode, naming the accepted values', () => {
    expect(() => parseModeOption('everything')).toThrow('--mode everything: use rules, pack, organization');
  });
});

describe('the CDK app entry', () => {
  it('validates a --mode override like the file: organization mode without its settings fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-app-'));
    const file = join(dir, 'ward.config.json');
    writeFileSync(file, JSON.stringify({ account: '123456789012', regions: ['eu-west-1'] }));
    const { main } = jest.requireActual('../../../infra/app') as typeof import('../../../infra/app');
    expect(() => main({ WARD_CONFIG: file, WARD_MODE: 'organization' })).toThrow(
      /organization\.organizationId: required/,
    );
    expect(() => main({ WARD_CONFIG: file, WARD_MODE: 'sideways' })).toThrow(/mode/);
  });
});
