import type { AnyRule } from '../rules/runtime/types';
import { findRunbook, managedRuleRemediations } from '../runbooks';
import type { AnyAutomatedRunbook } from '../runbooks/types';
import { runbookIdFor } from './respond';
import { responderRules } from './rules';
import { modeFor, type ResponderSettings } from './settings';

/** What the configured modes let the responder do: whose state it reads, whose changes it makes, which rules it re-runs. */
export interface RunbookReach {
  /** Runbooks run in dry-run or auto: their read actions. */
  readonly read: readonly AnyAutomatedRunbook[];
  /** Runbooks run in auto that are safe for auto: all their actions. */
  readonly write: readonly AnyAutomatedRunbook[];
  /** ward rules re-run before acting (dry-run or auto): their read actions. */
  readonly rules: readonly AnyRule[];
}

/** True for an IAM action that only reads (Get, List, Describe, Head). */
export function isReadAction(action: string): boolean {
  return /^[a-z0-9-]+:(Get|List|Describe|Head)/.test(action);
}

/**
 * The runbooks and rules the responder may use under a configuration, decided exactly as the responder decides
 * per event: ward rules through {@link responderRules} and their runbook per resource type, the pack's managed
 * rules (`ward-aws-<identifier>`, and the names in `managedRuleNames`) through their runbook table, each in the
 * mode {@link modeFor} gives its Config rule name. Manual playbooks and runbooks not safe for auto never reach
 * `write`; with every rule in notify, nothing is reached.
 */
export function runbookReach(
  settings: Pick<ResponderSettings, 'modes' | 'defaultMode'>,
  managedRuleNames: readonly string[] = [],
): RunbookReach {
  const read = new Map<string, AnyAutomatedRunbook>();
  const write = new Map<string, AnyAutomatedRunbook>();
  const rules = new Map<string, AnyRule>();
  const reach = (configRuleName: string, runbookId: string | undefined, rule?: AnyRule) => {
    const mode = modeFor({ ...settings } as ResponderSettings, configRuleName);
    if (mode === 'notify') return;
    const runbook = runbookId ? findRunbook(runbookId) : undefined;
    if (!runbook?.automated) return;
    read.set(runbook.id, runbook);
    if (rule) rules.set(rule.meta.id, rule);
    if (mode === 'auto' && runbook.safeForAuto) write.set(runbook.id, runbook);
  };
  for (const rule of responderRules)
    for (const type of new Set([...rule.meta.resourceTypes, ...(rule.meta.periodicResourceTypes ?? [])]))
      reach(`ward-${rule.meta.id}`, runbookIdFor(rule, type), rule);
  for (const [identifier, byType] of Object.entries(managedRuleRemediations)) {
    const names = [
      `ward-aws-${identifier}`,
      ...managedRuleNames.filter((n) => n === identifier || n.startsWith(`${identifier}-`)),
    ];
    for (const name of names) for (const runbookId of Object.values(byType)) reach(name, runbookId);
  }
  const byId = <T extends { id: string } | { meta: { id: string } }>(m: Map<string, T>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { read: byId(read), write: byId(write), rules: byId(rules) };
}
