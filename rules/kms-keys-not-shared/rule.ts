import { parsePolicy } from '../policy/document';
import type { TrustContext } from '../policy/principals';
import {
  MAX_ANNOTATION,
  type AnyRule,
  type ConfigurationItem,
  type Evaluation,
  type Finding,
  type Rule,
  type RuleContext,
  commonParameters,
  compliant,
  defineRule,
  getPath,
  nonCompliant,
  notApplicable,
} from '../runtime';
import { collectKeys } from './collect';
import { type GrantFacts, judgeGrants, listKeyGrants } from './grants';
import { FINDING_CODES, judgeKeyPolicy, keyFinding } from './key-policy';
import * as z from '../runtime/zod-mini';
import * as sdk from '../runtime/sdk';
import { CONTROLS } from './controls';

const parameters = z.object({ ...commonParameters });

/** What `gather` adds to the configuration item. */
export interface KeyFacts {
  /** The key policy from kms:GetKeyPolicy, read only when the item has none. */
  readonly policy?: string;
  /** The key's grants; undefined when they could not be read (a snapshot file). */
  readonly grants?: readonly GrantFacts[];
}

const KMS_KEY = 'AWS::KMS::Key';
const POLICY_PATH = 'supplementaryConfiguration.Policy';
const GRANTS_NOT_CHECKED = 'grants were not checked (not in configuration items; run live or in Config)';

function isAwsManaged(item: ConfigurationItem): boolean {
  return getPath(item.configuration, 'keyManager') === 'AWS';
}

async function gatherKey(item: ConfigurationItem, ctx: RuleContext): Promise<KeyFacts> {
  if (isAwsManaged(item) || ctx.offline) return {};
  // Imported on first use: the responder bundles this rule and must not load KMS on every cold start.
  const { GetKeyPolicyCommand, KMSClient } = await sdk.kms();
  const kms = ctx.client(KMSClient);
  let policy: string | undefined;
  if (item.supplementaryConfiguration.Policy === undefined) {
    // No source says the CI can lack the policy; this fallback is defensive (configuration-items.md 3.16).
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: item.resourceId, PolicyName: 'default' }));
    policy = out.Policy;
  }
  const grants = await listKeyGrants(kms, item.resourceId);
  return { ...(policy !== undefined ? { policy } : {}), grants };
}

/**
 * `kms-keys-not-shared`: customer-managed KMS keys whose policy or grants open them to everyone or to untrusted
 * accounts. Change-triggered for the key policy and periodic for grants; both paths judge policy and grants
 * together so that neither overwrites the other's findings in Config.
 */
export const kmsKeysNotShared: Rule<typeof parameters, KeyFacts> = defineRule<typeof parameters, KeyFacts>({
  meta: {
    id: 'kms-keys-not-shared',
    title: 'KMS keys are not shared with everyone or with untrusted accounts',
    rationale:
      'Whoever can use a key can read everything encrypted with it, and whoever administers it can lock its owner ' +
      'out; a key policy or grant open to other accounts silently extends both beyond the account.',
    severity: 'high',
    resourceTypes: [KMS_KEY],
    trigger: { onChange: true, periodic: 'TwentyFour_Hours' },
    parameters,
    controls: CONTROLS,
    permissions: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:ListGrants', 'kms:ListResourceTags'],
    findingCodes: FINDING_CODES,
    remediations: { [KMS_KEY]: 'kms-remove-public-statements' },
  },
  evaluate({ item, params, facts, accountId }) {
    if (isAwsManaged(item)) {
      return [notApplicable(item, 'AWS-managed key: AWS owns its policy and grants.')];
    }
    const trust: TrustContext = {
      ownerAccountId: accountId,
      trustedAccountIds: params.trustedAccountIds,
      trustedOrganizationIds: params.trustedOrganizationIds,
    };
    const findings: Finding[] = [];
    const raw = item.supplementaryConfiguration.Policy ?? facts?.policy;
    if (raw === undefined || raw === null || raw === '') {
      findings.push(
        keyFinding(
          'key-policy-unavailable',
          'The key policy is not in the configuration item and could not be read: ward cannot judge it.',
          POLICY_PATH,
        ),
      );
    } else {
      // Every key has a policy: a "null" one is malformed, never an empty policy that shares nothing.
      const parsed = parsePolicy(raw, { required: true });
      if (parsed.ok) findings.push(...judgeKeyPolicy(parsed.document, trust, POLICY_PATH));
      else
        findings.push(
          keyFinding('malformed-policy', `The key policy cannot be decoded: ${parsed.error}.`, POLICY_PATH),
        );
    }
    const grants = facts?.grants;
    if (grants) findings.push(...judgeGrants(grants, trust));
    const note = grants ? '' : `; ${GRANTS_NOT_CHECKED}`;
    if (findings.length === 0) {
      const what = grants ? `Key policy and ${grants.length} grant(s) share` : 'Key policy shares';
      return [compliant(item, `${what} the key only with this account and trusted accounts${note}.`)];
    }
    const evaluation = nonCompliant(item, findings as [Finding, ...Finding[]], { ruleSeverity: 'high' });
    if (!note) return [evaluation];
    // Say on a snapshot that grants were not checked, keeping the note inside Config's annotation limit.
    const base = evaluation.annotation.slice(0, MAX_ANNOTATION - note.length - 1);
    return [{ ...evaluation, annotation: `${base}${note}` }];
  },
  gather: (item, ctx) => gatherKey(item, ctx),
  collect: (ctx, params): Promise<Evaluation[]> => collectKeys(kmsKeysNotShared as AnyRule, ctx, params),
});
