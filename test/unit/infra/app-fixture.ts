import { existsSync } from 'node:fs';
import { App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildWardApp, type RegionStacks } from '../../../infra/build-app';
import { ruleHandlerEntry } from '../../../infra/bundling';
import { parseWardConfig } from '../../../infra/config/load';
import type { WardConfig } from '../../../infra/config/schema';
import { rules } from '../../../rules';

/** The account and regions the infra tests synthesize for. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const GLOBAL_REGION = 'us-east-1';
export const ORG_ID = 'o-abcdefghij';
export const OU = 'ou-abcd-12345678';
export const MEMBERS = ['111111111111', '222222222222'];

/**
 * The registry rules whose Lambda entry (rules/<id>/handler.ts) exists: every rule should have one, and the
 * app fails to bundle a rule without it; the filter only spares these tests a rule that is mid-change.
 */
export const deployableRules = rules.filter((r) => existsSync(ruleHandlerEntry(r.meta.id)));

/** A rule id that judges global (IAM) resources, if the registry has one. */
export const globalRuleIds = deployableRules.filter((r) => r.meta.global).map((r) => r.meta.id);

/**
 * Synthesizes the whole app for a raw configuration, validated as ward.config.json is. CDK's built-in
 * CloudFormation validation (a WASM validator, ~5 s per app) is off here: cfn-lint.test.ts lints every template.
 */
export function synthApp(raw: Record<string, unknown> = {}): { app: App; stacks: RegionStacks[]; config: WardConfig } {
  const config = parseWardConfig(
    { account: ACCOUNT, regions: [REGION], globalResourcesRegion: GLOBAL_REGION, ...raw },
    deployableRules,
  );
  const app = new App({ builtinCloudFormationValidation: false });
  const stacks = buildWardApp(app, config, deployableRules);
  return { app, stacks, config };
}

/** Every stack built, over all regions. */
export function allStacks(stacks: readonly RegionStacks[]): Stack[] {
  return stacks.flatMap((s) =>
    [s.recorder, s.rules, s.pack, s.organization, s.responder, s.ops, s.hook].filter(
      (x): x is NonNullable<typeof x> => !!x,
    ),
  );
}

/** cdk-nag AwsSolutions violations of a stack as `rule at path` strings (empty when clean). */
export function nagViolations(app: App, stack: Stack): string[] {
  const report = new AwsSolutionsChecks(app).validateScope(stack);
  return report.violations.map((v) => `${v.ruleName} at ${JSON.stringify(v.violatingResources ?? v)}`.slice(0, 400));
}
