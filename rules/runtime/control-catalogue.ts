import type { ControlRef, FrameworkKey } from './controls';

/** What a framework is called and where its control text is published. */
export interface FrameworkInfo {
  readonly key: FrameworkKey;
  readonly name: string;
  readonly version: string;
  readonly source: string;
}

/** The frameworks ward maps to (rules/runtime/controls.ts). */
export const FRAMEWORKS: Readonly<Record<FrameworkKey, FrameworkInfo>> = {
  'aws-fsbp': {
    key: 'aws-fsbp',
    name: 'AWS Foundational Security Best Practices',
    version: '1.0.0',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html',
  },
  'cis-aws-3.0.0': {
    key: 'cis-aws-3.0.0',
    name: 'CIS Amazon Web Services Foundations Benchmark',
    version: '3.0.0',
    source: 'https://www.cisecurity.org/benchmark/amazon_web_services',
  },
  'nist-800-53-r5': {
    key: 'nist-800-53-r5',
    name: 'NIST SP 800-53',
    version: 'Revision 5',
    source: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
  },
};

/**
 * The title of every control a rule maps to, as the framework publishes it (a test fails when a rule maps
 * to a control missing here). FSBP titles are Security Hub's; CIS titles are the benchmark's recommendation
 * text; NIST titles are the control names of SP 800-53 Rev. 5.
 */
export const CONTROL_TITLES: Readonly<Record<ControlRef, string>> = {
  'aws-fsbp:Lambda.2': 'Lambda functions should use supported runtimes',
  'aws-fsbp:APIGateway.9': 'Access logging should be configured for API Gateway V2 Stages',
  'aws-fsbp:APIGateway.8': 'API Gateway routes should specify an authorization type',
  'aws-fsbp:APIGateway.1': 'API Gateway REST and WebSocket API execution logging should be enabled',
  'aws-fsbp:EC2.3': 'Attached Amazon EBS volumes should be encrypted at-rest',
  'aws-fsbp:EFS.1': 'Elastic File System should be configured to encrypt file data at-rest using AWS KMS',
  'aws-fsbp:EFS.8': 'EFS file systems should be encrypted at rest',
  'aws-fsbp:ElastiCache.4': 'ElastiCache replication groups should be encrypted at rest',
  'aws-fsbp:ES.1': 'Elasticsearch domains should have encryption at-rest enabled',
  'aws-fsbp:IAM.1': 'IAM policies should not allow full "*" administrative privileges',
  'aws-fsbp:IAM.21': 'IAM customer managed policies that you create should not allow wildcard actions for services',
  'aws-fsbp:KMS.5': 'KMS keys should not be publicly accessible',
  'aws-fsbp:Kinesis.1': 'Kinesis streams should be encrypted at rest',
  'aws-fsbp:Lambda.1': 'Lambda function policies should prohibit public access',
  'aws-fsbp:Opensearch.1': 'OpenSearch domains should have encryption at rest enabled',
  'aws-fsbp:RDS.3': 'RDS DB instances should have encryption at-rest enabled',
  'aws-fsbp:RDS.4': 'RDS cluster snapshots and database snapshots should be encrypted at rest',
  'aws-fsbp:RDS.27': 'RDS DB clusters should be encrypted at rest',
  'aws-fsbp:Redshift.10': 'Redshift clusters should be encrypted at rest',
  'aws-fsbp:S3.2': 'S3 general purpose buckets should block public read access',
  'aws-fsbp:S3.3': 'S3 general purpose buckets should block public write access',
  'aws-fsbp:SNS.4': 'SNS topic access policies should not allow public access',
  'aws-fsbp:SQS.1': 'Amazon SQS queues should be encrypted at rest',
  'aws-fsbp:SQS.3': 'SQS queue access policies should not allow public access',
  'cis-aws-3.0.0:1.16': 'Ensure IAM policies that allow full "*:*" administrative privileges are not attached',
  'cis-aws-3.0.0:2.3.1': 'Ensure that encryption-at-rest is enabled for RDS Instances',
  'cis-aws-3.0.0:2.4.1': 'Ensure that encryption is enabled for EFS file systems',
  'nist-800-53-r5:AU-2': 'Event Logging',
  'nist-800-53-r5:AU-3': 'Content of Audit Records',
  'nist-800-53-r5:AU-12': 'Audit Record Generation',
  'nist-800-53-r5:SI-2': 'Flaw Remediation',
  'nist-800-53-r5:AC-2': 'Account Management',
  'nist-800-53-r5:AC-3': 'Access Enforcement',
  'nist-800-53-r5:AC-4': 'Information Flow Enforcement',
  'nist-800-53-r5:AC-5': 'Separation of Duties',
  'nist-800-53-r5:AC-6': 'Least Privilege',
  'nist-800-53-r5:AC-21': 'Information Sharing',
  'nist-800-53-r5:IA-2': 'Identification and Authentication (Organizational Users)',
  'nist-800-53-r5:IA-5': 'Authenticator Management',
  'nist-800-53-r5:IA-5(7)': 'Authenticator Management | No Embedded Unencrypted Static Authenticators',
  'nist-800-53-r5:SC-7': 'Boundary Protection',
  'nist-800-53-r5:SC-12': 'Cryptographic Key Establishment and Management',
  'nist-800-53-r5:SC-13': 'Cryptographic Protection',
  'nist-800-53-r5:SC-28': 'Protection of Information at Rest',
  'nist-800-53-r5:SC-28(1)': 'Protection of Information at Rest | Cryptographic Protection',
};

/** The title of a control reference (the reference itself when unknown, which a test forbids). */
export function controlTitle(ref: string): string {
  return (CONTROL_TITLES as Record<string, string>)[ref] ?? ref;
}
