import type { AnyRule } from '../rules/runtime/types';
import type { SuppressionEntry } from '../scan/findings/suppression-match';
import { resolveRules } from './config/load';
import type { WardConfig } from './config/schema';
import type { ResponderMode, ResponderStackProps } from './responder-stack';

/**
 * The responder stack's props from ward.config.json: modes from `rules.<id>.remediation` (keyed by Config rule
 * name `ward-<id>`), `responder.*`, `alerts.*`, the trusted accounts, and each enabled rule's resolved
 * parameters (so the responder re-runs a rule exactly as deployed), and the remediation key. Add `env` and
 * stack props at the call site. `suppressions`: the validated entries of the deployment's suppressions file.
 */
export function responderPropsFromConfig(
  config: WardConfig,
  registry: readonly AnyRule[],
  suppressions?: readonly SuppressionEntry[],
): ResponderStackProps {
  const resolved = resolveRules(config, registry);
  const modes: Record<string, ResponderMode> = {};
  for (const r of resolved) if (r.remediation) modes[`ward-${r.rule.meta.id}`] = r.remediation;
  return {
    modes,
    defaultMode: config.responder.defaultMode,
    killSwitch: config.responder.killSwitch,
    maxAutoChangesPerHour: config.responder.maxAutoChangesPerHour,
    ...(config.responder.remediationKeyArn ? { remediationKeyArn: config.responder.remediationKeyArn } : {}),
    alertEmails: config.alerts.emails,
    alertHttpsEndpoints: config.alerts.httpsEndpoints,
    trustedAccountIds: config.trustedAccountIds,
    ruleParameters: Object.fromEntries(resolved.map((r) => [r.rule.meta.id, r.parameters])),
    rules: resolved.map((r) => r.rule),
    ...(suppressions ? { suppressions } : {}),
    ...(config.responder.forwardToSecurityHub ? { forwardToSecurityHub: true } : {}),
  };
}
