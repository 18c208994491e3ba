import type { AnyRule, SeverityLevel } from '../../rules/runtime/types';
import { EVALUATION_ERROR_CODE } from '../../rules/runtime/evaluation';
import { UNREADABLE_CONFIGURATION_CODE } from '../../rules/runtime/unreadable';
import { codeDescription, codeSeverity } from '../findings/severity';

/** SARIF result levels for our severities. */
export const SARIF_LEVEL: Readonly<Record<SeverityLevel, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  informational: 'note',
} as const;

/**
 * `security-severity` per severity: GitHub code scanning reads > 9.0 as critical, 7.0-8.9 high, 4.0-6.9
 * medium, 0.1-3.9 low (and 0 as none).
 */
export const SECURITY_SEVERITY: Readonly<Record<SeverityLevel, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  informational: '0.0',
} as const;

/** GitHub keeps at most this many tags per rule. */
const MAX_TAGS = 20;

/** Links the SARIF log points at (the project home and the rule READMEs). */
export interface ProjectLinks {
  /** `tool.driver.informationUri`. */
  readonly home: string;
  /** The README of a rule. */
  readonly ruleReadme: (ruleId: string) => string;
}

const pascal = (kebab: string) =>
  kebab
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The tags of a rule: `security`, the rule's concern (its id) and the services it judges. */
function tagsOf(rule: AnyRule): string[] {
  const services = [...rule.meta.resourceTypes, ...(rule.meta.periodicResourceTypes ?? [])].map((t) =>
    (t.split('::')[1] ?? '').toLowerCase(),
  );
  return [...new Set(['security', rule.meta.id, ...services.filter(Boolean)])].slice(0, MAX_TAGS);
}

/**
 * The SARIF reporting descriptors of a rule: one per finding code (`<rule-id>/<code>`, plus the engine's
 * `evaluation-error` and `unreadable-configuration`), each with what is wrong, how to fix it and the README link in `help.text` and
 * `help.markdown`, the code's level and `security-severity`, and tags.
 */
export function sarifRules(rule: AnyRule, links: ProjectLinks): { code: string; descriptor: object }[] {
  const codes = [...Object.keys(rule.meta.findingCodes)];
  for (const engineCode of [EVALUATION_ERROR_CODE, UNREADABLE_CONFIGURATION_CODE])
    if (!codes.includes(engineCode)) codes.push(engineCode);
  const readme = links.ruleReadme(rule.meta.id);
  const remediation = Object.entries(rule.meta.remediations ?? {})
    .map(([type, runbook]) => `${type}: runbook ${runbook}`)
    .join('; ');
  return codes.map((code) => {
    const severity = codeSeverity(rule, code);
    const description = codeDescription(rule, code);
    const fix =
      `Fix: bring the resource to the desired state ("${rule.meta.title}")` +
      (remediation ? `; ward respond can remediate (${remediation})` : '') +
      '; or, for an accepted exception, add a suppression with a reason and an expiry.';
    return {
      code,
      descriptor: {
        id: `${rule.meta.id}/${code}`,
        // A friendly name, distinct from the opaque id (SARIF1001), in Pascal case (SARIF2012).
        name: pascal(`${rule.meta.id}-${code}`),
        shortDescription: { text: description },
        fullDescription: { text: `${rule.meta.title}. ${rule.meta.rationale}` },
        help: {
          text: `${description} ${rule.meta.rationale} ${fix} See ${readme}`,
          markdown:
            `**${description}**\n\n${rule.meta.rationale}\n\n${fix}\n\n` +
            `Rule \`${rule.meta.id}\` (Config rule \`ward-${rule.meta.id}\`), finding code \`${code}\`: ` +
            `[README](${readme}).`,
        },
        helpUri: readme,
        defaultConfiguration: { level: SARIF_LEVEL[severity] },
        properties: {
          'security-severity': SECURITY_SEVERITY[severity],
          tags: tagsOf(rule),
          precision: 'high',
          rule: rule.meta.id,
          severity,
          configRuleName: `ward-${rule.meta.id}`,
        },
      },
    };
  });
}
