import { findRunbook } from '../runbooks';
import type { AnyAutomatedRunbook, RunbookContext, RunbookResource } from '../runbooks/types';
import type { AuditStore } from './audit-store';
import { type AuditResponse, type RollbackStep, summarize } from './audit-steps';
import { describeSafely, RollbackError } from './errors';

/** What a rollback will do, shown before it is done: the recorded before-state and the state it replaces. */
export interface RollbackPreview {
  readonly response: AuditResponse;
  readonly runbook: AnyAutomatedRunbook;
  readonly resource: RunbookResource;
  /** The state the runbook will restore (recorded before the change). */
  readonly before: unknown;
  /** The resource's state now (what the rollback replaces). */
  readonly current: unknown;
}

/**
 * Reads a response's history and the resource's state now, and checks the response can be rolled back: it made
 * a change (remediated, or changed but not verified), recorded the before-state first, was not rolled back
 * already, and its runbook can roll back.
 * @throws RollbackError saying why not.
 */
export async function prepareRollback(
  auditId: string,
  store: AuditStore,
  contextFor: (resource: RunbookResource) => RunbookContext,
): Promise<RollbackPreview> {
  const steps = await store.history(auditId);
  if (steps.length === 0) throw new RollbackError(`no audit record ${auditId} (list them with ward audit)`);
  const response = summarize(auditId, steps);
  const received = response.received;
  if (!received) throw new RollbackError(`audit record ${auditId} has no received step: it cannot be rolled back`);
  if (response.rolledBack)
    throw new RollbackError(`audit record ${auditId} was already rolled back at ${response.rolledBack.at}`);
  if (!response.changed)
    throw new RollbackError(`audit record ${auditId} changed nothing (outcome ${response.outcome ?? 'in progress'})`);
  if (response.before === undefined)
    throw new RollbackError(`audit record ${auditId} has no recorded before-state: restore it by hand`);
  const entry = response.plan ? findRunbook(response.plan.runbookId) : undefined;
  if (!entry?.automated || !entry.rollback)
    throw new RollbackError(`runbook ${response.plan?.runbookId ?? '(none)'} has no rollback; see its playbook`);
  const resource: RunbookResource = {
    resourceType: received.resourceType,
    resourceId: received.resourceId,
    accountId: received.accountId,
    region: received.region,
  };
  let current: unknown;
  try {
    current = await entry.readState(resource, contextFor(resource));
  } catch (err) {
    throw new RollbackError(`cannot read ${resource.resourceType} ${resource.resourceId}: ${describeSafely(err)}`, {
      cause: err,
    });
  }
  return { response, runbook: entry, resource, before: response.before, current };
}

/**
 * Restores the recorded before-state and records the rollback as a step of the response: `rolled-back` once
 * (with who did it and the state it replaced), or `rollback-failed` for each failed attempt.
 * @throws RollbackError when the rollback fails (recorded) or another rollback got there first.
 */
export async function executeRollback(
  preview: RollbackPreview,
  store: AuditStore,
  contextFor: (resource: RunbookResource) => RunbookContext,
  options: { by?: string; now?: () => Date } = {},
): Promise<RollbackStep> {
  const now = options.now ?? (() => new Date());
  const { auditId } = preview.response;
  const by = options.by ? { by: options.by } : {};
  try {
    await preview.runbook.rollback?.(preview.resource, preview.before, contextFor(preview.resource));
  } catch (err) {
    const error = describeSafely(err);
    await store.append({ step: 'rollback-failed', auditId, at: now().toISOString(), error, ...by });
    throw new RollbackError(`rollback of ${auditId} failed: ${error}`, { cause: err });
  }
  const step: RollbackStep = {
    step: 'rolled-back',
    auditId,
    at: now().toISOString(),
    replaced: preview.current,
    ...by,
  };
  if (!(await store.append(step))) throw new RollbackError(`audit record ${auditId} was rolled back concurrently`);
  return step;
}

/** {@link prepareRollback} then {@link executeRollback}, without asking. */
export async function rollbackAudit(
  auditId: string,
  store: AuditStore,
  contextFor: (resource: RunbookResource) => RunbookContext,
  options: { by?: string; now?: () => Date } = {},
): Promise<RollbackStep> {
  return executeRollback(await prepareRollback(auditId, store, contextFor), store, contextFor, options);
}
