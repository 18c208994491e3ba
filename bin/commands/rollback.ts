import type { Command } from 'commander';
import { createContexts } from '../../responder/recheck';
import { rollbackAudit } from '../../responder/rollback';
import { settingsFromEnv } from '../../responder/settings';
import { cliLogger, requireAuditStore } from '../../responder/cli-support';

/** `ward rollback AUDIT_ID`: restores the before-state an automatic remediation recorded. */
export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description('Restore the before-state recorded by an automatic remediation (see ward audit)')
    .argument('<audit-id>', 'the audit id (the event id) of the remediation')
    .option('--table <name>', 'audit table (default WARD_AUDIT_TABLE)')
    .action(async (auditId: string, opts: { table?: string }) => {
      const settings = settingsFromEnv();
      const logger = cliLogger();
      const record = await rollbackAudit(
        auditId,
        requireAuditStore(opts),
        (r) =>
          createContexts(
            { resourceType: r.resourceType, resourceId: r.resourceId, accountId: r.accountId, region: r.region },
            { kmsKeyArn: settings.kmsKeyArn, trustedAccountIds: settings.trustedAccountIds },
            logger,
          ).runbook,
      );
      process.stdout.write(
        `Rolled back ${auditId}: ${record.plan?.runbookId} restored ${record.resourceType} ${record.resourceId} as it was at ${record.createdAt}.\n`,
      );
    });
}
