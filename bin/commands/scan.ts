import type { Command } from 'commander';

/**
 * `ward scan [inputs...]`: evaluates the rules on AWS Config snapshot files (the bundled sample by default),
 * a directory of them, stdin (`-`), or a live account (`--live`). The work lives in scan/ (the engine library); it is loaded
 * only when the command runs so that other commands start fast.
 */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(
      'Evaluate the rules on Config snapshot files (snapshot, .json.gz, JSON array, JSON Lines, API output), ' +
        'directories, stdin (-), or live with --live; default: the bundled sample snapshot',
    )
    .argument('[inputs...]', 'files, directories (*.json, *.json.gz, *.jsonl) or - for stdin')
    .option('--rules <ids>', 'only these rules (comma-separated ids)')
    .option('--format <format>', 'table, json or sarif', 'table')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <level>', 'exit 1 when any resource is non-compliant (non-compliant | none)', 'none')
    .option('--params <file>', 'JSON file mapping rule id -> parameters')
    .option('--live', 'read the current configuration items from AWS Config instead of files')
    .option(
      '--region <regions>',
      'regions for --live (comma-separated, or all: every enabled region; default AWS_REGION)',
    )
    // Organization-wide live scan (each implies --live): docs/organizations.md.
    .option('--regions <regions>', 'same as --region (with --aggregator: only these source regions)')
    .option('--aggregator <name>', 'read every account and region from this AWS Config aggregator')
    .option('--role-arn <arns>', 'assume these roles (comma-separated ARNs) and scan each account')
    .option('--accounts <ids>', 'accounts to scan with --role-name, or to keep with --aggregator / --org')
    .option('--role-name <name>', 'role to assume in each account of --accounts or --org')
    .option('--external-id <id>', 'ExternalId for the roles assumed')
    .option('--org', 'scan every active account of the organization (Organizations ListAccounts)')
    .option('--concurrency <n>', 'API calls and account-regions in flight (1-64)', '8')
    .action(async (inputs: string[], opts: Record<string, string | boolean | undefined>) => {
      const { runScan } = await import('../../scan/run');
      process.exitCode = await runScan(inputs, opts, {
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
      });
    });
}
