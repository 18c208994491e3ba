import { type App, type Environment, Tags } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { AnyRule } from '../rules/runtime/types';
import type { SuppressionEntry } from '../scan/findings/suppression-match';
import { type ResolvedRule, resolveRules } from './config/load';
import type { WardConfig } from './config/schema';
import { generatePack, isGlobalRule } from './packs/generate';
import { responderPropsFromConfig } from './responder-config';
import { HookStack } from './hook-stack';
import { ResponderStack } from './responder-stack';
import { OpsStack, type WatchedQueue } from './stacks/ops-stack';
import { OrganizationStack } from './stacks/organization-stack';
import { PackStack } from './stacks/pack-stack';
import { RecorderStack } from './stacks/recorder-stack';
import { RulesStack } from './stacks/rules-stack';

/** The stacks built for one region. */
export interface RegionStacks {
  readonly region: string;
  readonly rules?: RulesStack;
  readonly pack?: PackStack;
  readonly organization?: OrganizationStack;
  readonly recorder?: RecorderStack;
  readonly responder?: ResponderStack;
  readonly ops?: OpsStack;
  readonly hook?: HookStack;
}

/** Where to deploy when the configuration does not say: the CDK CLI's account and region. */
export interface DefaultEnvironment {
  readonly account?: string;
  readonly region?: string;
  /** The validated entries of the deployment's suppressions file, carried to the responder. */
  readonly suppressions?: readonly SuppressionEntry[];
}

/**
 * Builds ward's stacks into `app` for every configured region: the rule Lambdas, then individual Config rules
 * (mode `rules`), conformance packs (`pack`) or organization packs (`organization`); the responder, the ops
 * alarms and dashboard, and the optional recorder. Rules over global (IAM) resources and the organization-wide
 * pieces go to `globalResourcesRegion` only.
 */
export function buildWardApp(
  app: App,
  config: WardConfig,
  registry: readonly AnyRule[],
  defaults: DefaultEnvironment = {},
): RegionStacks[] {
  const regions = config.regions.length > 0 ? config.regions : defaults.region ? [defaults.region] : [];
  if (regions.length === 0)
    throw new Error('no region to deploy to: set "regions" in ward.config.json or AWS_REGION / a profile region');
  const account = config.account ?? defaults.account;
  for (const [k, v] of Object.entries(config.tags)) Tags.of(app).add(k, v);
  const resolved = resolveRules(config, registry);
  // Rules over global resources, and the organization-wide pieces (member role, aggregator), are deployed once.
  const globalRegion = config.globalResourcesRegion ?? regions[0];
  return regions.map((region) =>
    buildRegion(app, config, resolved, { account, region }, globalRegion, defaults.suppressions),
  );
}

function buildRegion(
  app: App,
  config: WardConfig,
  allRules: readonly ResolvedRule[],
  env: Environment & { region: string },
  globalRegion: string,
  suppressions: readonly SuppressionEntry[] | undefined,
): RegionStacks {
  const { region } = env;
  const isGlobalRegion = region === globalRegion;
  const rules = allRules.filter((r) => isGlobalRegion || !isGlobalRule(r.rule));
  const suffix = `-${region}`;
  const out: { -readonly [K in keyof RegionStacks]: RegionStacks[K] } = { region };
  const description = (what: string) => `ward ${what} (${config.mode} mode)`;

  if (config.recorder.create)
    out.recorder = new RecorderStack(app, `WardRecorder${suffix}`, {
      env,
      description: description('Config recorder and delivery channel'),
      includeGlobalResourceTypes: isGlobalRegion && config.recorder.includeGlobalResourceTypes,
      createServiceLinkedRole: config.recorder.createServiceLinkedRole,
    });

  if (rules.length > 0) {
    const organization = config.mode === 'organization';
    out.rules = new RulesStack(app, `WardRules${suffix}`, {
      env,
      description: description('rule Lambdas'),
      rules,
      createConfigRules: config.mode === 'rules',
      lambda: config.lambda,
      invoker: organization
        ? {
            kind: 'organization',
            organizationId: config.organization.organizationId as string,
            memberRoleName: config.organization.memberRoleName,
            memberAccountIds: config.organization.memberAccountIds,
          }
        : { kind: 'account' },
    });
    if (out.recorder) out.rules.addStackDependency(out.recorder);
    if (config.mode !== 'rules') {
      const functionArns = Object.fromEntries(out.rules.functions.map((f) => [f.rule.meta.id, f.function.functionArn]));
      const ruleParameters = Object.fromEntries(rules.map((r) => [r.rule.meta.id, r.inputParameters]));
      const parameterValues = Object.fromEntries(rules.map((r) => [r.rule.meta.id, r.parameters]));
      const ruleObjects = rules.map((r) => r.rule);
      const packOptions = { name: config.pack.name, includeManagedRules: config.pack.includeManagedRules };
      const packs = [generatePack(ruleObjects, 'regional', packOptions, parameterValues)];
      if (isGlobalRegion) packs.push(generatePack(ruleObjects, 'global', packOptions, parameterValues));
      const nonEmpty = packs.filter((p) => Object.keys(p.template.Resources).length > 0);
      if (organization) {
        out.organization = new OrganizationStack(app, `WardOrganization${suffix}`, {
          env,
          description: description('organization conformance packs, member role and aggregator'),
          organizationId: config.organization.organizationId as string,
          packs: nonEmpty,
          functionArns,
          ruleParameters,
          excludedAccountIds: config.organization.excludedAccountIds,
          organizationWide: isGlobalRegion,
          memberRoleName: config.organization.memberRoleName,
          targetOrganizationalUnitIds: config.organization.targetOrganizationalUnitIds,
          rules: allRules.map((r) => r.rule),
        });
        out.organization.addStackDependency(out.rules);
      } else {
        out.pack = new PackStack(app, `WardPack${suffix}`, {
          env,
          description: description('conformance packs'),
          packs: nonEmpty,
          functionArns,
          ruleParameters,
        });
        out.pack.addStackDependency(out.rules);
      }
    }
  }

  if (config.responder.enabled) {
    out.responder = new ResponderStack(app, `WardResponder${suffix}`, {
      env,
      description: description('responder'),
      ...responderPropsFromConfig(
        config,
        allRules.map((r) => r.rule),
        suppressions,
      ),
    });
    allowCloudWatchAlarms(out.responder);
  }

  if (config.hook.enabled) {
    out.hook = new HookStack(app, `WardHook${suffix}`, {
      env,
      description: description('CloudFormation hook'),
      failureMode: config.hook.failureMode,
      targets: config.hook.targets,
      ruleParameters: Object.fromEntries(allRules.map((r) => [r.rule.meta.id, r.parameters])),
    });
  }

  const failureQueues: WatchedQueue[] = [];
  if (out.rules) failureQueues.push({ id: 'rule-failures', queue: out.rules.failureQueue });
  if (out.responder)
    failureQueues.push(
      { id: 'responder-failures', queue: out.responder.failureQueue },
      { id: 'responder-subscription-dlq', queue: out.responder.subscriptionDeadLetterQueue },
    );
  out.ops = new OpsStack(app, `WardOps${suffix}`, {
    env,
    description: description('alarms and dashboard'),
    ruleIds: rules.map((r) => r.rule.meta.id),
    failureQueues,
    responder: out.responder
      ? { function: out.responder.responder, logGroup: out.responder.responder.logGroup }
      : undefined,
    alertsTopic: out.responder?.alertsTopic,
    alertEmails: config.alerts.emails,
    alertHttpsEndpoints: config.alerts.httpsEndpoints,
  });
  if (out.rules) out.ops.addStackDependency(out.rules);
  if (out.responder) out.ops.addStackDependency(out.responder);
  return out;
}

/**
 * The ops alarms publish to the responder's alerts topic, which is encrypted with the responder's key: let
 * CloudWatch use the key and publish to the topic, for this account only.
 */
function allowCloudWatchAlarms(responder: ResponderStack): void {
  const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const thisAccount = { StringEquals: { 'aws:SourceAccount': responder.account } };
  responder.key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      principals: [cloudwatch],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: thisAccount,
    }),
  );
  responder.alertsTopic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      principals: [cloudwatch],
      actions: ['sns:Publish'],
      resources: [responder.alertsTopic.topicArn],
      conditions: thisAccount,
    }),
  );
}
