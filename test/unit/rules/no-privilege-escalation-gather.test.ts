/**
 * `gather` of no-privilege-escalation in the Lambda (IAM) path, on recorded IAM response shapes: the version
 * cache, NoSuchEntity, and IAM failures that must fail closed. The same path against moto is in
 * test/integration/no-privilege-escalation.test.ts.
 */
import { gatherEscalationFacts, type IamReader, PolicyReadError } from '../../../rules/no-privilege-escalation/gather';
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import { evaluateItem, normalizeConfigurationItem } from '../../../rules/runtime';
import { createLogger } from '../../../rules/runtime/logger';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import {
  ACCOUNT,
  allow,
  deepFreeze,
  defaults,
  doc,
  inGroups,
  rfc3986,
  role,
  user,
} from './no-privilege-escalation.fixtures';

const ARN = `arn:aws:iam::${ACCOUNT}:policy/gather-cache-test`;
const item = normalizeConfigurationItem(
  deepFreeze(role('ops', { attached: [{ policyName: 'gather-cache-test', policyArn: ARN }] })),
);
const silent = createLogger({}, { write: () => undefined });
const ctx = () =>
  createRuleContext({
    mode: 'lambda',
    accountId: ACCOUNT,
    region: 'us-east-1',
    logger: silent,
    keys: { describe: async () => undefined },
  });

/** IAM answering GetPolicy/GetPolicyVersion like the real service (URL-encoded document), recording calls. */
function recordedIam(versionId: string, failWith?: Error): IamReader & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async send(command: object) {
      const name = command.constructor.name;
      calls.push(name);
      if (failWith) throw failWith;
      if (name === 'GetPolicyCommand') {
        return {
          Policy: { PolicyName: 'gather-cache-test', Arn: ARN, DefaultVersionId: versionId, AttachmentCount: 1 },
        };
      }
      if (name === 'GetPolicyVersionCommand') {
        return {
          PolicyVersion: { Document: rfc3986(doc(allow('*', '*'))), VersionId: versionId, IsDefaultVersion: true },
        };
      }
      throw new Error(`unexpected ${name}`);
    },
  };
}

describe('gather in the Lambda', () => {
  it('reads an attached customer-managed policy once per version, then from the cache', async () => {
    const first = recordedIam('v7');
    const facts = await gatherEscalationFacts(item, ctx(), first);
    expect(first.calls).toEqual(['GetPolicyCommand', 'GetPolicyVersionCommand']);
    expect(facts.documents[ARN]?.source).toBe('iam');
    const again = recordedIam('v7');
    await gatherEscalationFacts(item, ctx(), again);
    expect(again.calls).toEqual(['GetPolicyCommand']);
    const newer = recordedIam('v8');
    await gatherEscalationFacts(item, ctx(), newer);
    expect(newer.calls).toEqual(['GetPolicyCommand', 'GetPolicyVersionCommand']);
  });

  it('records a policy IAM says does not exist as unresolved', async () => {
    const gone = Object.assign(new Error('Policy not found'), { name: 'NoSuchEntityException' });
    const facts = await gatherEscalationFacts(item, ctx(), recordedIam('v1', gone));
    expect(facts.unresolved[ARN]).toBe('IAM says it does not exist');
  });

  it('throws PolicyReadError when IAM denies the read, which the engine reports as an error, never COMPLIANT', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    await expect(gatherEscalationFacts(item, ctx(), recordedIam('v1', denied))).rejects.toBeInstanceOf(PolicyReadError);
    const rule = {
      ...noPrivilegeEscalation,
      gather: (i: typeof item, c: ReturnType<typeof ctx>) => gatherEscalationFacts(i, c, recordedIam('v1', denied)),
    };
    const [e] = await evaluateItem(rule, item, defaults, ctx());
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(e.findings.map((f) => f.code)).toEqual(['evaluation-error']);
  });
});

describe('the IAM actions gather calls', () => {
  it('are all declared in meta.permissions (groups, passable roles, customer-managed policies)', async () => {
    const calls = new Set<string>();
    const iam: IamReader = {
      async send(command: object) {
        const name = command.constructor.name.replace(/Command$/, '');
        calls.add(`iam:${name}`);
        if (name === 'GetPolicy') return { Policy: { DefaultVersionId: 'v1' } };
        if (name === 'GetPolicyVersion')
          return { PolicyVersion: { Document: rfc3986(doc(allow('s3:GetObject', '*'))) } };
        if (name === 'ListGroupPolicies' || name === 'ListRolePolicies')
          return { PolicyNames: ['inline'], IsTruncated: false };
        if (name === 'GetGroupPolicy' || name === 'GetRolePolicy')
          return { PolicyDocument: rfc3986(doc(allow('s3:GetObject', '*'))) };
        return {
          AttachedPolicies: [{ PolicyName: 'other', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/permissions-other` }],
          IsTruncated: false,
        };
      },
    };
    const passer = inGroups(
      user('passer', {
        inline: [
          [
            'p',
            doc(
              allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/target`),
              allow(['lambda:CreateFunction', 'lambda:InvokeFunction'], '*'),
            ),
          ],
        ],
        attached: [{ policyName: 'mine', policyArn: `arn:aws:iam::${ACCOUNT}:policy/permissions-mine` }],
      }),
      'devs',
    );
    await gatherEscalationFacts(normalizeConfigurationItem(deepFreeze(passer)), ctx(), iam);
    expect([...calls].sort()).toEqual([...noPrivilegeEscalation.meta.permissions].sort());
  });
});
