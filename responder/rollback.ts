import { findRunbook } from '../runbooks';
import type { RunbookContext } from '../runbooks/types';
import type { AuditRecord, AuditStore } from './audit-store';
import { RollbackError } from './errors';

/**
 * Restores the before-state recorded in an audit record, with the runbook's `rollback`, and records the
 * rollback on the same record.
 * @throws RollbackError when the record is unknown, changed nothing, or its runbook cannot roll back.
 */
export async function rollbackAudit(
  auditId: string,
  store: AuditStore,
  contextFor: (record: AuditRecord) => RunbookContext,
  now: () => Date = () => new Date(),
): Promise<AuditRecord> {
  const record = await store.get(auditId);
  if (!record) throw new RollbackError(`no audit record ${auditId} (list them with ward audit)`);
  if (record.outcome !== 'remediated')
    throw new RollbackError(`audit record ${auditId} changed nothing (outcome ${record.outcome ?? 'pending'})`);
  if (record.rollback?.outcome === 'restored')
    throw new RollbackError(`audit record ${auditId} was already rolled back at ${record.rollback.at}`);
  const runbook = record.plan ? findRunbook(record.plan.runbookId) : undefined;
  if (!runbook?.automated || !runbook.rollback)
    throw new RollbackError(`runbook ${record.plan?.runbookId ?? '(none)'} has no rollback; see its playbook`);
  const resource = {
    resourceType: record.resourceType,
    resourceId: record.resourceId,
    accountId: record.accountId,
    region: record.region,
  };
  let updated: AuditRecord;
  try {
    await runbook.rollback(resource, record.before, contextFor(record));
    updated = { ...record, updatedAt: now().toISOString(), rollback: { at: now().toISOString(), outcome: 'restored' } };
  } catch (err) {
    updated = {
      ...record,
      updatedAt: now().toISOString(),
      rollback: { at: now().toISOString(), outcome: 'failed', error: err instanceof Error ? err.message : String(err) },
    };
    await store.save(updated);
    throw new RollbackError(`rollback of ${auditId} failed: ${updated.rollback?.error}`, { cause: err });
  }
  await store.save(updated);
  return updated;
}
