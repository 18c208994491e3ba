import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { isReadAction, type RunbookReach } from '../responder/runbook-modes';
import type { RunbookPermission } from '../runbooks/types';

/** Fills a runbook's ARN pattern; undefined when it needs the remediation key and none is configured. */
export function resolveArnPattern(pattern: string, keyArn: string | undefined): string | undefined {
  if (pattern.includes('${KeyArn}')) {
    if (!keyArn) return undefined;
    pattern = pattern.replace('${KeyArn}', keyArn);
  }
  return pattern
    .replace(/\$\{Partition\}/g, Aws.PARTITION)
    .replace(/\$\{Region\}/g, Aws.REGION)
    .replace(/\$\{Account\}/g, Aws.ACCOUNT_ID);
}

/**
 * The runbook permissions the configuration needs: the read actions of runbooks run in dry-run or auto, and
 * every action of runbooks run in auto; one entry per action and resource pattern, sorted.
 */
export function reachedPermissions(reach: RunbookReach): RunbookPermission[] {
  const seen = new Map<string, RunbookPermission>();
  for (const r of reach.read)
    for (const p of r.permissions) if (isReadAction(p.action)) seen.set(`${p.action} ${p.resource}`, p);
  for (const r of reach.write) for (const p of r.permissions) seen.set(`${p.action} ${p.resource}`, p);
  return [...seen.values()].sort((a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource));
}

/**
 * The responder role's remediation statements for a configuration: the runbook permissions it reaches
 * ({@link reachedPermissions}), one statement per resource pattern (scoped to this account and region where
 * the service allows), plus the read actions of the rules it re-runs before acting. Empty when every rule is
 * in notify (the default): the responder then only reads its tables, writes its audit and publishes alerts.
 */
export function responderStatements(reach: RunbookReach, keyArn: string | undefined): PolicyStatement[] {
  const byResource = new Map<string, Set<string>>();
  for (const p of reachedPermissions(reach)) {
    const resource = resolveArnPattern(p.resource, keyArn);
    if (!resource) continue;
    const set = byResource.get(resource) ?? new Set<string>();
    set.add(p.action);
    byResource.set(resource, set);
  }
  const statements = [...byResource.entries()].map(
    ([resource, actions]) =>
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...actions].sort(), resources: [resource] }),
  );
  const reads = [...new Set(reach.rules.flatMap((r) => r.meta.permissions))].sort();
  if (reads.length > 0)
    // Rules read resources of any kind across the account (their gather step); AWS has no narrower scope here.
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: reads, resources: ['*'] }));
  return statements;
}
