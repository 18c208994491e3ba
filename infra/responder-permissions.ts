import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { AnyRule } from '../rules/runtime/types';
import type { AnyAutomatedRunbook } from '../runbooks/types';
import { runbookPermissions } from '../runbooks';

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
 * The responder role's remediation statements: the union of the runbooks' declared actions, one statement per
 * resource pattern (scoped to this account and region where the service allows), plus the read actions the
 * rules declare (`meta.permissions`) so the responder can re-run them before acting.
 */
export function responderStatements(
  runbooks: readonly AnyAutomatedRunbook[],
  rules: readonly AnyRule[],
  keyArn: string | undefined,
): PolicyStatement[] {
  const byResource = new Map<string, Set<string>>();
  for (const p of runbookPermissions(runbooks)) {
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
  const reads = [...new Set(rules.flatMap((r) => r.meta.permissions))].sort();
  if (reads.length > 0)
    // Rules read resources of any kind across the account (their gather step); AWS has no narrower scope here.
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: reads, resources: ['*'] }));
  return statements;
}
