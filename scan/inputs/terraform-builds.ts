/**
 * One builder per Terraform `aws_*` type: the configuration item Config would record for the resource, with its
 * split-out parts (found by terraform-items.ts) folded in.
 */
import type { DeployTarget } from './cloudformation-intrinsics';
import { permissionStatement } from './cloudformation-items';
import { bucketSupplementary, defaultTopicPolicy } from './aws-defaults';
import { block, json, type PlanResource, rec, str } from './terraform-values';

/** Builds a resource's item from it and its parts of one type each. */
export type Build = (r: PlanResource, parts: (type: string) => PlanResource[], env: Env) => Record<string, unknown>;

/** The account and region deployed to, and the capture time of the items. */
export interface Env {
  readonly target: DeployTarget;
  readonly captureTime: string;
}

const IAM = { aws_iam_role: 'Role', aws_iam_user: 'User', aws_iam_group: 'Group' } as const;

function identity(kind: 'Role' | 'User' | 'Group'): Build {
  return (r, parts) => {
    const lower = kind.toLowerCase();
    const inline = [
      ...(Array.isArray(r.values.inline_policy) ? r.values.inline_policy.map(rec) : []),
      ...parts(`aws_iam_${lower}_policy`).map((p) => p.values),
    ].filter((p) => p.policy !== undefined);
    const managed = [
      ...(Array.isArray(r.values.managed_policy_arns) ? r.values.managed_policy_arns : []),
      ...parts(`aws_iam_${lower}_policy_attachment`).map((p) => p.values.policy_arn),
      ...parts('aws_iam_policy_attachment').map((p) => p.values.policy_arn),
    ].map(String);
    const configuration: Record<string, unknown> = {
      [`${lower}Name`]: r.values.name,
      arn: r.values.arn,
      path: r.values.path ?? '/',
      [`${lower}PolicyList`]: inline.map((p) => ({
        policyName: String(p.name ?? ''),
        policyDocument: encodeURIComponent(json(p.policy)),
      })),
      attachedManagedPolicies: managed.map((arn) => ({ policyArn: arn, policyName: arn.split('/').pop() })),
      permissionsBoundary: str(r.values.permissions_boundary)
        ? {
            permissionsBoundaryType: 'PermissionsBoundaryPolicy',
            permissionsBoundaryArn: r.values.permissions_boundary,
          }
        : null,
    };
    if (kind === 'Role') configuration.assumeRolePolicyDocument = encodeURIComponent(json(r.values.assume_role_policy));
    // Config records every user's groups (an empty list for none).
    if (kind === 'User') {
      configuration.groupList = [
        ...parts('aws_iam_user_group_membership').flatMap((p) =>
          Array.isArray(p.values.groups) ? p.values.groups : [],
        ),
        ...parts('aws_iam_group_membership').map((p) => p.values.group),
      ]
        .filter((g) => typeof g === 'string')
        .map(String);
    }
    return { resourceType: `AWS::IAM::${kind}`, global: true, configuration };
  };
}

/** The builder of each Terraform type read (API Gateway and Lambda URLs: terraform-apigateway.ts). */
export const BUILDS: Readonly<Record<string, Build>> = {
  aws_s3_bucket: (r, parts) => {
    const sse =
      parts('aws_s3_bucket_server_side_encryption_configuration')[0]?.values ??
      block(r.values.server_side_encryption_configuration);
    const rules = (Array.isArray(sse.rule) ? sse.rule : []).map((rule) => {
      const d = block(rec(rule).apply_server_side_encryption_by_default);
      return {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: d.sse_algorithm,
          kmsMasterKeyID: d.kms_master_key_id ?? null,
        },
        bucketKeyEnabled: rec(rule).bucket_key_enabled === true,
      };
    });
    const policy = parts('aws_s3_bucket_policy')[0]?.values.policy ?? r.values.policy;
    const pab = parts('aws_s3_bucket_public_access_block')[0]?.values;
    // What the plan leaves out, S3 sets on every new bucket (aws-defaults.ts).
    const supplementary = bucketSupplementary({
      encryptionRules: rules,
      policyText: str(policy) ?? null,
      // Terraform spells Config's `blockPublicAcls` as `block_public_acls`.
      publicAccessBlock: pab === undefined ? undefined : (s) => pab[s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)],
      acl: parts('aws_s3_bucket_acl')[0]?.values.acl ?? r.values.acl,
    });
    return {
      resourceType: 'AWS::S3::Bucket',
      name: r.values.bucket,
      configuration: { name: r.values.bucket },
      supplementary,
    };
  },
  aws_sqs_queue: (r, parts) => {
    const key = str(r.values.kms_master_key_id);
    const policy = parts('aws_sqs_queue_policy')[0]?.values.policy ?? r.values.policy;
    return {
      resourceType: 'AWS::SQS::Queue',
      configuration: {
        QueueArn: r.values.arn,
        ...(key ? { KmsMasterKeyId: key } : {}),
        SqsManagedSseEnabled: key ? 'false' : String(r.values.sqs_managed_sse_enabled ?? true),
        ...(str(policy) ? { Policy: policy } : {}),
      },
    };
  },
  aws_sns_topic: (r, parts, env) => {
    const policy = parts('aws_sns_topic_policy')[0]?.values.policy ?? r.values.policy;
    const key = str(r.values.kms_master_key_id);
    return {
      resourceType: 'AWS::SNS::Topic',
      configuration: {
        TopicArn: r.values.arn,
        ...(key ? { KmsMasterKeyId: key } : {}),
        Policy: str(policy) ?? defaultTopicPolicy(r.values.arn, env.target.accountId),
      },
    };
  },
  aws_kms_key: (r, _parts, env) => ({
    resourceType: 'AWS::KMS::Key',
    configuration: {
      keyId: r.values.key_id ?? r.address,
      arn: r.values.arn,
      keyManager: 'CUSTOMER',
      keyState: r.values.is_enabled === false ? 'Disabled' : 'Enabled',
      enabled: r.values.is_enabled !== false,
      awsaccountId: env.target.accountId,
    },
    supplementary: { Policy: r.values.policy ?? null, KeyRotationStatus: r.values.enable_key_rotation === true },
  }),
  aws_kms_alias: (r) => ({
    resourceType: 'AWS::KMS::Alias',
    configuration: { AliasName: r.values.name, TargetKeyId: r.values.target_key_id },
  }),
  aws_iam_policy: (r) => ({
    resourceType: 'AWS::IAM::Policy',
    global: true,
    configuration: {
      policyName: r.values.name,
      arn: r.values.arn,
      path: r.values.path ?? '/',
      defaultVersionId: 'v1',
      policyVersionList: [
        { document: encodeURIComponent(json(r.values.policy)), versionId: 'v1', isDefaultVersion: true },
      ],
    },
  }),
  aws_iam_role: identity(IAM.aws_iam_role),
  aws_iam_user: identity(IAM.aws_iam_user),
  aws_iam_group: identity(IAM.aws_iam_group),
  aws_ebs_volume: (r) => ({
    resourceType: 'AWS::EC2::Volume',
    configuration: { encrypted: r.values.encrypted ?? false, kmsKeyId: r.values.kms_key_id ?? null },
  }),
  aws_db_instance: (r) => ({
    resourceType: 'AWS::RDS::DBInstance',
    configuration: { storageEncrypted: r.values.storage_encrypted ?? false, kmsKeyId: r.values.kms_key_id ?? null },
  }),
  aws_rds_cluster: (r) => ({
    resourceType: 'AWS::RDS::DBCluster',
    configuration: { storageEncrypted: r.values.storage_encrypted ?? false, kmsKeyId: r.values.kms_key_id ?? null },
  }),
  aws_dynamodb_table: (r) => {
    const sse = block(r.values.server_side_encryption);
    return {
      resourceType: 'AWS::DynamoDB::Table',
      // Config always records the table's name and ARN (an empty configuration cannot be judged).
      configuration: {
        tableName: r.values.name,
        tableArn: r.values.arn,
        ...(sse.enabled === true
          ? {
              ssedescription: {
                status: 'ENABLED',
                ssetype: 'KMS',
                ...(str(sse.kms_key_arn) ? { kmsmasterKeyArn: sse.kms_key_arn } : {}),
              },
            }
          : {}),
      },
    };
  },
  aws_efs_file_system: (r, parts) => ({
    resourceType: 'AWS::EFS::FileSystem',
    configuration: {
      Encrypted: r.values.encrypted ?? false,
      KmsKeyId: r.values.kms_key_id,
      FileSystemPolicy: parts('aws_efs_file_system_policy')[0]?.values.policy ?? {},
    },
  }),
  aws_kinesis_stream: (r) => ({
    resourceType: 'AWS::Kinesis::Stream',
    configuration:
      str(r.values.encryption_type) && r.values.encryption_type !== 'NONE'
        ? { StreamEncryption: { EncryptionType: r.values.encryption_type, KeyId: r.values.kms_key_id } }
        : {},
  }),
  aws_secretsmanager_secret: (r) => ({
    resourceType: 'AWS::SecretsManager::Secret',
    configuration: { KMSKeyId: r.values.kms_key_id ?? null },
  }),
  aws_redshift_cluster: (r) => ({
    resourceType: 'AWS::Redshift::Cluster',
    configuration: { encrypted: r.values.encrypted ?? false, kmsKeyId: r.values.kms_key_id ?? null },
  }),
  aws_lambda_function: (r, parts) => {
    const arn = str(r.values.arn) ?? r.address;
    const statements = parts('aws_lambda_permission').map((p) =>
      permissionStatement(
        String(p.values.statement_id ?? p.address),
        {
          Principal: p.values.principal,
          Action: p.values.action,
          SourceArn: p.values.source_arn ?? undefined,
          SourceAccount: p.values.source_account ?? undefined,
          PrincipalOrgID: p.values.principal_org_id ?? undefined,
          FunctionUrlAuthType: p.values.function_url_auth_type ?? undefined,
        },
        arn,
      ),
    );
    return {
      resourceType: 'AWS::Lambda::Function',
      name: r.values.function_name,
      configuration: {
        functionName: r.values.function_name,
        functionArn: r.values.arn,
        runtime: r.values.runtime,
        packageType: r.values.package_type ?? 'Zip',
      },
      supplementary:
        statements.length > 0 ? { Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } : {},
    };
  },
  aws_ecr_repository: (r, parts) => ({
    resourceType: 'AWS::ECR::Repository',
    configuration: {
      RepositoryName: r.values.name,
      Arn: r.values.arn,
      RepositoryPolicyText: parts('aws_ecr_repository_policy')[0]?.values.policy ?? {},
    },
  }),
};
