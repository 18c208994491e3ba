import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnConfigRule } from 'aws-cdk-lib/aws-config';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, MetricFilter, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ResolvedRule } from '../config/load';
import { bundleLambdas, ruleHandlerEntry } from '../bundling';
import { logsKeyStatement } from '../constructs/logs-key-statement';
import { type ConfigInvoker, RuleFunction } from '../constructs/rule-function';

/** CloudWatch namespace of ward's own metrics (from the rule Lambdas' JSON logs). */
export const METRIC_NAMESPACE = 'Ward';

/** Props of {@link RulesStack}. */
export interface RulesStackProps extends StackProps {
  /** The rules to deploy, with resolved parameters. */
  readonly rules: readonly ResolvedRule[];
  /** Also create the Config rules `ward-<id>` (rules mode); false when a pack creates them. */
  readonly createConfigRules: boolean;
  readonly lambda: {
    readonly memorySize: number;
    readonly timeoutSeconds: number;
    readonly logRetentionDays: number;
    readonly logLevel: string;
  };
  /** @default Config of this account */
  readonly invoker?: ConfigInvoker;
}

/**
 * The rule Lambdas (one per rule, each with its own role), their KMS key and failure queue, the metric
 * filters that count evaluations per rule, and in rules mode the Config rules themselves.
 */
export class RulesStack extends Stack {
  readonly functions: readonly RuleFunction[];
  readonly key: Key;
  readonly failureQueue: Queue;
  readonly configRules: readonly CfnConfigRule[];

  constructor(scope: Construct, id: string, props: RulesStackProps) {
    super(scope, id, props);
    if (props.rules.length === 0) throw new Error('RulesStack props.rules: no rules to deploy (all disabled?)');

    this.key = new Key(this, 'Key', {
      description: 'ward rules: rule Lambda log groups and failure queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the rule log groups with this key, only for log groups of this account.
    this.key.addToResourcePolicy(logsKeyStatement(this, 'AllowLogsForWardLogGroups', '/aws/lambda/ward-*'));
    this.failureQueue = new Queue(this, 'RuleFailures', {
      queueName: 'ward-rule-failures',
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the on-failure destination of the rule Lambdas.',
    });

    const bundles = bundleLambdas(props.rules.map((r) => ruleHandlerEntry(r.rule.meta.id)));
    const retention = props.lambda.logRetentionDays as RetentionDays;
    const configRules: CfnConfigRule[] = [];
    this.functions = props.rules.map((resolved) => {
      const { meta } = resolved.rule;
      const fn = new RuleFunction(this, `Rule-${meta.id}`, {
        rule: resolved.rule,
        bundleDir: bundles.get(ruleHandlerEntry(meta.id)) as string,
        key: this.key,
        failureQueue: this.failureQueue,
        memorySize: props.lambda.memorySize,
        timeoutSeconds: props.lambda.timeoutSeconds,
        logRetention: retention,
        logLevel: props.lambda.logLevel,
        invoker: props.invoker,
      });
      new MetricFilter(fn, 'Evaluations', {
        logGroup: fn.logGroup,
        filterPattern: FilterPattern.stringValue('$.msg', '=', 'evaluation'),
        metricNamespace: METRIC_NAMESPACE,
        metricName: 'Evaluations',
        metricValue: '1',
        dimensions: { Rule: '$.rule', Compliance: '$.compliance' },
      });
      if (props.createConfigRules) configRules.push(this.configRule(resolved, fn));
      return fn;
    });
    this.configRules = configRules;
  }

  private configRule(resolved: ResolvedRule, fn: RuleFunction): CfnConfigRule {
    const { meta } = resolved.rule;
    const sourceDetails: CfnConfigRule.SourceDetailProperty[] = [];
    if (meta.trigger.onChange) {
      sourceDetails.push({ eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' });
      sourceDetails.push({ eventSource: 'aws.config', messageType: 'OversizedConfigurationItemChangeNotification' });
    }
    if (meta.trigger.periodic)
      sourceDetails.push({
        eventSource: 'aws.config',
        messageType: 'ScheduledNotification',
        maximumExecutionFrequency: meta.trigger.periodic,
      });
    const rule = new CfnConfigRule(this, `ConfigRule-${meta.id}`, {
      configRuleName: `ward-${meta.id}`,
      description: meta.title,
      scope: meta.trigger.onChange ? { complianceResourceTypes: [...meta.resourceTypes] } : undefined,
      inputParameters: Object.keys(resolved.inputParameters).length > 0 ? resolved.inputParameters : undefined,
      source: { owner: 'CUSTOM_LAMBDA', sourceIdentifier: fn.function.functionArn, sourceDetails },
    });
    // Config checks the invoke permission when the rule is created.
    for (const permission of fn.permissions) rule.addResourceDependency(permission);
    return rule;
  }
}
