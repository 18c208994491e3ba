import { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { resolveRules } from '../../../infra/config/load';
import { evaluateItem } from '../../../rules/runtime/engine';
import { createLogger } from '../../../rules/runtime/logger';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import type { Evaluation } from '../../../rules/runtime/types';
import {
  ACCOUNT,
  allStacks,
  deployableRules,
  GLOBAL_REGION,
  MEMBERS,
  ORG_ID,
  OU,
  REGION,
  synthApp,
} from './app-fixture';
import { templateItems } from './template-items';

// Every key in our templates is ours (customer-managed, in this account).
const keys = {
  describe: async (ref: string) => ({
    arn: ref,
    keyId: ref.split('/').pop(),
    accountId: ACCOUNT,
    manager: 'CUSTOMER' as const,
  }),
};
const silent = createLogger({}, { write: () => undefined });

async function judgeStacks(raw: Record<string, unknown>) {
  const { stacks, config } = synthApp(raw);
  const resolved = new Map(resolveRules(config, deployableRules).map((r) => [r.rule.meta.id, r.parameters]));
  const results: { stack: string; evaluation: Evaluation }[] = [];
  let judged = 0;
  for (const stack of allStacks(stacks)) {
    const items = templateItems(Template.fromStack(stack).toJSON(), ACCOUNT, stack.region);
    const ctx = createRuleContext({ mode: 'snapshot', accountId: ACCOUNT, region: stack.region, logger: silent, keys });
    for (const item of items)
      for (const rule of deployableRules) {
        if (!rule.meta.resourceTypes.includes(item.resourceType)) continue;
        // The parameters as deployed: the configuration's, with its trusted accounts merged in.
        const params = z.parse(rule.meta.parameters, resolved.get(rule.meta.id) ?? {});
        for (const evaluation of await evaluateItem(rule, item, params, ctx)) {
          judged += 1;
          results.push({ stack: stack.stackName, evaluation });
        }
      }
  }
  return { results, judged };
}

const summary = (r: { stack: string; evaluation: Evaluation }) =>
  `${r.stack} ${r.evaluation.resourceType} ${r.evaluation.resourceId}: ${r.evaluation.findings.map((f) => `${f.code} (${f.message})`).join('; ')}`;

describe("ward's own rules on ward's own stacks", () => {
  it.each([
    ['rules mode with the recorder', { recorder: { create: true }, regions: [REGION, GLOBAL_REGION] }],
    [
      // The member accounts' Config invokes the central Lambdas: the deployer trusts its own members.
      'organization mode, members trusted',
      {
        mode: 'organization',
        regions: [GLOBAL_REGION],
        trustedAccountIds: MEMBERS,
        organization: { organizationId: ORG_ID, targetOrganizationalUnitIds: [OU], memberAccountIds: MEMBERS },
      },
    ],
  ])('finds nothing non-compliant in %s', async (_name, raw) => {
    const { results, judged } = await judgeStacks(raw);
    // The check must judge something: roles, topics, queues, keys and functions are all in scope of some rule.
    expect(judged).toBeGreaterThan(10);
    expect(results.filter((r) => r.evaluation.compliance === 'NON_COMPLIANT').map(summary)).toEqual([]);
  });

  it('would notice a role with a wildcard resource in its policy (the check is live)', async () => {
    const wildcard = deployableRules.find((r) => r.meta.id === 'no-wildcard-actions');
    if (!wildcard) return;
    const [item] = templateItems(
      {
        Resources: {
          Bad: {
            Type: 'AWS::IAM::Role',
            Properties: {
              RoleName: 'bad',
              AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
              Policies: [
                {
                  PolicyName: 'all',
                  PolicyDocument: {
                    Version: '2012-10-17',
                    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
                  },
                },
              ],
            },
          },
        },
      },
      ACCOUNT,
      REGION,
    );
    const ctx = createRuleContext({ mode: 'snapshot', accountId: ACCOUNT, region: REGION, logger: silent, keys });
    const [e] = await evaluateItem(wildcard, item, z.parse(wildcard.meta.parameters, {}), ctx);
    expect(e.compliance).toBe('NON_COMPLIANT');
  });
});
