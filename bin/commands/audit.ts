import type { Command } from 'commander';
import type { AuditRecord } from '../../responder/audit-store';
import { requireAuditStore } from '../../responder/cli-support';

/** One line per record: when, outcome, rule, resource, audit id. */
export function auditLine(r: AuditRecord): string {
  const rollback = r.rollback ? ` [rolled back: ${r.rollback.outcome}]` : '';
  return `${r.createdAt}  ${(r.outcome ?? 'pending').padEnd(18)} ${r.configRuleName}  ${r.resourceType} ${r.resourceId}  ${r.auditId}${rollback}`;
}

/** `ward audit [--resource ID]`: lists the responder's audit records, newest first. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description("List the responder's audit records (newest first)")
    .option('--resource <id>', 'only the records of this resource id')
    .option('--table <name>', 'audit table (default WARD_AUDIT_TABLE)')
    .option('--limit <n>', 'at most this many records', '50')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { resource?: string; table?: string; limit: string; format: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit ${opts.limit}: use a positive integer`);
      if (!['text', 'json'].includes(opts.format))
        throw new Error(`unknown --format ${opts.format} (use text or json)`);
      const records = await requireAuditStore(opts).list({ resourceId: opts.resource, limit });
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
        return;
      }
      if (records.length === 0) {
        process.stdout.write(opts.resource ? `No audit record for ${opts.resource}.\n` : 'No audit record.\n');
        return;
      }
      process.stdout.write(`${records.map(auditLine).join('\n')}\n`);
    });
}
