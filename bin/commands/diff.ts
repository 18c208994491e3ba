import type { Command } from 'commander';
import { exitCodeOfTool } from '../../scan/exit-codes';
import { parseModeOption } from './deploy';

/** `ward diff`: what `ward deploy` would change in the account. */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('Show what `ward deploy` would change (CDK diff of every ward stack)')
    .option('--config <file>', 'configuration file (default ./ward.config.json)')
    .option('--suppressions <file>', 'suppressions carried to the responder (default as ward scan finds them)')
    .option('--mode <mode>', 'override the deploy mode: rules, pack or organization')
    .argument('[cdkArgs...]', 'extra arguments for the CDK toolkit (after --)')
    .action(async (cdkArgs: string[], opts: { config?: string; suppressions?: string; mode?: string }) => {
      const mode = parseModeOption(opts.mode);
      const { runCdk } = await import('../../infra/cli/run-cdk');
      process.exitCode = exitCodeOfTool(
        runCdk('diff', ['--all'], {
          config: opts.config,
          suppressions: opts.suppressions,
          mode,
          extraArgs: cdkArgs,
        }),
      );
    });
}
