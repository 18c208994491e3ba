import type { Command } from 'commander';
import { exitCodeOfTool } from '../../scan/exit-codes';
import { DeployMode, type DeployModeType } from '../../infra/config/deploy-mode';

const MODES: readonly string[] = Object.values(DeployMode);

/** Validates `--mode`. @throws Error naming the accepted values. */
export function parseModeOption(mode: string | undefined): DeployModeType | undefined {
  if (mode === undefined) return undefined;
  if (!MODES.includes(mode)) throw new Error(`--mode ${mode}: use ${MODES.join(', ')}`);
  return mode as DeployModeType;
}

/**
 * `ward deploy [--mode rules|pack|organization]` deploys every ward stack with the CDK toolkit;
 * `ward destroy` removes them (retained resources are listed in docs/deploy.md).
 */
export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description('Deploy ward to the account (or organization) with the CDK toolkit')
    .option('--mode <mode>', 'rules (Config rules), pack (conformance pack) or organization')
    .option('--config <file>', 'configuration file (default ./ward.config.json)')
    .option('--suppressions <file>', 'suppressions carried to the responder (default as ward scan finds them)')
    .option('--require-approval <level>', 'never, any-change or broadening (CDK)', 'broadening')
    .argument('[cdkArgs...]', 'extra arguments for the CDK toolkit (after --)')
    .action(
      async (
        cdkArgs: string[],
        opts: { mode?: string; config?: string; suppressions?: string; requireApproval: string },
      ) => {
        const mode = parseModeOption(opts.mode);
        const { runCdk } = await import('../../infra/cli/run-cdk');
        process.exitCode = exitCodeOfTool(
          runCdk('deploy', ['--all', '--require-approval', opts.requireApproval], {
            config: opts.config,
            suppressions: opts.suppressions,
            mode,
            extraArgs: cdkArgs,
          }),
        );
      },
    );
  program
    .command('destroy')
    .description('Remove every ward stack (keys, audit table and Config bucket are retained)')
    .option('--config <file>', 'configuration file (default ./ward.config.json)')
    .option('--force', 'do not ask for confirmation')
    .argument('[cdkArgs...]', 'extra arguments for the CDK toolkit (after --)')
    .action(async (cdkArgs: string[], opts: { config?: string; force?: boolean }) => {
      const { runCdk } = await import('../../infra/cli/run-cdk');
      process.exitCode = exitCodeOfTool(
        runCdk('destroy', ['--all', ...(opts.force ? ['--force'] : [])], {
          config: opts.config,
          extraArgs: cdkArgs,
        }),
      );
    });
}
