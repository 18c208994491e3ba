/**
 * Terraform `aws_*` resources as the configuration items Config records (configuration-items.md section 3).
 * A resource with split-out parts (`aws_s3_bucket_server_side_encryption_configuration`, `aws_sqs_queue_policy`,
 * `aws_iam_role_policy_attachment`, ...) gets them folded in, as Config sees one resource.
 */
import type { DeployTarget } from './cloudformation-intrinsics';
import { permissionStatement } from './cloudformation-items';
import { cannedBucketAcl, defaultTopicPolicy } from './aws-defaults';
import { API_BUILDS, type PlanLinks } from './terraform-apigateway';

/** One planned resource, its unknowns already replaced. */
export interface PlanResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
  /** `module.a.module.b.` or ''. */
  readonly modulePrefix: string;
  /** Its `configuration` expressions (references of each argument). */
  readonly expressions: Record<string, unknown>;
}

/** An item built from the plan, with the addresses whose values went into it. */
export interface PlanItem {
  readonly address: string;
  readonly ci: Record<string, unknown>;
  readonly from: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
/** Nested blocks are lists of one object in plan JSON. */
const block = (v: unknown): Record<string, unknown> => rec(Array.isArray(v) ? v[0] : v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const known = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('{{unresolved:');
const json = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** The attachment types folded into their target, with the argument naming the target. */
const ATTACHMENTS: Readonly<Record<string, readonly [string, string][]>> = {
  aws_s3_bucket: [
    ['aws_s3_bucket_policy', 'bucket'],
    ['aws_s3_bucket_server_side_encryption_configuration', 'bucket'],
    ['aws_s3_bucket_public_access_block', 'bucket'],
    ['aws_s3_bucket_acl', 'bucket'],
  ],
  aws_sqs_queue: [['aws_sqs_queue_policy', 'queue_url']],
  aws_sns_topic: [['aws_sns_topic_policy', 'arn']],
  aws_iam_role: [
    ['aws_iam_role_policy', 'role'],
    ['aws_iam_role_policy_attachment', 'role'],
    ['aws_iam_policy_attachment', 'roles'],
  ],
  aws_iam_user: [
    ['aws_iam_user_policy', 'user'],
    ['aws_iam_user_policy_attachment', 'user'],
    ['aws_iam_policy_attachment', 'users'],
    ['aws_iam_user_group_membership', 'user'],
    ['aws_iam_group_membership', 'users'],
  ],
  aws_iam_group: [
    ['aws_iam_group_policy', 'group'],
    ['aws_iam_group_policy_attachment', 'group'],
    ['aws_iam_policy_attachment', 'groups'],
  ],
  aws_lambda_function: [['aws_lambda_permission', 'function_name']],
  aws_ecr_repository: [['aws_ecr_repository_policy', 'repository']],
  aws_efs_file_system: [['aws_efs_file_system_policy', 'file_system_id']],
};

/** Every Terraform type the adapter reads (targets and attachments). */
export const TERRAFORM_TYPES: readonly string[] = [
  ...new Set(Object.values(ATTACHMENTS).flatMap((list) => list.map(([t]) => t))),
];

function identifiers(r: PlanResource): Set<string> {
  const v = r.values;
  return new Set([v.id, v.arn, v.name, v.bucket, v.url, v.function_name, v.key_id].filter(known));
}

/** The resources of `type` whose `arg` names `target` by value or by reference. */
function attachedTo(
  byType: ReadonlyMap<string, PlanResource[]>,
  type: string,
  arg: string,
  target: PlanResource,
): PlanResource[] {
  const ids = identifiers(target);
  const configAddress = target.address.replace(/\[[^\]]*\]/g, '');
  return (byType.get(type) ?? []).filter((r) => {
    const values = Array.isArray(r.values[arg]) ? (r.values[arg] as unknown[]) : [r.values[arg]];
    if (values.some((v) => known(v) && ids.has(v))) return true;
    const refs = rec(r.expressions[arg]).references;
    return (
      Array.isArray(refs) && refs.some((ref) => typeof ref === 'string' && `${r.modulePrefix}${ref}` === configAddress)
    );
  });
}

type Build = (r: PlanResource, parts: (type: string) => PlanResource[], env: Env) => Record<string, unknown>;

interface Env {
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

const BUILDS: Readonly<Record<string, Build>> = {
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
    // New buckets get SSE-S3 and Block Public Access by default (2023): what the plan leaves out, AWS sets.
    const flag = (k: string) => (pab === undefined ? true : (pab[k] ?? false));
    const acl = parts('aws_s3_bucket_acl')[0]?.values.acl ?? r.values.acl;
    const supplementary: Record<string, unknown> = {
      ServerSideEncryptionConfiguration: {
        rules:
          rules.length > 0
            ? rules
            : [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256', kmsMasterKeyID: null } }],
      },
      BucketPolicy: { policyText: str(policy) ?? null },
      PublicAccessBlockConfiguration: {
        blockPublicAcls: flag('block_public_acls'),
        ignorePublicAcls: flag('ignore_public_acls'),
        blockPublicPolicy: flag('block_public_policy'),
        restrictPublicBuckets: flag('restrict_public_buckets'),
      },
    };
    supplementary.AccessControlList = cannedBucketAcl(acl);
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

/** The items of a plan's resources. */
export function buildTerraformItems(
  resources: readonly PlanResource[],
  target: DeployTarget,
  captureTime: string,
): PlanItem[] {
  const out: PlanItem[] = [];
  const byType = new Map<string, PlanResource[]>();
  for (const r of resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  for (const r of resources) {
    const build = BUILDS[r.type];
    const apiBuild = API_BUILDS[r.type];
    if (!build && !apiBuild) continue;
    const from = [r.address];
    const parts = (type: string) => {
      const arg = (ATTACHMENTS[r.type] ?? []).find(([t]) => t === type)?.[1];
      const found = arg ? attachedTo(byType, type, arg, r) : [];
      from.push(...found.map((p) => p.address));
      return found;
    };
    const built = (
      build ? [build(r, parts, { target, captureTime })] : apiBuild(r, planLinks(byType, from))
    ) as Built[];
    const tags = rec(r.values.tags_all ?? r.values.tags);
    for (const b of built)
      out.push({
        address: r.address,
        from,
        ci: {
          configurationItemVersion: '1.3',
          configurationItemCaptureTime: captureTime,
          configurationItemStatus: 'ResourceDiscovered',
          awsAccountId: target.accountId,
          awsRegion: b.global ? 'global' : target.region,
          resourceType: b.resourceType,
          resourceId: r.address,
          resourceName: str(b.name) ?? str(r.values.name) ?? r.address,
          ARN: str(r.values.arn),
          tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)])),
          relationships: [],
          configuration: b.configuration,
          supplementaryConfiguration: b.supplementary ?? {},
        },
      });
  }
  return out;
}

/** What a build returns. */
interface Built {
  readonly resourceType: string;
  readonly configuration: Record<string, unknown>;
  readonly supplementary?: Record<string, unknown>;
  readonly name?: unknown;
  readonly global?: boolean;
}

/** Links between plan resources, by the plan's references or by value; each resource followed is an input. */
function planLinks(byType: ReadonlyMap<string, PlanResource[]>, from: string[]): PlanLinks {
  const to = (r: PlanResource, arg: string, type: string): PlanResource | undefined => {
    const list = rec(r.expressions[arg]).references;
    const refs = Array.isArray(list)
      ? list.filter((x) => typeof x === 'string').map((x) => `${r.modulePrefix}${x}`)
      : [];
    const candidates = byType.get(type) ?? [];
    let found = candidates.find((c) => {
      const at = c.address.replace(/\[[^\]]*\]/g, '');
      return refs.some((x) => x === at || x.startsWith(`${at}.`));
    });
    const value = r.values[arg];
    if (!found && known(value)) found = candidates.find((c) => identifiers(c).has(value));
    if (found && !from.includes(found.address)) from.push(found.address);
    return found;
  };
  return { to, ofType: (type) => byType.get(type) ?? [] };
}
