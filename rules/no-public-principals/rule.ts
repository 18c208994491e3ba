import { MALFORMED_POLICY, parsePolicy } from '../policy/document';
import {
  commonParameters,
  type ConfigurationItem,
  defineRule,
  type Finding,
  isObject,
  judge,
  unreadable,
} from '../runtime';
import { gatherPolicy } from './gather';
import { decodeDeep, ownerCanonicalId, publicAccessBlock, publicAclFindings } from './s3';
import {
  API_FALLBACK,
  isEmptyPolicy,
  isVpcDomain,
  type NoPublicPrincipalsFacts,
  RESOURCE_TYPES,
  policySource,
} from './sources';
import { FINDING_CODES, finding } from './findings';
import { judgePolicy } from './statements';
import * as z from '../runtime/zod-mini';
import { CONTROLS } from './controls';

const parameters = z.object({ ...commonParameters });

/** Parsed parameters of no-public-principals. */
export type NoPublicPrincipalsParams = z.output<typeof parameters>;

const DOMAINS = new Set(['AWS::OpenSearch::Domain', 'AWS::Elasticsearch::Domain']);

/**
 * Config records a bucket's policy (`{policyText: null}` when it has none) and its ACL for every bucket: an
 * item without them says nothing about who can read the bucket, so it cannot be judged.
 */
function requireBucketFields(item: ConfigurationItem): void {
  const policy = decodeDeep(item.supplementaryConfiguration.BucketPolicy);
  if (!isObject(policy) || !Object.hasOwn(policy, 'policyText')) {
    unreadable('supplementaryConfiguration.BucketPolicy', 'an object with policyText (a policy or null)', policy);
  }
  // The ACL is JSON in a JSON string in the API form.
  const acl = decodeDeep(item.supplementaryConfiguration.AccessControlList);
  if (!isObject(acl) || !(Object.hasOwn(acl, 'grantList') || Object.hasOwn(acl, 'grantSet'))) {
    unreadable('supplementaryConfiguration.AccessControlList', 'an access control list with its grants', acl);
  }
}

/**
 * no-public-principals: resource and trust policies grant nothing to everyone, to untrusted accounts, to
 * unscoped service principals or to unchecked web identities. Condition-aware: `"*"` restricted by a fixed
 * `aws:SourceOwner`, `aws:PrincipalOrgID`, `aws:SourceVpce`... is not public (README.md has the exact rules).
 */
export const noPublicPrincipals = defineRule<typeof parameters, NoPublicPrincipalsFacts | undefined>({
  meta: {
    id: 'no-public-principals',
    title: 'Resource and trust policies grant nothing to the public or to untrusted accounts',
    rationale:
      'A resource or trust policy that allows "*", another account or an unscoped service principal hands data ' +
      'or a role to whoever can reach it; conditions decide whether such a grant is really open.',
    severity: 'high',
    resourceTypes: [...RESOURCE_TYPES],
    trigger: { onChange: true },
    parameters,
    controls: CONTROLS,
    permissions: Object.values(API_FALLBACK).map((f) => f.action),
    findingCodes: FINDING_CODES,
    remediations: { 'AWS::S3::Bucket': 's3-block-public-access' },
    global: false,
  },
  gather: (item, ctx) => gatherPolicy(item, ctx),
  evaluate({ item, params, facts, accountId }) {
    const findings: Finding[] = [];
    const notes: string[] = [];
    const trust = {
      ownerAccountId: accountId,
      trustedAccountIds: params.trustedAccountIds,
      trustedOrganizationIds: params.trustedOrganizationIds,
    };
    const isBucket = item.resourceType === 'AWS::S3::Bucket';
    const pab = isBucket ? publicAccessBlock(item, facts?.accountPublicAccessBlock) : undefined;
    let publicNeutralisedBy: string | undefined;
    if (pab?.restrictPublicBuckets) publicNeutralisedBy = 'RestrictPublicBuckets';
    else if (DOMAINS.has(item.resourceType) && isVpcDomain(item)) publicNeutralisedBy = 'VPC-only access';

    if (isBucket) requireBucketFields(item);
    if (item.resourceType === 'AWS::SNS::Topic' && isEmptyPolicy(item.configuration?.Policy)) {
      // Every topic has an access policy (SNS creates a default one): a topic item without it cannot be judged.
      unreadable('configuration.Policy', 'the topic access policy', item.configuration?.Policy);
    }
    const source = policySource(item, facts);
    if (!source && item.resourceType === 'AWS::IAM::Role') {
      // Every role has a trust policy: one that is missing or empty in the item cannot be judged.
      findings.push(
        finding(
          MALFORMED_POLICY,
          'The trust policy at configuration.assumeRolePolicyDocument is missing or empty.',
          'configuration.assumeRolePolicyDocument',
        ),
      );
    }
    if (source) {
      // A policy that is there must say something: content without a Statement is malformed, not "no policy".
      const parsed = parsePolicy(source.raw, { required: true });
      if (!parsed.ok) {
        findings.push(
          finding(MALFORMED_POLICY, `The ${source.name} at ${source.path} is malformed: ${parsed.error}.`, source.path),
        );
      } else {
        const verdict = judgePolicy(parsed.document, {
          kind: source.kind,
          name: source.name,
          trust,
          path: source.path,
          publicNeutralisedBy,
          ownerCanonicalId: isBucket ? ownerCanonicalId(item) : undefined,
        });
        findings.push(...verdict.findings);
        if (verdict.neutralised > 0) {
          notes.push(
            `${verdict.neutralised} public grant(s) in the ${source.name} neutralised by ${publicNeutralisedBy}`,
          );
        }
      }
    }
    if (isBucket) {
      const acl = publicAclFindings(item);
      if (pab?.ignorePublicAcls) {
        if (acl.length > 0) notes.push(`${acl.length} public ACL grant(s) neutralised by IgnorePublicAcls`);
      } else findings.push(...acl);
    }
    if (facts?.unchecked) notes.push(facts.unchecked);

    const what = source ? `the ${source.name}` : 'no resource policy';
    const summary = `No public or untrusted principals (${what})`;
    return [judge(item, findings, notes.length > 0 ? `${summary}; ${notes.join('; ')}.` : `${summary}.`, 'high')];
  },
});
