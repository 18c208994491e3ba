/*
 * The AWS managed rules that complete ward's concerns in the conformance packs. Facts per rule (parameters,
 * trigger, scope, regions where it is NOT available) come from AWS Config's managed-rule documentation as
 * captured in moto 5.2.5's `config/resources/aws_managed_rules.json`; re-check them when AWS adds regions.
 * Parameters are always given explicitly: only the console fills managed-rule defaults, CloudFormation and
 * `put-conformance-pack` do not.
 */

/** What a managed rule protects, for docs and pack comments. */
export type Concern =
  'wildcard-permissions' | 'public-access' | 'encryption' | 'key-and-credential-sharing' | 'serverless-entry-points';

/** One AWS managed rule as ward deploys it. */
export interface ManagedRuleSpec {
  /** The managed rule identifier (Source.SourceIdentifier). */
  readonly identifier: string;
  readonly concern: Concern;
  readonly description: string;
  /** Change-triggered scope; absent for periodic rules. */
  readonly resourceTypes?: readonly string[];
  /** Periodic rules run at this frequency. */
  readonly periodic?: 'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';
  /** Explicit InputParameters (strings). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Judges global (IAM) resources: deployed in the global-resources region only. */
  readonly global: boolean;
  /** Region codes where AWS does not offer the rule. */
  readonly unavailableIn: readonly string[];
}

/** Region codes of the region names AWS lists as exceptions. */
const R = {
  hyderabad: 'ap-south-2',
  malaysia: 'ap-southeast-5',
  melbourne: 'ap-southeast-4',
  newZealand: 'ap-southeast-6',
  taipei: 'ap-east-2',
  thailand: 'ap-southeast-7',
  calgary: 'ca-west-1',
  ningxia: 'cn-northwest-1',
  milan: 'eu-south-1',
  spain: 'eu-south-2',
  zurich: 'eu-central-2',
  telAviv: 'il-central-1',
  mexico: 'mx-central-1',
  uae: 'me-central-1',
} as const;

/** Regions without the IAM credential rules (ACCESS_KEYS_ROTATED and its siblings). */
const IAM_RULE_GAPS = [
  R.newZealand,
  R.thailand,
  R.uae,
  R.hyderabad,
  R.malaysia,
  R.melbourne,
  R.mexico,
  R.telAviv,
  R.taipei,
  R.calgary,
  R.spain,
  R.zurich,
] as const;

/** The managed rules of the packs, in pack order. */
export const MANAGED_RULES: readonly ManagedRuleSpec[] = [
  {
    identifier: 'ACCESS_KEYS_ROTATED',
    concern: 'key-and-credential-sharing',
    description: 'IAM user access keys are rotated within 90 days.',
    periodic: 'TwentyFour_Hours',
    parameters: { maxAccessKeyAge: '90' },
    global: true,
    unavailableIn: IAM_RULE_GAPS,
  },
  {
    identifier: 'IAM_USER_UNUSED_CREDENTIALS_CHECK',
    concern: 'key-and-credential-sharing',
    description: 'IAM user passwords and access keys unused for 90 days are disabled.',
    periodic: 'TwentyFour_Hours',
    parameters: { maxCredentialUsageAge: '90' },
    global: true,
    unavailableIn: IAM_RULE_GAPS,
  },
  {
    identifier: 'IAM_ROOT_ACCESS_KEY_CHECK',
    concern: 'key-and-credential-sharing',
    description: 'The root user has no access keys.',
    periodic: 'TwentyFour_Hours',
    parameters: {},
    global: true,
    unavailableIn: IAM_RULE_GAPS.filter((r) => r !== R.hyderabad && r !== R.melbourne),
  },
  {
    identifier: 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS',
    concern: 'wildcard-permissions',
    description: 'Customer-managed policies do not allow "*" on "*".',
    resourceTypes: ['AWS::IAM::Policy'],
    parameters: { excludePermissionBoundaryPolicy: 'false' },
    global: true,
    unavailableIn: IAM_RULE_GAPS,
  },
  {
    identifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION',
    concern: 'encryption',
    description: 'No customer-managed KMS key is scheduled for deletion.',
    periodic: 'TwentyFour_Hours',
    parameters: {},
    global: false,
    unavailableIn: [R.newZealand, R.milan, R.taipei],
  },
  {
    identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
    concern: 'encryption',
    description: 'Customer-managed KMS keys rotate their key material.',
    periodic: 'TwentyFour_Hours',
    parameters: {},
    global: false,
    unavailableIn: [],
  },
  {
    identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY',
    concern: 'public-access',
    description: 'S3 bucket policies deny requests that do not use TLS.',
    resourceTypes: ['AWS::S3::Bucket'],
    parameters: {},
    global: false,
    unavailableIn: [],
  },
  {
    identifier: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED',
    concern: 'public-access',
    description: 'S3 buckets block public access at bucket level.',
    resourceTypes: ['AWS::S3::Bucket'],
    parameters: {},
    global: false,
    unavailableIn: [],
  },
  {
    identifier: 'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED',
    concern: 'public-access',
    description: 'Lambda function resource policies do not allow public invocation.',
    resourceTypes: ['AWS::Lambda::Function'],
    parameters: {},
    global: false,
    unavailableIn: [R.ningxia],
  },
  {
    identifier: 'SECRETSMANAGER_ROTATION_ENABLED_CHECK',
    concern: 'key-and-credential-sharing',
    description: 'Secrets Manager secrets rotate at least every 90 days.',
    resourceTypes: ['AWS::SecretsManager::Secret'],
    parameters: { maximumAllowedRotationFrequency: '90' },
    global: false,
    unavailableIn: [],
  },
  {
    identifier: 'DYNAMODB_TABLE_ENCRYPTED_KMS',
    concern: 'encryption',
    description: 'DynamoDB tables are encrypted with a KMS key (Serverless best practices).',
    resourceTypes: ['AWS::DynamoDB::Table'],
    parameters: {},
    global: false,
    unavailableIn: [],
  },
  {
    identifier: 'SNS_ENCRYPTED_KMS',
    concern: 'encryption',
    description: 'SNS topics are encrypted with a KMS key (Serverless best practices).',
    resourceTypes: ['AWS::SNS::Topic'],
    parameters: {},
    global: false,
    unavailableIn: [],
  },
  {
    identifier: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED',
    concern: 'encryption',
    description: 'CloudWatch log groups are encrypted with a KMS key (Serverless best practices).',
    periodic: 'TwentyFour_Hours',
    parameters: {},
    global: false,
    unavailableIn: [],
  },
  {
    // Serverless best practices: ward's entry-points-authenticated and entry-points-logged judge who may call an
    // API and whether it is logged; a web ACL in front of a REST stage is the layer they do not check.
    identifier: 'API_GW_ASSOCIATED_WITH_WAF',
    concern: 'serverless-entry-points',
    description: 'REST API stages are associated with an AWS WAF web ACL (Serverless best practices).',
    resourceTypes: ['AWS::ApiGateway::Stage'],
    parameters: {},
    global: false,
    unavailableIn: [R.newZealand, R.taipei],
  },
];

/** The Config rule name ward gives a managed rule: `ward-aws-<identifier in kebab case>`. */
export function managedRuleName(identifier: string): string {
  return `ward-aws-${identifier.toLowerCase().replace(/_/g, '-')}`;
}
