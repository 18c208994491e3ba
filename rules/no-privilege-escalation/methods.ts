/**
 * The privilege-escalation methods no-privilege-escalation knows, as data: which actions each needs, how the
 * resource element of those actions can defuse it, what it does and where it was published.
 *
 * Taken on 2026-12-05 from Rhino Security Labs' "AWS IAM Privilege Escalation – Methods and Mitigation" (the
 * original 21 methods) and from Cloudsplaining 0.9.1 `cloudsplaining/shared/constants.py`
 * (PRIVILEGE_ESCALATION_METHODS, BSD-3-Clause, which adds paths published on pathfinding.cloud by Datadog).
 * Combinations that only add actions to a method already listed here (Cloudsplaining's
 * `AttachUserPolicyThenCreateAccessKey`, `CreateAndRotateAccessKey`, ...) are left out: the smaller method
 * already flags every principal they would.
 */

/** When the table was taken and from where (shown in the README and by `ward rules`). */
export const ESCALATION_METHODS_SOURCE = {
  taken: '2026-12-05',
  sources: [
    'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
    'cloudsplaining@0.9.1 cloudsplaining/shared/constants.py PRIVILEGE_ESCALATION_METHODS (pathfinding.cloud)',
  ],
  /** A run warns when the table is older than this many days. */
  maxAgeDays: 365,
} as const;

/** The method families: each is one finding code `privilege-escalation-<family>`. */
export const EscalationFamily = {
  POLICY_EDIT: 'policy-edit',
  CREDENTIALS: 'credentials',
  TRUST_EDIT: 'trust-edit',
  PASSROLE: 'passrole',
  CODE_EDIT: 'code-edit',
} as const;

/** One of {@link EscalationFamily}. */
export type EscalationFamilyType = (typeof EscalationFamily)[keyof typeof EscalationFamily];

/**
 * How the Resource element of an action decides whether it escalates:
 * - `any`: allowed on any resource is enough (the action only helps: invoke, start, create a table);
 * - `unrestricted`: only on every resource, or every resource of its type (`function:*`); a named resource or
 *   a name or path prefix is an accepted, reviewable delegation;
 * - `self-grant`: as `unrestricted`, and also on the principal itself (its own ARN, one of its groups, or
 *   `${aws:username}`): editing one's own policies is escalation whatever the scope;
 * - `self-service`: as `unrestricted`, except that `${aws:username}` (the caller's own user) is self-service;
 * - `passrole`: as `unrestricted`, and also a named role that is known to be privileged.
 */
export type ResourceScope = 'any' | 'unrestricted' | 'self-grant' | 'self-service' | 'passrole';

/** The scope of each action that can defuse a method; an action not listed is `any`. Keys are lower-case. */
export const ACTION_SCOPE: Readonly<Record<string, ResourceScope>> = {
  'iam:passrole': 'passrole',
  'iam:createaccesskey': 'self-service',
  'iam:createloginprofile': 'self-service',
  'iam:updateloginprofile': 'self-service',
  'iam:createpolicyversion': 'self-grant',
  'iam:setdefaultpolicyversion': 'self-grant',
  'iam:attachuserpolicy': 'self-grant',
  'iam:attachgrouppolicy': 'self-grant',
  'iam:attachrolepolicy': 'self-grant',
  'iam:putuserpolicy': 'self-grant',
  'iam:putgrouppolicy': 'self-grant',
  'iam:putrolepolicy': 'self-grant',
  'iam:addusertogroup': 'self-grant',
  'iam:updateassumerolepolicy': 'self-grant',
  'lambda:updatefunctioncode': 'unrestricted',
  'glue:updatedevendpoint': 'unrestricted',
  'ec2:modifyinstanceattribute': 'unrestricted',
  'ec2:createlaunchtemplateversion': 'unrestricted',
  'ec2-instance-connect:sendsshpublickey': 'unrestricted',
  'ecs:executecommand': 'unrestricted',
  'sagemaker:createpresignednotebookinstanceurl': 'unrestricted',
  'sagemaker:updatenotebookinstance': 'unrestricted',
  'cloudformation:executechangeset': 'unrestricted',
  'cloudformation:updatestackset': 'unrestricted',
  'glue:updatejob': 'unrestricted',
  'bedrock-agentcore:invokecodeinterpreter': 'unrestricted',
};

/** The scope of an action (case-insensitive). */
export function scopeOf(action: string): ResourceScope {
  return ACTION_SCOPE[action.toLowerCase()] ?? 'any';
}

/** One known escalation method. */
export interface EscalationMethod {
  /** Stable kebab-case id (shown in findings and the README). */
  readonly id: string;
  /** The name peers give it (Rhino Security Labs, Cloudsplaining). */
  readonly name: string;
  readonly family: EscalationFamilyType;
  /** Every action the method needs (canonical case). */
  readonly actions: readonly string[];
  readonly description: string;
  readonly reference: string;
  /** Where the method was published: `rhino` (the original 21) or `cloudsplaining` (pathfinding.cloud). */
  readonly source: 'rhino' | 'cloudsplaining';
}

const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
const pf = (path: string) => `https://pathfinding.cloud/paths/${path}`;

type Row = readonly [
  string,
  string,
  EscalationFamilyType,
  readonly string[],
  string,
  string,
  'rhino' | 'cloudsplaining',
];

const { POLICY_EDIT, CREDENTIALS, TRUST_EDIT, PASSROLE, CODE_EDIT } = EscalationFamily;

// prettier-ignore
const ROWS: readonly Row[] = [
  ['create-policy-version', 'CreateNewPolicyVersion', POLICY_EDIT, ['iam:CreatePolicyVersion'], 'Writes a new default version of a customer-managed policy, for example one attached to itself, granting anything.', RHINO, 'rhino'],
  ['set-default-policy-version', 'SetExistingDefaultPolicyVersion', POLICY_EDIT, ['iam:SetDefaultPolicyVersion'], 'Makes a dormant, more permissive version of a policy the default.', RHINO, 'rhino'],
  ['attach-user-policy', 'AttachUserPolicy', POLICY_EDIT, ['iam:AttachUserPolicy'], 'Attaches AdministratorAccess (or any managed policy) to a user, itself included.', RHINO, 'rhino'],
  ['attach-group-policy', 'AttachGroupPolicy', POLICY_EDIT, ['iam:AttachGroupPolicy'], 'Attaches any managed policy to a group, for example one the principal is in.', RHINO, 'rhino'],
  ['attach-role-policy', 'AttachRolePolicy', POLICY_EDIT, ['iam:AttachRolePolicy'], 'Attaches any managed policy to a role the principal is or can assume.', RHINO, 'rhino'],
  ['put-user-policy', 'PutUserPolicy', POLICY_EDIT, ['iam:PutUserPolicy'], 'Writes an inline policy granting anything into a user, itself included.', RHINO, 'rhino'],
  ['put-group-policy', 'PutGroupPolicy', POLICY_EDIT, ['iam:PutGroupPolicy'], 'Writes an inline policy granting anything into a group.', RHINO, 'rhino'],
  ['put-role-policy', 'PutRolePolicy', POLICY_EDIT, ['iam:PutRolePolicy'], 'Writes an inline policy granting anything into a role.', RHINO, 'rhino'],
  ['add-user-to-group', 'AddUserToGroup', POLICY_EDIT, ['iam:AddUserToGroup'], 'Adds a user, itself included, to a more privileged group.', RHINO, 'rhino'],
  ['create-access-key', 'CreateAccessKey', CREDENTIALS, ['iam:CreateAccessKey'], 'Creates access keys for another, more privileged user.', RHINO, 'rhino'],
  ['create-login-profile', 'CreateLoginProfile', CREDENTIALS, ['iam:CreateLoginProfile'], 'Sets a console password for another user that has none.', RHINO, 'rhino'],
  ['update-login-profile', 'UpdateLoginProfile', CREDENTIALS, ['iam:UpdateLoginProfile'], "Changes another user's console password.", RHINO, 'rhino'],
  ['update-assume-role-policy', 'UpdateRolePolicyToAssumeIt', TRUST_EDIT, ['iam:UpdateAssumeRolePolicy'], 'Rewrites the trust policy of a privileged role so the principal can assume it.', RHINO, 'rhino'],
  ['passrole-ec2', 'CreateEC2WithExistingIP', PASSROLE, ['iam:PassRole', 'ec2:RunInstances'], 'Launches an instance with a privileged instance profile and reads its credentials.', RHINO, 'rhino'],
  ['passrole-lambda-invoke', 'PassExistingRoleToNewLambdaThenInvoke', PASSROLE, ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], 'Creates a function with a privileged role and invokes it.', RHINO, 'rhino'],
  ['passrole-lambda-event-source', 'PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo', PASSROLE, ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], 'Creates a function with a privileged role and triggers it from an event source.', RHINO, 'rhino'],
  ['passrole-glue-dev-endpoint', 'PassExistingRoleToNewGlueDevEndpoint', PASSROLE, ['iam:PassRole', 'glue:CreateDevEndpoint'], 'Creates a Glue development endpoint with a privileged role and logs in to it.', RHINO, 'rhino'],
  ['passrole-cloudformation', 'PassExistingRoleToCloudFormation', PASSROLE, ['iam:PassRole', 'cloudformation:CreateStack'], 'Creates a stack that acts with a privileged role.', RHINO, 'rhino'],
  ['passrole-datapipeline', 'PassExistingRoleToNewDataPipeline', PASSROLE, ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], 'Creates a pipeline that runs commands with a privileged role.', RHINO, 'rhino'],
  ['update-glue-dev-endpoint', 'UpdateExistingGlueDevEndpoint', CODE_EDIT, ['glue:UpdateDevEndpoint'], 'Adds its own SSH key to an existing Glue development endpoint and uses its role.', RHINO, 'rhino'],
  ['update-lambda-code', 'EditExistingLambdaFunctionWithRole', CODE_EDIT, ['lambda:UpdateFunctionCode'], 'Replaces the code of an existing function and acts with its role.', RHINO, 'rhino'],
  ['passrole-lambda-add-permission', 'PassExistingRoleToNewLambdaThenAddPermission', PASSROLE, ['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'], 'Creates a function with a privileged role and lets itself invoke it.', pf('lambda-006'), 'cloudsplaining'],
  ['passrole-apprunner', 'PassExistingRoleToNewAppRunnerService', PASSROLE, ['iam:PassRole', 'apprunner:CreateService'], 'Creates an App Runner service with a privileged instance role.', pf('apprunner-001'), 'cloudsplaining'],
  ['passrole-bedrock-code-interpreter', 'PassExistingRoleToNewBedrockCodeInterpreter', PASSROLE, ['iam:PassRole', 'bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], 'Creates a Bedrock code interpreter with a privileged role and runs code in it.', pf('bedrock-001'), 'cloudsplaining'],
  ['passrole-cloudformation-stackset', 'PassExistingRoleToNewCloudFormationStackSet', PASSROLE, ['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], 'Creates a stack set that acts with a privileged role.', pf('cloudformation-003'), 'cloudsplaining'],
  ['passrole-cloudformation-update-stackset', 'PassRoleToUpdateCloudFormationStackSet', PASSROLE, ['iam:PassRole', 'cloudformation:UpdateStackSet'], 'Updates a stack set to act with a privileged role.', pf('cloudformation-004'), 'cloudsplaining'],
  ['passrole-codebuild', 'PassExistingRoleToNewCodeBuildProjectThenBuild', PASSROLE, ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], 'Creates a CodeBuild project with a privileged role and runs a build.', pf('codebuild-001'), 'cloudsplaining'],
  ['passrole-codebuild-batch', 'PassExistingRoleToNewCodeBuildProjectThenBuildBatch', PASSROLE, ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'], 'Creates a CodeBuild project with a privileged role and runs a batch build.', pf('codebuild-004'), 'cloudsplaining'],
  ['passrole-ec2-spot', 'PassExistingRoleToNewEC2SpotInstance', PASSROLE, ['iam:PassRole', 'ec2:RequestSpotInstances'], 'Requests a spot instance with a privileged instance profile.', pf('ec2-003'), 'cloudsplaining'],
  ['passrole-ecs-service', 'PassExistingRoleToNewECSService', PASSROLE, ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], 'Registers a task definition with a privileged task role and starts it as a service.', pf('ecs-003'), 'cloudsplaining'],
  ['passrole-ecs-run-task', 'PassExistingRoleToNewECSTaskViaRunTask', PASSROLE, ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], 'Registers a task definition with a privileged task role and runs it.', pf('ecs-004'), 'cloudsplaining'],
  ['passrole-ecs-start-task', 'PassExistingRoleToNewECSTaskViaStartTask', PASSROLE, ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'], 'Registers a task definition with a privileged task role and starts it.', pf('ecs-005'), 'cloudsplaining'],
  ['passrole-glue-job', 'PassExistingRoleToNewGlueJobThenRun', PASSROLE, ['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'], 'Creates a Glue job with a privileged role and runs it.', pf('glue-003'), 'cloudsplaining'],
  ['passrole-glue-job-trigger', 'PassExistingRoleToNewGlueJobViaTrigger', PASSROLE, ['iam:PassRole', 'glue:CreateJob', 'glue:CreateTrigger'], 'Creates a Glue job with a privileged role and a trigger that runs it.', pf('glue-004'), 'cloudsplaining'],
  ['passrole-glue-update-job', 'PassExistingRoleToUpdatedGlueJobThenRun', PASSROLE, ['iam:PassRole', 'glue:UpdateJob', 'glue:StartJobRun'], 'Gives an existing Glue job a privileged role and runs it.', pf('glue-005'), 'cloudsplaining'],
  ['passrole-glue-update-job-trigger', 'PassExistingRoleToUpdatedGlueJobViaTrigger', PASSROLE, ['iam:PassRole', 'glue:UpdateJob', 'glue:CreateTrigger'], 'Gives an existing Glue job a privileged role and a trigger that runs it.', pf('glue-006'), 'cloudsplaining'],
  ['passrole-sagemaker-notebook', 'PassExistingRoleToNewSageMakerNotebookInstance', PASSROLE, ['iam:PassRole', 'sagemaker:CreateNotebookInstance'], 'Creates a notebook instance with a privileged role.', pf('sagemaker-001'), 'cloudsplaining'],
  ['passrole-sagemaker-training', 'PassExistingRoleToNewSageMakerTrainingJob', PASSROLE, ['iam:PassRole', 'sagemaker:CreateTrainingJob'], 'Creates a training job that runs its code with a privileged role.', pf('sagemaker-002'), 'cloudsplaining'],
  ['passrole-sagemaker-processing', 'PassExistingRoleToNewSageMakerProcessingJob', PASSROLE, ['iam:PassRole', 'sagemaker:CreateProcessingJob'], 'Creates a processing job that runs its code with a privileged role.', pf('sagemaker-003'), 'cloudsplaining'],
  ['cloudformation-change-set', 'ExecuteCloudFormationChangeSet', CODE_EDIT, ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], 'Changes an existing stack that acts with a privileged role.', pf('cloudformation-005'), 'cloudsplaining'],
  ['ec2-user-data', 'ModifyEC2InstanceUserDataThenRestart', CODE_EDIT, ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], 'Changes the user data of an instance with a privileged profile and restarts it.', pf('ec2-002'), 'cloudsplaining'],
  ['ec2-launch-template', 'ModifyExistingEC2LaunchTemplate', CODE_EDIT, ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], 'Changes the launch template (user data) of instances with a privileged profile.', pf('ec2-004'), 'cloudsplaining'],
  ['ec2-instance-connect', 'EC2InstanceConnectSendSSHPublicKey', CODE_EDIT, ['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances'], 'Logs in to an instance with a privileged profile.', pf('ec2instanceconnect-003'), 'cloudsplaining'],
  ['ecs-execute-command', 'ECSExecuteCommandOnRunningTask', CODE_EDIT, ['ecs:ExecuteCommand', 'ecs:DescribeTasks'], 'Runs commands in a task with a privileged task role.', pf('ecs-006'), 'cloudsplaining'],
  ['sagemaker-presigned-url', 'CreatePresignedSageMakerNotebookUrl', CODE_EDIT, ['sagemaker:CreatePresignedNotebookInstanceUrl'], 'Opens an existing notebook instance and acts with its role.', pf('sagemaker-004'), 'cloudsplaining'],
  ['sagemaker-lifecycle-config', 'UpdateSageMakerNotebookLifecycleConfig', CODE_EDIT, ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'], 'Runs its own start-up script on a notebook instance with a privileged role.', pf('sagemaker-005'), 'cloudsplaining'],
  ['bedrock-code-interpreter-session', 'AccessExistingBedrockCodeInterpreterSession', CODE_EDIT, ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], 'Runs code in an existing Bedrock code interpreter with a privileged role.', pf('bedrock-002'), 'cloudsplaining'],
];

/** Every known method, in the README's order. */
export const ESCALATION_METHODS: readonly EscalationMethod[] = ROWS.map(
  ([id, name, family, actions, description, reference, source]) => ({
    id,
    name,
    family,
    actions,
    description,
    reference,
    source,
  }),
);

/**
 * Every action some method needs (canonical case, sorted by code point, unique). Code-point order, not
 * `localeCompare`: the first locale comparison in a process loads ICU collation, 6-20 ms of a Lambda cold start.
 */
export const ESCALATION_ACTIONS: readonly string[] = [
  ...new Map(ESCALATION_METHODS.flatMap((m) => m.actions).map((a) => [a.toLowerCase(), a])).values(),
].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
