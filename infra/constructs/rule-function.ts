import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  CfnPermission,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AnyRule } from '../../rules/runtime/types';
import { fillScope, groupReadsByScope } from './rule-read-scopes';

/** Who may invoke the rule Lambda through AWS Config. */
export type ConfigInvoker =
  | { readonly kind: 'account' }
  | {
      readonly kind: 'organization';
      readonly organizationId: string;
      readonly memberRoleName: string;
      /** Accounts whose Config may invoke the Lambda (the central account is always included). */
      readonly memberAccountIds: readonly string[];
    };

/** Props of {@link RuleFunction}. */
export interface RuleFunctionProps {
  readonly rule: AnyRule;
  /** Directory holding the bundled `index.js` (see infra/bundling.ts). */
  readonly bundleDir: string;
  /** Key of the log group (and of the failure queue). */
  readonly key: IKey;
  /** On-failure destination of asynchronous invocations (Config invokes rules asynchronously). */
  readonly failureQueue: IQueue;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 120 */
  readonly timeoutSeconds?: number;
  readonly logRetention: RetentionDays;
  /** @default 'info' */
  readonly logLevel?: string;
  /** @default { kind: 'account' }: Config of this account only */
  readonly invoker?: ConfigInvoker;
}

/** The IAM role name of a rule Lambda (stable, so the member-account role can trust it by name). */
export function ruleRoleName(ruleId: string, region: string): string {
  return `ward-rule-${ruleId}-${region}`.slice(0, 64);
}

/** The Lambda function name of a rule. */
export function ruleFunctionName(ruleId: string): string {
  return `ward-${ruleId}`.slice(0, 64);
}

/**
 * The IAM statements a rule Lambda needs besides its logs and failure queue: reporting to Config, reading the
 * oversized-item history, the previous results of periodic rules, and the rule's declared read actions.
 */
export function ruleStatements(rule: AnyRule, partition: string, region: string, account: string): PolicyStatement[] {
  const statements = [
    // Neither action supports resource-level permissions (Service Authorization Reference: Config).
    new PolicyStatement({
      sid: 'ReportEvaluations',
      actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
      resources: ['*'],
    }),
  ];
  if (rule.meta.trigger.periodic)
    statements.push(
      new PolicyStatement({
        sid: 'PreviousResults',
        actions: ['config:GetComplianceDetailsByConfigRule'],
        resources: [`arn:${partition}:config:${region}:${account}:config-rule/*`],
      }),
    );
  // The rule's reads, on this account's ARNs where the service supports it (infra/constructs/rule-read-scopes.ts).
  for (const [i, g] of groupReadsByScope(rule.meta.permissions).entries())
    statements.push(
      new PolicyStatement({
        sid: i === 0 ? 'RuleReads' : `RuleReads${i}`,
        actions: g.actions,
        resources: g.resources.map((r) => fillScope(r, partition, region, account)),
      }),
    );
  return statements;
}

/**
 * One rule's Lambda: Node.js 22 on arm64, minified bundle, its own least-privilege role (no AWS-managed
 * `AWSConfigRulesExecutionRole`), a KMS-encrypted log group with retention and JSON logs, an on-failure
 * destination, and the `config.amazonaws.com` invoke permission scoped to this account or the organization.
 */
export class RuleFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly rule: AnyRule;
  /** The `config.amazonaws.com` invoke permissions, one per account (Config checks them at rule creation). */
  readonly permissions: readonly CfnPermission[];

  constructor(scope: Construct, id: string, props: RuleFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { rule } = props;
    this.rule = rule;
    const invoker = props.invoker ?? { kind: 'account' };

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${ruleFunctionName(rule.meta.id)}`,
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      roleName: ruleRoleName(rule.meta.id, stack.region),
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `ward-${rule.meta.id}: report to Config and read what the rule declares`,
    });
    for (const s of ruleStatements(rule, stack.partition, stack.region, stack.account)) this.role.addToPolicy(s);
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    if (invoker.kind === 'organization')
      this.role.addToPolicy(
        new PolicyStatement({
          sid: 'AssumeMemberRole',
          actions: ['sts:AssumeRole'],
          resources: [`arn:${stack.partition}:iam::*:role/${invoker.memberRoleName}`],
          conditions: { StringEquals: { 'aws:ResourceOrgID': invoker.organizationId } },
        }),
      );

    this.function = new LambdaFunction(this, 'Function', {
      functionName: ruleFunctionName(rule.meta.id),
      description: `ward Config rule ward-${rule.meta.id}: ${rule.meta.title}`.slice(0, 256),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(props.bundleDir),
      memorySize: props.memorySize ?? 256,
      timeout: Duration.seconds(props.timeoutSeconds ?? 120),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      retryAttempts: 2,
      onFailure: new SqsDestination(props.failureQueue),
      environment: {
        LOG_LEVEL: props.logLevel ?? 'info',
        ...(invoker.kind === 'organization' ? { WARD_MEMBER_ROLE_NAME: invoker.memberRoleName } : {}),
      },
    });
    // CfnPermission rather than CustomRule's: CustomRule attaches the AWS-managed AWSConfigRulesExecutionRole.
    // One permission per account, scoped with aws:SourceAccount: a Lambda resource policy cannot test
    // aws:SourceOrgID, and aws:PrincipalOrgID does not apply to a service principal.
    const accounts =
      invoker.kind === 'organization' ? [...new Set([stack.account, ...invoker.memberAccountIds])] : [stack.account];
    this.permissions = accounts.map(
      (account, i) =>
        new CfnPermission(this, i === 0 ? 'ConfigInvoke' : `ConfigInvoke${account}`, {
          action: 'lambda:InvokeFunction',
          functionName: this.function.functionArn,
          principal: 'config.amazonaws.com',
          sourceAccount: account,
          // Config rule ARNs end in an id assigned at creation: any rule of that account in this region.
          sourceArn: `arn:${stack.partition}:config:${stack.region}:${account}:config-rule/*`,
        }),
    );
    this.acknowledgeNag(invoker);
  }

  /** The deliberate cdk-nag findings of this construct, each with its reason. */
  private acknowledgeNag(invoker: ConfigInvoker): void {
    const policy = this.role;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'config:PutEvaluations and config:GetResourceConfigHistory support no resource-level permissions, nor do ' +
        "the rule's unscoped reads (whole-service List actions, tag:GetResources).",
    });
    const stack = Stack.of(this);
    // cdk-nag names a finding by the resource as synthesized: pseudo parameters, or the literal env values.
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    for (const g of groupReadsByScope(this.rule.meta.permissions))
      for (const r of g.resources.filter((x) => x !== '*'))
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${fillScope(r, '<AWS::Partition>', shown(stack.region, 'Region'), shown(stack.account, 'AccountId'))}]`,
          reason:
            "The rule judges every resource of this type in the account: its reads are scoped to this account's ARNs of that type.",
        });
    if (this.rule.meta.trigger.periodic)
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:${shown(stack.region, 'Region')}:${shown(stack.account, 'AccountId')}:config-rule/*]`,
        reason:
          'Config rule ARNs end in a random id assigned at creation; the wildcard stays within this account and region.',
      });
    if (invoker.kind === 'organization')
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${invoker.memberRoleName}]`,
        reason: 'Member accounts are not known at deploy time; aws:ResourceOrgID limits the role to this organization.',
      });
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*'])
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'CDK grant to send to the KMS-encrypted failure queue, limited to the stack key.',
      });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'ward pins Node.js 22 for its Lambdas (design.md section 7).',
    });
  }
}
