import { Command } from 'commander';
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

/** Builds the `ward` command line. Each command lives in bin/commands/<name>.ts and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('ward')
    .description('Continuous compliance for AWS accounts, deployed as AWS Config rules.')
    .version(require('../../package.json').version);
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

if (require.main === module || process.argv[1]?.endsWith('/ward')) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`ward: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    });
}
