import type { ControlMap, ControlRefs } from '../runtime/controls';

// Sources (verified against the published text; see README "Compliance controls"): the Security Hub controls
// reference for FSBP and its "Related requirements" for CIS v3.0.0 and NIST SP 800-53 r5.
const AT_REST: ControlRefs = { 'nist-800-53-r5': ['SC-13', 'SC-28', 'SC-28(1)'] };

/** The FSBP (and CIS v3.0.0) control that checks encryption at rest of each store type, where one exists. */
const BY_TYPE: Readonly<Record<string, ControlRefs>> = {
  'AWS::RDS::DBInstance': { 'aws-fsbp': ['RDS.3'], 'cis-aws-3.0.0': ['2.3.1'] },
  'AWS::RDS::DBCluster': { 'aws-fsbp': ['RDS.27'] },
  'AWS::RDS::DBSnapshot': { 'aws-fsbp': ['RDS.4'] },
  'AWS::RDS::DBClusterSnapshot': { 'aws-fsbp': ['RDS.4'] },
  'AWS::EC2::Volume': { 'aws-fsbp': ['EC2.3'] },
  'AWS::EFS::FileSystem': { 'aws-fsbp': ['EFS.1', 'EFS.8'], 'cis-aws-3.0.0': ['2.4.1'] },
  'AWS::SQS::Queue': { 'aws-fsbp': ['SQS.1'] },
  'AWS::Kinesis::Stream': { 'aws-fsbp': ['Kinesis.1'] },
  'AWS::OpenSearch::Domain': { 'aws-fsbp': ['Opensearch.1'] },
  'AWS::Elasticsearch::Domain': { 'aws-fsbp': ['ES.1'] },
  'AWS::Redshift::Cluster': { 'aws-fsbp': ['Redshift.10'] },
  'AWS::ElastiCache::ReplicationGroup': { 'aws-fsbp': ['ElastiCache.4'] },
};

const KEY_MANAGEMENT: ControlRefs = { 'nist-800-53-r5': ['SC-12', 'SC-28(1)'] };

/**
 * Controls per finding code. `encryption-unknown` fails the same controls as `unencrypted` (fail closed: an
 * unknown state is not evidence of encryption). The key codes are about key choice, which FSBP does not check.
 */
export const CONTROLS: ControlMap = {
  unencrypted: { '*': AT_REST, ...BY_TYPE },
  'encryption-unknown': { '*': AT_REST, ...BY_TYPE },
  'not-customer-managed-key': { '*': KEY_MANAGEMENT },
  'key-not-allowed': { '*': KEY_MANAGEMENT },
  'external-key': { '*': { 'nist-800-53-r5': ['SC-12'] } },
  'key-unverified': { '*': { 'nist-800-53-r5': ['SC-12'] } },
};
