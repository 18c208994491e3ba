import { rmSync } from 'node:fs';
import { z } from 'zod';
import { resolveRules } from '../../../infra/config/load';
import { evaluateItem } from '../../../rules/runtime/engine';
import { createLogger } from '../../../rules/runtime/logger';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import type { AnyRule, Evaluation } from '../../../rules/runtime/types';
import { readCloudAssembly } from '../../../scan/inputs/cdk-assembly';
import { judgeTemplateItems } from '../../../scan/inputs/template-judge';
import { ACCOUNT, deployableRules, GLOBAL_REGION, MEMBERS, ORG_ID, OU, REGION, synthApp } from './app-fixture';
import { templateItems } from './template-items';
import { runWard } from '../scan/findings-harness';

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

/**
 * Synthesizes the app into a cloud assembly and scans it with the scanner itself (the CDK assembly input and
 * the template judge), with the rule parameters as deployed.
 */
async function judgeStacks(raw: Record<string, unknown>) {
  const { app, config } = synthApp(raw);
  const assembly = app.synth();
  try {
    const resolved = new Map(resolveRules(config, deployableRules).map((r) => [r.rule.meta.id, r.parameters]));
    const params = new Map<AnyRule, unknown>(
      deployableRules.map((rule) => [rule, z.parse(rule.meta.parameters, resolved.get(rule.meta.id) ?? {})]),
    );
    const { items, notes } = readCloudAssembly(assembly.directory);
    const results: { stack: string; evaluation: Evaluation }[] = [];
    await judgeTemplateItems({
      items,
      rules: deployableRules.filter((r) => r.meta.trigger.onChange),
      params,
      logger: silent,
      onEvaluation: (_rule, evaluation, source) => results.push({ stack: source.location?.file ?? '', evaluation }),
    });
    return { results, judged: results.length, notes, items: items.length };
  } finally {
    rmSync(assembly.directory, { recursive: true, force: true });
  }
}

const summary = (r: { stack: string; evaluation: Evaluation }) =>
  `${r.stack} ${r.evaluation.resourceType} ${r.evaluation.resourceId}: ${r.evaluation.findings.map((f) => `${f.code} (${f.message})`).join('; ')}`;

describe("ward's own rules on ward's own stacks", () => {
  it.each([
    [
      'rules mode with the recorder and the hook',
      { recorder: { create: true }, regions: [REGION, GLOBAL_REGION], hook: { enabled: true } },
    ],
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
    const { results, judged, notes } = await judgeStacks(raw);
    // The check must judge something: roles, topics, queues, keys and functions are all in scope of some rule.
    expect(judged).toBeGreaterThan(10);
    expect(notes).toEqual([]);
    expect(results.filter((r) => r.evaluation.compliance === 'NON_COMPLIANT').map(summary)).toEqual([]);
  });

  it('`ward scan cdk.out` on the synthesized app exits 0 with --fail-on informational and judges every item', async () => {
    const { app, config } = synthApp({
      recorder: { create: true },
      regions: [REGION, GLOBAL_REGION],
      hook: { enabled: true },
    });
    const assembly = app.synth();
    try {
      const resolved = resolveRules(config, deployableRules);
      const r = await runWard([assembly.directory], {
        format: 'json',
        failOn: 'informational',
        configRules: resolved.map((x) => x.rule.meta.id),
        configParams: Object.fromEntries(resolved.map((x) => [x.rule.meta.id, x.parameters])),
      });
      const report = JSON.parse(r.stdout) as {
        summary: { notJudged: { count: number }; inputs: { layout: string; items: number }[] };
        evaluations: { compliance: string; location: { file: string; line: number } | null }[];
      };
      expect(r.stderr).toBe('');
      expect(report.summary.notJudged.count).toBe(0);
      expect(report.summary.inputs).toEqual([expect.objectContaining({ layout: 'cdk-assembly' })]);
      expect(report.evaluations.length).toBeGreaterThan(10);
      expect(report.evaluations.filter((e) => e.compliance === 'NON_COMPLIANT')).toEqual([]);
      // Every evaluation points at its stack template and line (the app is synthesized without path metadata).
      for (const e of report.evaluations) {
        expect(e.location?.file).toMatch(/Ward[A-Za-z]+-[a-z0-9-]+\.template\.json$/);
        expect(e.location?.line).toBeGreaterThan(1);
      }
      expect(r.code).toBe(0);
    } finally {
      rmSync(assembly.directory, { recursive: true, force: true });
    }
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
