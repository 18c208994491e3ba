import type { ControlMap, ControlRefs } from '../runtime/controls';

// NIST controls Security Hub relates to its public-access controls (S3.2, S3.3, Lambda.1), the core ones.
const PUBLIC_NIST: ControlRefs = { 'nist-800-53-r5': ['AC-3', 'AC-4', 'AC-6', 'AC-21', 'SC-7'] };

/** The FSBP control that checks public access through the resource policy of each type, where one exists. */
const PUBLIC_BY_TYPE: Readonly<Record<string, ControlRefs>> = {
  'AWS::S3::Bucket': { 'aws-fsbp': ['S3.2', 'S3.3'] },
  'AWS::SNS::Topic': { 'aws-fsbp': ['SNS.4'] },
  'AWS::SQS::Queue': { 'aws-fsbp': ['SQS.3'] },
  'AWS::Lambda::Function': { 'aws-fsbp': ['Lambda.1'] },
};

const CROSS_ACCOUNT: ControlRefs = { 'nist-800-53-r5': ['AC-3', 'AC-6', 'AC-21'] };
const SCOPED_TRUST: ControlRefs = { 'nist-800-53-r5': ['AC-3', 'AC-6'] };

/**
 * Controls per finding code. A NotPrincipal Allow grants everyone not listed, so it fails the public-access
 * controls; a policy that cannot be decoded fails them too (fail closed: it was not judged).
 */
export const CONTROLS: ControlMap = {
  'public-principal': { '*': PUBLIC_NIST, ...PUBLIC_BY_TYPE },
  'not-principal-allow': { '*': PUBLIC_NIST, ...PUBLIC_BY_TYPE },
  'public-acl': { '*': PUBLIC_NIST, 'AWS::S3::Bucket': { 'aws-fsbp': ['S3.2', 'S3.3'] } },
  'malformed-policy': { '*': PUBLIC_NIST, ...PUBLIC_BY_TYPE },
  'external-principal': { '*': CROSS_ACCOUNT },
  'unscoped-service-principal': { '*': SCOPED_TRUST },
  'trust-without-external-id': { '*': SCOPED_TRUST },
  'oidc-without-subject': { '*': SCOPED_TRUST },
};
