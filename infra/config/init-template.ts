import { describeParameters, toInputParameterValue } from '../../rules/runtime/parameters';
import type { AnyRule } from '../../rules/runtime/types';

/**
 * The commented starting ward.config.json that `ward init` writes (JSON with comments, like tsconfig.json).
 * Every rule in the registry is listed with its parameters and their defaults, so a new rule shows up here
 * without edits. Values written are the defaults: the file is valid as written.
 */
export function renderInitFile(registry: readonly AnyRule[]): string {
  const ruleBlocks = registry.map((rule, index) => {
    const params = describeParameters(rule.meta.parameters);
    const lines = [`    // ${rule.meta.title} (${rule.meta.severity}). Config rule: ward-${rule.meta.id}`];
    lines.push(`    "${rule.meta.id}": {`);
    lines.push('      "enabled": true,');
    lines.push('      // Responder mode for this rule: "notify" (default), "dry-run" or "auto".');
    lines.push('      // "remediation": "notify",');
    if (params.length === 0) {
      lines.push('      "parameters": {}');
    } else {
      lines.push('      "parameters": {');
      params.forEach((p, i) => {
        const shown = Array.isArray(p.default)
          ? JSON.stringify(p.default)
          : p.default === undefined
            ? undefined
            : JSON.stringify(p.default);
        lines.push(`        // ${p.description}`);
        // Optional values without a default are written commented out: "" would be a value, not "unset".
        const entry = `"${p.name}": ${shown ?? JSON.stringify(toInputParameterValue(p.default))}`;
        lines.push(shown === undefined ? `        // ${entry}` : `        ${entry}${i < params.length - 1 ? ',' : ''}`);
      });
      lines.push('      }');
    }
    lines.push(`    }${index < registry.length - 1 ? ',' : ''}`);
    return lines.join('\n');
  });

  return `// ward.config.json: what ward deploys and how. JSON with comments (// and /* */) and trailing commas.
// Every field is optional; docs/configuration.md describes each one. Check it with \`ward synth\`.
{
  // "rules": one Config rule per rule (default); "pack": one conformance pack;
  // "organization": an organization conformance pack run by central Lambdas (deploy from the management
  // or delegated administrator account).
  "mode": "rules",

  // Account and regions to deploy to; default: those of your current AWS credentials.
  // "account": "123456789012",
  // "regions": ["eu-west-1"],

  // Rules over global resources (IAM) run in this region only, so they are not evaluated in every region.
  // Default: the first region. Use the region where your Config recorder records global resources.
  // "globalResourcesRegion": "us-east-1",

  // Accounts and organizations every sharing rule trusts (merged into each rule's parameters).
  "trustedAccountIds": [],
  "trustedOrganizationIds": [],

  // Rules not listed here are deployed with their defaults. Set "enabled": false to leave one out.
  "rules": {
${ruleBlocks.join('\n')}
  },

  // The responder turns compliance changes into alerts and, where a rule allows, remediation.
  "responder": {
    "enabled": true,
    "defaultMode": "notify",
    "killSwitch": false,
    "maxAutoChangesPerHour": 10,
    // true: also import each compliance change into Security Hub of the account (needs Security Hub enabled).
    "forwardToSecurityHub": false
    // "remediationKeyArn": "arn:aws:kms:us-east-1:111122223333:key/...": the customer-managed key the encryption
    // runbooks use; its policy must allow the services that publish to your topics and queues.
  },

  // Who is told: drift alerts, remediation reports and ward's own operations alarms.
  "alerts": {
    "emails": [],
    "httpsEndpoints": []
  },

  "lambda": { "memorySize": 256, "timeoutSeconds": 120, "logRetentionDays": 90, "logLevel": "info" },

  // Set "create": true in accounts that have no Config recorder yet.
  "recorder": { "create": false, "includeGlobalResourceTypes": true, "createServiceLinkedRole": false },

  "pack": { "name": "ward", "includeManagedRules": true },

  // Organization mode only.
  "organization": {
    // "organizationId": "o-abcdefghij",
    "memberRoleName": "ward-member",
    "targetOrganizationalUnitIds": [],
    // Accounts whose Config may invoke the central rule Lambdas: \`aws organizations list-accounts\`.
    "memberAccountIds": [],
    "excludedAccountIds": []
  },

  "tags": { "app": "ward" }
}
`;
}
