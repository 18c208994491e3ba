import { Command, CommanderError } from 'commander';
import { ExitCode, exitCodeHelp } from '../scan/exit-codes';
import { registerAuditCommand } from './commands/audit';
import { registerCompletionCommand } from './commands/completion';
import { registerDeployCommand } from './commands/deploy';
import { registerDiffCommand } from './commands/diff';
import { registerInitCommand } from './commands/init';
import { registerPackCommand } from './commands/pack';
import { registerRespondCommand } from './commands/respond';
import { registerRollbackCommand } from './commands/rollback';
import { registerRulesCommand } from './commands/rules';
import { registerScanCommand } from './commands/scan';
import { registerSynthCommand } from './commands/synth';

/** The package version, from dist/bin (built) or bin (sources, as tests load them). */
function packageVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return (require('../package.json') as { version: string }).version;
  }
}

/** Builds the `ward` command line. Each command lives in bin/commands/<name>.ts and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('ward')
    .description('Continuous compliance for AWS accounts, deployed as AWS Config rules.')
    .version(packageVersion())
    // Set before the commands are added, so every command inherits it: commander's own usage errors (unknown
    // option or command, missing argument) become exit code 2 instead of commander's 1, which means findings.
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', exitCodeHelp());
  registerRulesCommand(program);
  registerScanCommand(program);
  registerRespondCommand(program);
  registerAuditCommand(program);
  registerRollbackCommand(program);
  registerInitCommand(program);
  registerSynthCommand(program);
  registerDiffCommand(program);
  registerDeployCommand(program);
  registerPackCommand(program);
  registerCompletionCommand(program);
  return program;
}

/**
 * Runs the command line and returns the exit code (scan/exit-codes.ts): the command's own code, 0 for help
 * and version, 2 for a usage error or any error a command throws (one line on stderr).
 */
export async function runCli(argv: readonly string[], stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message. Help or version asked for is success (commander says 0);
      // everything else it reports (unknown option or command, missing argument, no command) is usage: 2.
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.INCOMPLETE;
    }
    stderr.write(`ward: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.INCOMPLETE;
  }
  const code = process.exitCode;
  return typeof code === 'number' ? code : Number(code ?? ExitCode.OK);
}

if (require.main === module || process.argv[1]?.endsWith('/ward')) {
  void runCli(process.argv).then((code) => {
    process.exitCode = code;
  });
}
