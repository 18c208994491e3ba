import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { RollbackPreview } from '../../responder/rollback';

interface RollbackOptions {
  readonly table?: string;
  readonly yes?: boolean;
  readonly dryRun?: boolean;
}

/** Exit codes of `ward rollback`: 0 restored (or only shown), 2 not done (refused, declined or failed). */
export const ROLLBACK_EXIT = { DONE: 0, NOT_DONE: 2 } as const;

const json = (v: unknown) => JSON.stringify(v, null, 2).replace(/\n/g, '\n    ');

/** What the rollback will change, for people: the resource, the runbook, the state now and the state restored. */
export function describeRollback(p: RollbackPreview): string {
  const r = p.resource;
  const planned = p.response.steps.find((s) => s.step === 'planned');
  return [
    `Rollback of ${p.response.auditId} (${p.response.outcome}): runbook ${p.runbook.id}`,
    `Resource: ${r.resourceType} ${r.resourceId} (account ${r.accountId}, region ${r.region})`,
    `The change being undone: ${p.response.plan?.summary ?? '(no plan recorded)'}`,
    `Now:`,
    `    ${json(p.current)}`,
    `Restored to the state recorded at ${planned?.at ?? '(unknown)'}:`,
    `    ${json(p.before)}`,
    '',
  ].join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/**
 * `ward rollback AUDIT_ID`: shows the change, asks on a terminal, then restores the before-state a remediation
 * recorded, with the operator's own credentials (the responder's role holds no rollback permission).
 */
export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description('Restore the before-state recorded by an automatic remediation (see ward audit)')
    .argument('<audit-id>', 'the audit id (the event id) of the remediation')
    .option('--table <name>', 'audit table (default WARD_AUDIT_TABLE)')
    .option('--yes', 'do not ask for confirmation')
    .option('--dry-run', 'only show what the rollback would change')
    .action(async (auditId: string, opts: RollbackOptions) => {
      // Loaded when the command runs, so that every other command starts without the responder and the SDK.
      const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
      const { clientOptions, cliLogger, requireAuditStore } = await import('../../responder/cli-support');
      const { createContexts } = await import('../../responder/recheck');
      const { executeRollback, prepareRollback } = await import('../../responder/rollback');
      const { settingsFromEnv } = await import('../../responder/settings');
      const settings = settingsFromEnv();
      const logger = cliLogger();
      const store = requireAuditStore(opts);
      const contextFor = (r: Parameters<typeof createContexts>[0]) =>
        createContexts(r, { kmsKeyArn: settings.kmsKeyArn, trustedAccountIds: settings.trustedAccountIds }, logger)
          .runbook;
      const preview = await prepareRollback(auditId, store, contextFor);
      process.stdout.write(describeRollback(preview));
      if (opts.dryRun) {
        process.stdout.write('Dry run: nothing changed.\n');
        process.exitCode = ROLLBACK_EXIT.DONE;
        return;
      }
      if (!opts.yes) {
        if (!process.stdin.isTTY)
          throw new Error('ward rollback changes a resource: confirm on a terminal, or pass --yes (or --dry-run)');
        if (!(await confirm('Restore this state? [y/N] '))) {
          process.stdout.write('Not confirmed: nothing changed.\n');
          process.exitCode = ROLLBACK_EXIT.NOT_DONE;
          return;
        }
      }
      const caller = await new STSClient(clientOptions(preview.resource.region))
        .send(new GetCallerIdentityCommand({}))
        .then((c) => c.Arn)
        .catch(() => undefined);
      await executeRollback(preview, store, contextFor, { by: caller });
      const r = preview.resource;
      process.stdout.write(
        `Rolled back ${auditId}: ${preview.runbook.id} restored ${r.resourceType} ${r.resourceId} as it was at ${preview.response.received?.at}.\n`,
      );
      process.exitCode = ROLLBACK_EXIT.DONE;
    });
}
