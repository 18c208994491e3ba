import type { Command } from 'commander';
import { exitCodeOfTool } from '../../scan/exit-codes';
import { parseModeOption } from './deploy';

/** `ward synth [--output DIR]`: synthesizes the CloudFormation templates (cdk-nag runs on every synth). */
export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('Synthesize the CloudFormation templates of the configured deployment (runs cdk-nag)')
    .option('--output <dir>', 'directory of the cloud assembly', 'cdk.out')
    .option('--config <file>', 'configuration file (default ./ward.config.json)')
    .option('--suppressions <file>', 'suppressions carried to the responder (default as ward scan finds them)')
    .option('--mode <mode>', 'override the deploy mode: rules, pack or organization')
    .argument('[cdkArgs...]', 'extra arguments for the CDK toolkit (after --)')
    .action(
      async (cdkArgs: string[], opts: { output: string; config?: string; suppressions?: string; mode?: string }) => {
        const mode = parseModeOption(opts.mode);
        const { runCdk } = await import('../../infra/cli/run-cdk');
        process.exitCode = exitCodeOfTool(
          runCdk('synth', ['--quiet', '--output', opts.output], {
            config: opts.config,
            suppressions: opts.suppressions,
            mode,
            extraArgs: cdkArgs,
          }),
        );
      },
    );
}
