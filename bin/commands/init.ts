import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE } from '../../infra/config/deploy-mode';

/** `ward init [--file F] [--force]`: writes a commented starting ward.config.json listing every rule. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('Write a commented starting ward.config.json (every rule with its parameters and defaults)')
    .option('--file <file>', 'where to write it', CONFIG_FILE)
    .option('--force', 'overwrite an existing file')
    .action(async (opts: { file: string; force?: boolean }) => {
      const file = resolve(opts.file);
      if (existsSync(file) && !opts.force) throw new Error(`${file} exists: use --force to overwrite it`);
      const { renderInitFile } = await import('../../infra/config/init-template');
      const { rules } = await import('../../rules');
      writeFileSync(file, renderInitFile(rules));
      process.stdout.write(`wrote ${file}: edit it, then run \`ward synth\` to check it and \`ward deploy\`\n`);
    });
}
