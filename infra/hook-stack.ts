import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnLambdaHook } from 'aws-cdk-lib/aws-cloudformation';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ATTACHING_TYPES, TEMPLATE_TYPES } from '../scan/inputs/cloudformation-items';
import { bundleLambdas } from './bundling';
import { logsKeyStatement } from './constructs/logs-key-statement';
import { projectRoot } from './paths';
import { join } from 'node:path';

/** The hook's type name (alias) in the CloudFormation registry. */
export const HOOK_ALIAS = 'Ward::Compliance::Hook';

/** Properties of {@link HookStack}. */
export interface HookStackProps extends StackProps {
  /** FAIL stops the operation; WARN lets it proceed with a warning. @default 'FAIL' */
  readonly failureMode?: 'FAIL' | 'WARN';
  /** Resource types to judge. @default every type ward builds items for, and the policy types attaching to them */
  readonly targets?: readonly string[];
  /** Rule parameters by rule id, as deployed to the Config rules. */
  readonly ruleParameters: Readonly<Record<string, unknown>>;
}

/** The hook function's log group (named, so the key policy can name it exactly). */
export const HOOK_LOG_GROUP_NAME = '/ward/hook';

/** The default targets: the types ward judges, and the types that attach policies to them. */
export const DEFAULT_HOOK_TARGETS: readonly string[] = [...new Set([...TEMPLATE_TYPES, ...ATTACHING_TYPES])].sort();

/**
 * The CloudFormation Lambda hook: an `AWS::CloudFormation::LambdaHook` on resource operations (create and
 * update, pre-provision) of the targeted types, whose Lambda judges each resource with ward's rules. The
 * hook's execution role may only invoke that one function; the function calls no AWS API (the rules judge the
 * properties alone), so its own role only writes its logs.
 */
export class HookStack extends Stack {
  readonly function: LambdaFunction;
  readonly hook: CfnLambdaHook;

  constructor(scope: Construct, id: string, props: HookStackProps) {
    super(scope, id, props);
    const targets = props.targets && props.targets.length > 0 ? props.targets : DEFAULT_HOOK_TARGETS;
    const entry = join(projectRoot(), 'hook', 'handler.ts');
    const dir = bundleLambdas([entry]).get(entry) as string;
    // The hook logs resource properties it judged: its log group is encrypted with a key of its own, which
    // CloudWatch Logs may use for this one log group only (the stack stands alone, without the rules stack).
    const key = new Key(this, 'Key', {
      description: 'ward hook: the hook function log group',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(logsKeyStatement(this, 'AllowLogsForHookLogGroup', HOOK_LOG_GROUP_NAME));
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: HOOK_LOG_GROUP_NAME,
      retention: RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The function calls no AWS API: its role only writes its own logs.
    const functionRole = new Role(this, 'FunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'ward hook function: write its own logs, nothing else',
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    this.function = new LambdaFunction(this, 'Function', {
      role: functionRole,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(dir),
      memorySize: 512,
      // CloudFormation waits 30 s; the handler answers by 25 s and fails closed after that.
      timeout: Duration.seconds(28),
      logGroup,
      description: 'ward: judges resources before CloudFormation creates or updates them',
      environment: { WARD_RULE_PARAMETERS: JSON.stringify(props.ruleParameters) },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'ward pins Node.js 22 for its Lambdas (design.md section 7).',
    });
    const executionRole = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal('hooks.cloudformation.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'CloudFormation hooks invoke the ward hook function, and nothing else',
      inlinePolicies: {
        invoke: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
          ],
        }),
      },
    });
    this.hook = new CfnLambdaHook(this, 'Hook', {
      alias: HOOK_ALIAS,
      executionRole: executionRole.roleArn,
      failureMode: props.failureMode ?? 'FAIL',
      hookStatus: 'ENABLED',
      lambdaFunction: this.function.functionArn,
      targetOperations: ['RESOURCE'],
    });
    // The short filter form (actions x invocation points x type names): the CDK type only knows the `Targets`
    // list, which CloudFormation caps at 50 entries (two per type here).
    this.hook.addPropertyOverride('TargetFilters', {
      Actions: ['CREATE', 'UPDATE'],
      InvocationPoints: ['PRE_PROVISION'],
      TargetNames: [...targets],
    });
  }
}
