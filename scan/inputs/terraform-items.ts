/**
 * Terraform `aws_*` resources as the configuration items Config records (configuration-items.md section 3).
 * A resource with split-out parts (`aws_s3_bucket_server_side_encryption_configuration`, `aws_sqs_queue_policy`,
 * `aws_iam_role_policy_attachment`, ...) gets them folded in, as Config sees one resource.
 */
import type { DeployTarget } from './cloudformation-intrinsics';
import { API_BUILDS, type PlanLinks } from './terraform-apigateway';
import { BUILDS } from './terraform-builds';
import { known, type PlanResource, rec, references, str } from './terraform-values';

export type { PlanResource } from './terraform-values';

/** An item built from the plan, with the addresses whose values went into it. */
export interface PlanItem {
  readonly address: string;
  readonly ci: Record<string, unknown>;
  readonly from: readonly string[];
}

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

/** The items of a plan's resources. */
export function buildTerraformItems(
  resources: readonly PlanResource[],
  target: DeployTarget,
  captureTime: string,
): PlanItem[] {
  const out: PlanItem[] = [];
  const byType = new Map<string, PlanResource[]>();
  for (const r of resources) {
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
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
    const refs = references(r, arg);
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
