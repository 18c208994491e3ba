/*
 * A resource of every type the template inputs build items for, written as briefly as CloudFormation or
 * Terraform accept (AWS fills in the rest at create), is judged: rules fail closed on a field Config always
 * records, so an item without it would be "not judged". The items must carry what AWS gives a new resource.
 */
import { join } from 'node:path';
import { loadTemplates } from '../../../../scan/inputs/template-sources';
import { judgeAll, writePlanFile } from './judge-harness';

const MINIMAL = join(__dirname, '..', '..', '..', 'fixtures', 'templates', 'every-type', 'minimal.yaml');

/** `rule resourceId code` of every finding that says the rule could not judge. */
async function notJudged(path: string, kind: 'cloudformation' | 'terraform-plan') {
  const { items, notes, problems } = loadTemplates([{ kind, path }]);
  expect(problems).toEqual([]);
  expect(notes).toEqual([]);
  const results = await judgeAll(items);
  const judgedTypes = new Set(results.map((r) => r.e.resourceType));
  const failed = results.flatMap((r) =>
    r.e.findings
      .filter((f) => f.code === 'unreadable-configuration' || f.code === 'evaluation-error')
      .map((f) => `${r.rule} ${r.e.resourceId} ${f.code}: ${f.message}`),
  );
  return { items, judgedTypes, failed };
}

/** One planned resource as `terraform show -json` writes it: values set, computed ones unknown until apply. */
function planned(type: string, name: string, values: Record<string, unknown>, unknown: string[]) {
  const address = `${type}.${name}`;
  const base = { address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws' };
  return {
    value: { ...base, schema_version: 0, values, sensitive_values: {} },
    change: {
      ...base,
      change: {
        actions: ['create'],
        before: null,
        after: values,
        after_unknown: Object.fromEntries(unknown.map((k) => [k, true])),
        before_sensitive: false,
        after_sensitive: {},
      },
    },
  };
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const RESOURCES = [
  planned('aws_s3_bucket', 'data', { bucket: 'minimal-data', force_destroy: false }, ['arn', 'id', 'acl', 'policy']),
  planned('aws_sqs_queue', 'jobs', { name: 'minimal-jobs', kms_master_key_id: null }, [
    'arn',
    'id',
    'url',
    'policy',
    'sqs_managed_sse_enabled',
  ]),
  planned('aws_sns_topic', 'alerts', { name: 'minimal-alerts', kms_master_key_id: null }, [
    'arn',
    'id',
    'policy',
    'owner',
  ]),
  planned('aws_kms_key', 'data', { description: 'minimal', is_enabled: true }, ['arn', 'id', 'key_id', 'policy']),
  planned('aws_iam_role', 'worker', { name: 'minimal-worker', assume_role_policy: TRUST, path: '/' }, [
    'arn',
    'id',
    'unique_id',
  ]),
  planned('aws_iam_user', 'ci', { name: 'minimal-ci', path: '/' }, ['arn', 'id', 'unique_id']),
  planned('aws_iam_group', 'readers', { name: 'minimal-readers', path: '/' }, ['arn', 'id', 'unique_id']),
  planned(
    'aws_lambda_function',
    'fn',
    { function_name: 'minimal-fn', runtime: 'nodejs22.x', handler: 'index.handler', kms_key_arn: null },
    ['arn', 'id', 'role', 'qualified_arn'],
  ),
  planned('aws_ebs_volume', 'disk', { availability_zone: 'eu-west-1a', size: 10, encrypted: true }, [
    'arn',
    'id',
    'kms_key_id',
  ]),
  planned(
    'aws_db_instance',
    'db',
    { identifier: 'minimal-db', engine: 'postgres', instance_class: 'db.t4g.micro', storage_encrypted: true },
    ['arn', 'id', 'kms_key_id'],
  ),
  planned(
    'aws_rds_cluster',
    'aurora',
    { cluster_identifier: 'minimal-aurora', engine: 'aurora-postgresql', storage_encrypted: true },
    ['arn', 'id', 'kms_key_id'],
  ),
  planned(
    'aws_dynamodb_table',
    'items',
    { name: 'minimal-items', hash_key: 'id', billing_mode: 'PAY_PER_REQUEST', server_side_encryption: [] },
    ['arn', 'id'],
  ),
  planned('aws_efs_file_system', 'files', { encrypted: true }, ['arn', 'id', 'kms_key_id']),
  planned(
    'aws_kinesis_stream',
    'events',
    { name: 'minimal-events', shard_count: 1, encryption_type: 'KMS', kms_key_id: 'alias/aws/kinesis' },
    ['arn', 'id'],
  ),
  planned('aws_ecr_repository', 'images', { name: 'minimal-images' }, ['arn', 'id', 'registry_id', 'repository_url']),
  planned('aws_secretsmanager_secret', 'token', { name: 'minimal-token', kms_key_id: null }, ['arn', 'id', 'policy']),
  planned('aws_api_gateway_rest_api', 'api', { name: 'minimal-api' }, ['arn', 'id', 'root_resource_id']),
  planned('aws_api_gateway_method', 'get', { http_method: 'GET', authorization: 'AWS_IAM' }, [
    'id',
    'rest_api_id',
    'resource_id',
  ]),
  planned('aws_api_gateway_stage', 'live', { stage_name: 'live' }, ['arn', 'id', 'rest_api_id', 'deployment_id']),
  planned('aws_apigatewayv2_api', 'http', { name: 'minimal-http', protocol_type: 'HTTP' }, ['arn', 'id']),
  planned('aws_apigatewayv2_route', 'root', { route_key: 'GET /' }, ['id', 'api_id']),
  planned('aws_apigatewayv2_stage', 'default', { name: '$default' }, ['arn', 'id', 'api_id']),
  planned('aws_lambda_function_url', 'fn', { function_name: 'minimal-fn', authorization_type: 'AWS_IAM' }, [
    'id',
    'function_url',
  ]),
  planned(
    'aws_redshift_cluster',
    'warehouse',
    { cluster_identifier: 'minimal-warehouse', node_type: 'ra3.large', encrypted: true },
    ['arn', 'id', 'kms_key_id'],
  ),
];

function writePlan(): string {
  return writePlanFile({
    resources: RESOURCES.map((r) => r.value),
    changes: RESOURCES.map((r) => r.change),
    configuration: {
      provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'eu-west-1' } } } },
      root_module: {},
    },
  });
}

describe('a resource of every type, written as briefly as the source accepts', () => {
  it('is judged by the rules from a CloudFormation template (cfn-lint accepts the template)', async () => {
    const { items, judgedTypes, failed } = await notJudged(MINIMAL, 'cloudformation');
    expect(failed).toEqual([]);
    expect(items.length).toBe(26);
    for (const type of [
      'AWS::Backup::BackupVault',
      'AWS::OpenSearch::Domain',
      'AWS::SNS::Topic',
      'AWS::S3::Bucket',
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Stage',
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Stage',
      'AWS::Lambda::Url',
    ]) {
      expect(judgedTypes).toContain(type);
    }
  });

  it('is judged by the rules from a Terraform plan with the values known only after apply', async () => {
    const { items, judgedTypes, failed } = await notJudged(writePlan(), 'terraform-plan');
    expect(failed).toEqual([]);
    // The APIs themselves are not items (their methods, routes and stages are).
    expect(items.length).toBe(RESOURCES.length - 2);
    expect(judgedTypes.size).toBeGreaterThanOrEqual(14);
  });
});
