import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';

/**
 * The key policy statement that lets CloudWatch Logs of the stack's region use a key for the log groups whose
 * names match `logGroupName` (exact, or a `*` pattern), in the stack's account only: CloudWatch Logs puts the log
 * group's ARN in the encryption context of every request it makes with the key.
 */
export function logsKeyStatement(stack: Stack, sid: string, logGroupName: string): PolicyStatement {
  const arn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}`;
  return new PolicyStatement({
    sid,
    principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      [logGroupName.includes('*') ? 'ArnLike' : 'ArnEquals']: { 'kms:EncryptionContext:aws:logs:arn': arn },
    },
  });
}
