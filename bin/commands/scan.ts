import type { Command } from 'commander';

/**
 * `ward scan [inputs...]`: evaluates the rules on AWS Config snapshot files (the bundled sample by default),
 * a directory of them, stdin (`-`), or a live account (`--live`). The work lives in scan/ (the engine library);
 * it is loaded only when the command runs so that other commands start fast. This file parses the flags,
 * loads `ward.config.json` and sets the exit code.
 */
export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(
      'Evaluate the rules on Config snapshot files (snapshot, .json.gz, JSON array, JSON Lines, API output), ' +
        'AWSLogs trees, stdin (-), or live with --live; before deploy, on CloudFormation templates, CDK cloud ' +
        'assemblies (cdk.out) and Terraform plans (terraform show -json), told apart by content; default: the ' +
        'bundled sample snapshot',
    )
    .argument(
      '[inputs...]',
      'files, directories (*.json, *.json.gz, *.jsonl, *.yaml, *.yml, *.template), cdk.out, or - for stdin',
    )
    .option('-r, --rules <ids>', 'only these rules (comma-separated ids)')
    .option('-f, --format <format>', 'table, json, sarif, html, csv, ocsf or asff', 'table')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '--fail-on <severity>',
      'exit 1 when an unsuppressed non-compliant finding is at or above it ' +
        '(critical, high, medium, low, informational, non-compliant = informational, none)',
      'none',
    )
    .option('--min-severity <severity>', 'list only findings at or above it (the summary still counts all)')
    .option('--framework <names>', 'add a per-control summary: aws-fsbp, cis-aws, nist-800-53 (comma-separated)')
    .option('--to <integration>', 'also send the findings to: securityhub (BatchImportFindings)')
    .option('--params <file>', 'JSON file mapping rule id -> parameters (over ward.config.json)')
    .option('--suppressions <file>', 'suppressions file (default ./ward.suppressions.json or .yaml)')
    .option('--baseline <report>', 'an earlier --format json report: mark findings new or unchanged')
    .option('--all-captures', 'judge every capture in an AWSLogs tree, not only the latest per resource')
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
    .option('--concurrency <n>', 'API calls and account-regions in flight (1-64, default 8)')
    .option('--save-snapshot <file>', 'with --live: save the items read (default beside the SARIF report)')
    .option('--config <file>', 'configuration file (default ./ward.config.json when present)')
    .option('--no-config', 'ignore ward.config.json')
    .option('--color [when]', 'colour the table: auto, always or never (NO_COLOR is honoured)')
    .option('--no-color', 'never colour')
    .option('-j, --jobs <n>', 'worker threads judging items (default auto: one per core, 1 for small inputs)')
    .option('-q, --quiet', 'no warnings or progress on stderr (the report still has them)')
    .option('-v, --verbose', 'log what the scan does on stderr')
    .action(async (inputs: string[], opts: Record<string, string | boolean | undefined>) => {
      // A large scan starts again with a heap limit fitted to its input (scan/heap-limit.ts), before the
      // engine and the rules are loaded here for nothing.
      const heap = await import('../../scan/heap-limit');
      const limit = heap.heapLimitFor(heap.namedInputSizes(inputs));
      if (limit !== undefined) {
        if (opts.verbose) process.stderr.write(`ward scan: starting the scan with a heap limit of ${limit} MB\n`);
        process.exitCode = await heap.runWithHeapLimit(limit);
        return;
      }
      if (opts.verbose) process.stderr.write(`ward scan: V8 heap limit ${heap.currentHeapLimitMb()} MB\n`);
      const { runScan } = await import('../../scan/run');
      const { rules } = await import('../../rules');
      const { loadScanConfig } = await import('./scan-config');
      let config;
      try {
        config = loadScanConfig(rules, { config: opts.config as string | false | undefined });
      } catch (err) {
        process.stderr.write(`ward scan: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const color = opts.color === true ? 'always' : opts.color === false ? 'never' : (opts.color as string);
      process.exitCode = await runScan(
        inputs,
        {
          ...opts,
          color,
          suppressions: (opts.suppressions as string | undefined) ?? config?.suppressions,
          ...(config ? { configRules: config.enabledRules, configParams: config.params } : {}),
        },
        {
          stdin: process.stdin,
          stdout: process.stdout,
          stderr: process.stderr,
          env: opts.verbose ? { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' } : process.env,
        },
      );
    });
}
