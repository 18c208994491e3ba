import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { rules as registryRules } from '../rules';
import type { AnyRule } from '../rules/runtime/types';
import { runbookReach, type RunbookReach } from '../responder/runbook-modes';
import { parseResponderSettings } from '../responder/settings';
import { PACKAGED_SUPPRESSIONS_FILE, SUPPRESSIONS_FILE_ENV } from '../responder/suppressions';
import { ruleMaxSeverity } from '../scan/findings/severity';
import type { SuppressionEntry } from '../scan/findings/suppression-match';
import { bundleLambda } from './bundling';
import { MANAGED_RULES, managedRuleName } from './packs/managed-rules';
import { projectRoot } from './paths';
import { reachedPermissions, responderStatements } from './responder-permissions';
import { packageSuppressions } from './responder-suppressions';
import { AUDIT_TABLE_CHANGES, AUDIT_TAMPER_ACTIONS, createAuditTable, createStateTable } from './responder-tables';
import { logsKeyStatement } from './constructs/logs-key-statement';

/** A response mode per rule: `notify` (default), `dry-run` or `auto`. */
export type ResponderMode = 'notify' | 'dry-run' | 'auto';

/** Props of {@link ResponderStack}; every one has a safe default (notify only, no automation). */
export interface ResponderStackProps extends StackProps {
  /** Email addresses subscribed to the alerts topic. @default none */
  readonly alertEmails?: readonly string[];
  /** HTTPS endpoints (chat relays, webhooks) subscribed to the alerts topic. @default none */
  readonly alertHttpsEndpoints?: readonly string[];
  /** Mode per rule: Config rule name (`ward-encrypted-at-rest`) or ward rule id -> mode. @default {} */
  readonly modes?: Readonly<Record<string, ResponderMode>>;
  /** Mode of rules not in `modes`. @default 'notify' */
  readonly defaultMode?: ResponderMode;
  /** When true the responder changes nothing anywhere (alerts only). @default false */
  readonly killSwitch?: boolean;
  /** Automatic changes per account per hour before the responder falls back to notify. @default 10 */
  readonly maxAutoChangesPerHour?: number;
  /** Window in which repeated changes of one rule and resource collapse into one alert. @default 60 */
  readonly flapWindowMinutes?: number;
  /**
   * The customer-managed KMS key runbooks encrypt resources with (S3, SNS, SQS, DynamoDB). Its policy must let
   * the AWS services that publish to your topics use it. Without it, runbooks that need a key only notify,
   * S3 falls back to SSE-S3 and SQS to SSE-SQS. @default none
   */
  readonly remediationKeyArn?: string;
  /** Accounts trusted besides this one (KMS grants to them are not revoked). @default none */
  readonly trustedAccountIds?: readonly string[];
  /**
   * Config rule names (or name prefixes) of the AWS managed rules of the pack whose changes the responder
   * also receives, besides every `ward-*` rule. @default none
   */
  readonly managedRuleNames?: readonly string[];
  /** Rule parameters per ward rule id, used when the responder re-runs a rule. @default {} */
  readonly ruleParameters?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Base URL of the runbook playbooks (`<id>.md` is appended), e.g. your fork's `.../blob/main/runbooks/`. @default the path `runbooks/<id>.md` */
  readonly runbookBaseUrl?: string;
  /** The deployed ward rules (their titles and severities go to the alerts). @default the registry */
  readonly rules?: readonly AnyRule[];
  /**
   * Suppression entries (validated, as `ward scan` loads them): packaged with the responder, which neither
   * alerts nor remediates the findings they cover until they expire. @default none
   */
  readonly suppressions?: readonly SuppressionEntry[];
  /**
   * Also import each compliance change of a ward rule into Security Hub of this account (BatchImportFindings
   * into the account's default product, the finding `ward scan --to securityhub` writes). @default false
   */
  readonly forwardToSecurityHub?: boolean;
}

const MODES: readonly string[] = ['notify', 'dry-run', 'auto'];

/** The responder Lambda's entry (bundled with esbuild by infra/bundling.ts). */
export function responderEntry(): string {
  return join(projectRoot(), 'responder', 'handler.ts');
}

/** An EventBridge target for the topic without CDK's blanket grant: the topic policy names this rule. */
function topicTarget(topicArn: string): IRuleTarget {
  return { bind: () => ({ arn: topicArn }) };
}

/**
 * BatchImportFindings into this account's default product in this region, and nothing else: the action's
 * only resource type is `product` (service authorization reference), and the default product accepts findings
 * of its own account only. Global (IAM) findings are imported in this region too.
 */
export function forwardStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'ForwardToSecurityHub',
    actions: ['securityhub:BatchImportFindings'],
    resources: [`arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`],
  });
}

/** The EventBridge rule's name (one responder per account and region, like the topic names). */
export const COMPLIANCE_CHANGE_RULE_NAME = 'ward-compliance-change';

/** The responder's log group (named, so its key policy names it exactly, not every log group of the account). */
export const RESPONDER_LOG_GROUP_NAME = '/ward/responder';

/**
 * The incident responder: EventBridge rule for `Config Rules Compliance Change` of ward's rules (and the
 * pack's managed rules) -> encrypted SNS topic `compliance-events` -> responder Lambda (subscription DLQ,
 * on-failure destination) -> `alerts` topic; an append-only DynamoDB audit table and a state table (locks,
 * counters, flapping, kill switch); a role holding the runbook actions the configured modes need, no more.
 */
export class ResponderStack extends Stack {
  /** The key encrypting the topics, queues and audit table (not the remediation key). */
  readonly key: Key;
  readonly complianceEventsTopic: Topic;
  readonly alertsTopic: Topic;
  readonly auditTable: TableV2;
  /** Locks, hourly counters, flapping state and the kill switch: everything the responder updates. */
  readonly stateTable: TableV2;
  readonly role: Role;
  /** What the configured modes let the responder read and change. */
  readonly reach: RunbookReach;
  readonly responder: LambdaFunction;
  /** The responder's log group (JSON logs; `event handled` lines carry `action` and `outcome`). */
  readonly logGroup: LogGroup;
  /** Where SNS puts messages it could not deliver to the responder. */
  readonly subscriptionDeadLetterQueue: Queue;
  /** Where Lambda puts events the responder failed on after its retries (with the error). */
  readonly failureQueue: Queue;
  readonly rule: Rule;

  /** The queues whose messages mean the responder failed, for the ops stack's alarms. */
  get failureQueues(): { readonly id: string; readonly queue: Queue }[] {
    return [
      { id: 'responder-subscription-dlq', queue: this.subscriptionDeadLetterQueue },
      { id: 'responder-failures', queue: this.failureQueue },
    ];
  }

  constructor(scope: Construct, id: string, props: ResponderStackProps = {}) {
    super(scope, id, props);
    for (const [rule, mode] of Object.entries(props.modes ?? {}))
      if (!MODES.includes(mode))
        throw new Error(`ResponderStack props.modes.${rule}: ${mode} is not notify, dry-run or auto`);
    if (props.defaultMode && !MODES.includes(props.defaultMode))
      throw new Error(`ResponderStack props.defaultMode: ${props.defaultMode} is not notify, dry-run or auto`);
    const cap = props.maxAutoChangesPerHour ?? 10;
    if (!Number.isInteger(cap) || cap < 0)
      throw new Error('ResponderStack props.maxAutoChangesPerHour must be an integer >= 0');
    const flap = props.flapWindowMinutes ?? 60;
    if (!Number.isInteger(flap) || flap < 1)
      throw new Error('ResponderStack props.flapWindowMinutes must be an integer >= 1');
    for (const e of props.alertEmails ?? [])
      if (!/^[^@\s]+@[^@\s]+$/.test(e))
        throw new Error(`ResponderStack props.alertEmails: ${e} is not an email address`);
    for (const u of props.alertHttpsEndpoints ?? [])
      if (!u.startsWith('https://'))
        throw new Error(`ResponderStack props.alertHttpsEndpoints: ${u} is not an https:// URL`);

    this.key = new Key(this, 'Key', {
      description: 'ward responder: compliance-events and alerts topics, queues, audit table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const ruleNames = (props.managedRuleNames ?? []).map((n) => ({ prefix: n }));
    this.rule = new Rule(this, 'ComplianceChange', {
      // Named, so the key policy can name it without a reference (key -> rule -> topic -> key is a cycle).
      ruleName: COMPLIANCE_CHANGE_RULE_NAME,
      description: 'Config compliance changes of ward rules (and the pack managed rules) to the responder',
      eventPattern: {
        source: ['aws.config'],
        detailType: ['Config Rules Compliance Change'],
        detail: { configRuleName: [{ prefix: 'ward-' }, ...ruleNames] },
      },
    });
    // EventBridge publishes to the encrypted topic: only for this rule (the source rule), and only for the
    // compliance-events topic (SNS puts the topic ARN in the encryption context of every data key it asks for).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowEventBridgeToPublish',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'aws:SourceArn': `arn:${this.partition}:events:${this.region}:${this.account}:rule/${COMPLIANCE_CHANGE_RULE_NAME}`,
          },
          StringEquals: {
            'aws:SourceAccount': this.account,
            'kms:EncryptionContext:aws:sns:topicArn': `arn:${this.partition}:sns:${this.region}:${this.account}:compliance-events`,
          },
        },
      }),
    );
    // The responder's log group, and no other, is encrypted with this key.
    this.key.addToResourcePolicy(logsKeyStatement(this, 'AllowResponderLogs', RESPONDER_LOG_GROUP_NAME));
    // CloudWatch alarms (ops stack) publish to the alerts topic; SNS writes to the encrypted dead-letter queue.
    for (const service of ['cloudwatch.amazonaws.com', 'sns.amazonaws.com'])
      this.key.addToResourcePolicy(
        new PolicyStatement({
          sid: `Allow${service.split('.')[0]}`,
          principals: [new ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );

    this.complianceEventsTopic = new Topic(this, 'ComplianceEvents', {
      topicName: 'compliance-events',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alertsTopic = new Topic(this, 'Alerts', { topicName: 'alerts', masterKey: this.key, enforceSSL: true });
    for (const e of props.alertEmails ?? []) this.alertsTopic.addSubscription(new EmailSubscription(e));
    for (const u of props.alertHttpsEndpoints ?? []) this.alertsTopic.addSubscription(new UrlSubscription(u));

    this.rule.addTarget(topicTarget(this.complianceEventsTopic.topicArn));
    this.complianceEventsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheComplianceChangeRule',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.complianceEventsTopic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );

    this.auditTable = createAuditTable(this, this.key);
    this.stateTable = createStateTable(this, this.key);

    const queue = (name: string) =>
      new Queue(this, name, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    this.subscriptionDeadLetterQueue = queue('SubscriptionDeadLetters');
    this.failureQueue = queue('ResponderFailures');

    const logGroup = (this.logGroup = new LogGroup(this, 'ResponderLogs', {
      logGroupName: RESPONDER_LOG_GROUP_NAME,
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    const role = (this.role = new Role(this, 'ResponderRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'ward responder: runbook actions of the configured modes, append to audit, state, alerts',
    }));
    this.reach = runbookReach(
      parseResponderSettings({ modes: props.modes ?? {}, defaultMode: props.defaultMode ?? 'notify' }),
      props.managedRuleNames,
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    for (const s of responderStatements(this.reach, props.remediationKeyArn)) role.addToPolicy(s);
    // The audit table: append (PutItem; the code conditions every write on attribute_not_exists, which IAM cannot
    // require), read a response's history (Query) and an item (GetItem), only in response partitions (event#...).
    // Nothing that updates or deletes; not the index either (only `ward audit` lists by resource).
    role.addToPolicy(
      new PolicyStatement({
        sid: 'AppendAudit',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        resources: [this.auditTable.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['event#*'] } },
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        sid: 'State',
        actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.stateTable.tableArn],
      }),
    );
    // A runbook may hold dynamodb:UpdateTable on this account's tables (dynamodb-use-customer-managed-key in
    // auto): never on the audit table, nor anything else that would change or drop its records.
    role.addToPolicy(
      new PolicyStatement({
        sid: 'NeverTamperWithTheAudit',
        effect: Effect.DENY,
        actions: [...AUDIT_TAMPER_ACTIONS, ...AUDIT_TABLE_CHANGES],
        resources: [this.auditTable.tableArn, `${this.auditTable.tableArn}/*`],
      }),
    );
    if (props.forwardToSecurityHub) role.addToPolicy(forwardStatement());
    this.key.grantEncryptDecrypt(role);
    this.alertsTopic.grantPublish(role);

    this.responder = new LambdaFunction(this, 'Responder', {
      description: 'ward incident responder: alerts, dry runs and runbooks for Config compliance changes',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(
        props.suppressions
          ? packageSuppressions(bundleLambda(responderEntry()), props.suppressions)
          : bundleLambda(responderEntry()),
      ),
      memorySize: 512,
      timeout: Duration.minutes(2),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      retryAttempts: 2,
      onFailure: new SqsDestination(this.failureQueue),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        WARD_ACCOUNT_ID: this.account,
        WARD_AUDIT_TABLE: this.auditTable.tableName,
        WARD_STATE_TABLE: this.stateTable.tableName,
        WARD_ALERTS_TOPIC_ARN: this.alertsTopic.topicArn,
        WARD_MODES: JSON.stringify(props.modes ?? {}),
        WARD_DEFAULT_MODE: props.defaultMode ?? 'notify',
        WARD_KILL_SWITCH: String(props.killSwitch ?? false),
        WARD_MAX_AUTO_CHANGES_PER_HOUR: String(cap),
        WARD_FLAP_WINDOW_MINUTES: String(flap),
        WARD_TRUSTED_ACCOUNT_IDS: (props.trustedAccountIds ?? []).join(','),
        WARD_RULE_PARAMETERS: JSON.stringify(props.ruleParameters ?? {}),
        WARD_RULE_TITLES: JSON.stringify(
          Object.fromEntries([
            ...(props.rules ?? registryRules).map((r) => [r.meta.id, r.meta.title]),
            // The pack's managed rules are named ward-aws-<identifier>: their alerts carry AWS's description.
            ...MANAGED_RULES.map((m) => [managedRuleName(m.identifier).slice('ward-'.length), m.description]),
          ]),
        ),
        WARD_RULE_SEVERITIES: JSON.stringify(
          Object.fromEntries((props.rules ?? registryRules).map((r) => [r.meta.id, ruleMaxSeverity(r)])),
        ),
        ...(props.suppressions ? { [SUPPRESSIONS_FILE_ENV]: PACKAGED_SUPPRESSIONS_FILE } : {}),
        ...(props.remediationKeyArn ? { WARD_REMEDIATION_KEY_ARN: props.remediationKeyArn } : {}),
        ...(props.runbookBaseUrl ? { WARD_RUNBOOK_BASE_URL: props.runbookBaseUrl } : {}),
        ...(props.forwardToSecurityHub ? { WARD_FORWARD_TO_SECURITY_HUB: 'true' } : {}),
      },
    });
    this.complianceEventsTopic.addSubscription(
      new LambdaSubscription(this.responder, { deadLetterQueue: this.subscriptionDeadLetterQueue }),
    );
    new CfnOutput(this, 'AuditTableName', {
      value: this.auditTable.tableName,
      description: 'ward audit/rollback --table (or WARD_AUDIT_TABLE)',
    });
    new CfnOutput(this, 'StateTableName', {
      value: this.stateTable.tableName,
      description: 'ward respond --state-table (or WARD_STATE_TABLE); the kill switch item lives here',
    });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alertsTopic.topicArn });
    new CfnOutput(this, 'ComplianceEventsTopicArn', { value: this.complianceEventsTopic.topicArn });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl });
    this.suppressNag(role);
  }

  /** cdk-nag findings that are deliberate, each with the reason. */
  private suppressNag(role: Role): void {
    const rulePermissions = this.reach.rules.flatMap((r) => r.meta.permissions);
    // cdk-nag v3 acknowledges each wildcard finding on its own: name every one we mean.
    const reason =
      'Runbooks act on resources not known at deploy time (any non-compliant bucket, topic, queue, table, key ' +
      'or user of this account): the actions are the runbooks declared ones and every resource is scoped to ' +
      'this account and region as far as the service allows.';
    const wildcardResources = new Set(
      reachedPermissions(this.reach)
        .map((p) => p.resource)
        .filter((r) => r.includes('*') && !r.includes('${KeyArn}'))
        .map((r) =>
          r
            .replace(/\$\{Partition\}/g, '<AWS::Partition>')
            .replace(/\$\{Region\}/g, '<AWS::Region>')
            .replace(/\$\{Account\}/g, '<AWS::AccountId>'),
        ),
    );
    for (const r of wildcardResources)
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${r}]`, reason });
    if (rulePermissions.length > 0)
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'The rules re-run before acting read resources of any kind in the account (their declared read actions).',
      });
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*'])
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'CDK grant for the encrypted tables and alerts topic, limited to the stack key.',
      });
    for (const q of [this.subscriptionDeadLetterQueue, this.failureQueue])
      Validations.of(q).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue (SNS subscription DLQ or Lambda on-failure destination).',
      });
    Validations.of(this.responder).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'ward pins Node.js 22 for its Lambdas (design.md section 7).',
    });
  }
}
