import type { Command } from 'commander';
import { type AuditResponse, describeStep, type ReceivedStep, summarize } from '../../responder/audit-steps';

/** The headline of a response: when, outcome, rule, resource, audit id. */
export function auditLine(r: AuditResponse): string {
  const rc = r.received as ReceivedStep;
  const rollback = r.rolledBack ? ' [rolled back]' : '';
  return `${rc.at}  ${(r.outcome ?? 'in progress').padEnd(20)} ${rc.configRuleName}  ${rc.resourceType} ${rc.resourceId}  ${r.auditId}${rollback}`;
}

/** A response as its steps, under its headline. */
export function describeAuditResponse(r: AuditResponse): string {
  return [auditLine(r), ...r.steps.map(describeStep)].join('\n');
}

/** `ward audit [--resource ID] [--id AUDIT_ID]`: lists the responder's responses, newest first, each as its steps. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description("List the responder's responses (newest first), each as its audit steps")
    .option('--resource <id>', 'only the responses about this resource id')
    .option('--id <audit-id>', 'only this response')
    .option('--table <name>', 'audit table (default WARD_AUDIT_TABLE)')
    .option('--limit <n>', 'at most this many responses', '50')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: { resource?: string; id?: string; table?: string; limit: string; format: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit ${opts.limit}: use a positive integer`);
      if (!['text', 'json'].includes(opts.format))
        throw new Error(`unknown --format ${opts.format} (use text or json)`);
      const { requireAuditStore } = await import('../../responder/cli-support');
      const store = requireAuditStore(opts);
      const ids = opts.id
        ? [opts.id]
        : (await store.received({ resourceId: opts.resource, limit })).map((s) => s.auditId);
      const responses = (await Promise.all(ids.map(async (id) => summarize(id, await store.history(id))))).filter(
        (r) => r.received,
      );
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(responses, null, 2)}\n`);
        return;
      }
      if (responses.length === 0) {
        process.stdout.write(
          opts.id
            ? `No audit record ${opts.id}.\n`
            : opts.resource
              ? `No audit record for ${opts.resource}.\n`
              : 'No audit record.\n',
        );
        return;
      }
      process.stdout.write(`${responses.map(describeAuditResponse).join('\n\n')}\n`);
    });
}
