import { dynamodbUseCustomerManagedKey } from './dynamodb-use-customer-managed-key';
import { iamDeactivateExposedAccessKey } from './iam-deactivate-exposed-access-key';
import { kmsRemovePublicStatements } from './kms-remove-public-statements';
import { kmsRevokeExternalGrant } from './kms-revoke-external-grant';
import { s3BlockPublicAccess } from './s3-block-public-access';
import { s3EnableDefaultEncryption } from './s3-enable-default-encryption';
import { snsEnableEncryption } from './sns-enable-encryption';
import { sqsEnableEncryption } from './sqs-enable-encryption';
import type { AnyAutomatedRunbook, ManualPlaybook, RunbookEntry, RunbookPermission } from './types';

export type * from './types';

/** Playbooks with manual steps only (`runbooks/<id>.md`): no automation is safe for these. */
export const manualPlaybooks: readonly ManualPlaybook[] = [
  {
    id: 'rds-reencrypt',
    title: 'Re-encrypt an RDS database (snapshot, copy with a key, restore)',
    automated: false,
    resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
    findingCodes: ['unencrypted', 'not-customer-managed-key', 'key-not-allowed', 'external-key'],
  },
  {
    id: 'ebs-reencrypt',
    title: 'Re-encrypt an EBS volume (snapshot, encrypted copy, swap)',
    automated: false,
    resourceTypes: ['AWS::EC2::Volume'],
    findingCodes: ['unencrypted', 'not-customer-managed-key', 'key-not-allowed', 'external-key'],
  },
  {
    id: 'iam-scope-wildcard-policy',
    title: 'Scope a wildcard IAM policy to the actions and resources in use',
    automated: false,
    resourceTypes: ['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'],
    findingCodes: [
      'full-admin',
      'not-action-allow',
      'service-wildcard',
      'sensitive-wildcard',
      'not-resource-allow',
      'attached-admin-policy',
    ],
  },
  {
    id: 'lambda-move-credential-to-secrets-manager',
    title: 'Move a credential from a Lambda environment to Secrets Manager',
    automated: false,
    resourceTypes: ['AWS::Lambda::Function'],
    findingCodes: ['plaintext-credential', 'shared-credential'],
  },
  {
    id: 'lambda-upgrade-runtime',
    title: 'Upgrade a Lambda function to a supported runtime',
    automated: false,
    resourceTypes: ['AWS::Lambda::Function'],
    findingCodes: ['runtime-deprecated', 'runtime-deprecating', 'runtime-unknown'],
  },
  {
    id: 'api-add-authorizer',
    title: 'Add an authorizer to an open API method, route or function URL',
    automated: false,
    resourceTypes: ['AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api', 'AWS::Lambda::Function'],
    findingCodes: ['open-method', 'open-route', 'open-function-url'],
  },
  {
    id: 'api-enable-access-logs',
    title: 'Turn on access and execution logs for an API stage',
    automated: false,
    resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'],
    findingCodes: ['access-log-missing', 'execution-log-off'],
  },
];

/** Automated runbooks, each with its playbook beside it. */
export const automatedRunbooks: readonly AnyAutomatedRunbook[] = [
  s3EnableDefaultEncryption,
  s3BlockPublicAccess,
  snsEnableEncryption,
  sqsEnableEncryption,
  dynamodbUseCustomerManagedKey,
  kmsRemovePublicStatements,
  kmsRevokeExternalGrant,
  iamDeactivateExposedAccessKey,
];

/** Every runbook and playbook, by id. */
export const runbooks: readonly RunbookEntry[] = [...automatedRunbooks, ...manualPlaybooks];

/** Looks a runbook or playbook up by id. */
export function findRunbook(id: string): RunbookEntry | undefined {
  return runbooks.find((r) => r.id === id);
}

/**
 * Remediations for AWS managed rules of the pack (they have no ward metadata): managed rule identifier ->
 * resource type -> runbook id. Config rule names from a conformance pack carry a suffix, so names are matched
 * by prefix.
 */
export const managedRuleRemediations: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  's3-bucket-server-side-encryption-enabled': { 'AWS::S3::Bucket': 's3-enable-default-encryption' },
  's3-default-encryption-kms': { 'AWS::S3::Bucket': 's3-enable-default-encryption' },
  's3-bucket-level-public-access-prohibited': { 'AWS::S3::Bucket': 's3-block-public-access' },
  'sns-encrypted-kms': { 'AWS::SNS::Topic': 'sns-enable-encryption' },
  'sqs-queue-encrypted': { 'AWS::SQS::Queue': 'sqs-enable-encryption' },
  'dynamodb-table-encrypted-kms': { 'AWS::DynamoDB::Table': 'dynamodb-use-customer-managed-key' },
  'rds-storage-encrypted': { 'AWS::RDS::DBInstance': 'rds-reencrypt' },
  'encrypted-volumes': { 'AWS::EC2::Volume': 'ebs-reencrypt' },
};

/**
 * The runbook id for a managed rule's Config rule name and a resource type, if any. ward's packs name managed
 * rules `ward-aws-<identifier>`; packs deployed otherwise use the identifier, often with a suffix.
 */
export function managedRemediation(configRuleName: string, resourceType: string): string | undefined {
  const name = configRuleName.startsWith('ward-aws-') ? configRuleName.slice('ward-aws-'.length) : configRuleName;
  const id = Object.keys(managedRuleRemediations)
    .sort((a, b) => b.length - a.length)
    .find((k) => name === k || name.startsWith(`${k}-`));
  return id === undefined ? undefined : managedRuleRemediations[id][resourceType];
}

/** The union of the automated runbooks' permissions, one entry per action and resource pattern. */
export function runbookPermissions(list: readonly AnyAutomatedRunbook[] = automatedRunbooks): RunbookPermission[] {
  const seen = new Map<string, RunbookPermission>();
  for (const r of list) for (const p of r.permissions) seen.set(`${p.action} ${p.resource}`, p);
  return [...seen.values()].sort((a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource));
}
