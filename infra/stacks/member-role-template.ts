import type { AnyRule } from '../../rules/runtime/types';
import { fillScope, groupReadsByScope } from '../constructs/rule-read-scopes';

/** Props of {@link memberRoleTemplate}. */
export interface MemberRoleTemplateProps {
  /** The account of the central rule Lambdas. */
  readonly centralAccountId: string;
  readonly roleName: string;
  readonly rules: readonly AnyRule[];
}

/**
 * The CloudFormation template the service-managed StackSet deploys to every member account: the role the
 * central rule Lambdas assume to read resources and report evaluations there. Only ward's rule Lambda roles
 * (`ward-rule-*` in the central account) may assume it.
 */
export function memberRoleTemplate(props: MemberRoleTemplateProps): Record<string, unknown> {
  const reads = [...new Set(props.rules.flatMap((r) => r.meta.permissions))].sort();
  const periodic = props.rules.some((r) => r.meta.trigger.periodic);
  const statements: Record<string, unknown>[] = [
    // Neither action supports resource-level permissions.
    {
      Sid: 'ReportEvaluations',
      Effect: 'Allow',
      Action: ['config:GetResourceConfigHistory', 'config:PutEvaluations'],
      Resource: '*',
    },
  ];
  if (periodic)
    statements.push({
      Sid: 'PreviousResults',
      Effect: 'Allow',
      Action: 'config:GetComplianceDetailsByConfigRule',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*' },
    });
  // The rules' reads on the member account's ARNs where the service supports it; any region (the role is global
  // and the central Lambdas of every deployed region assume it).
  for (const [i, g] of groupReadsByScope(reads).entries())
    statements.push({
      Sid: i === 0 ? 'RuleReads' : `RuleReads${i}`,
      Effect: 'Allow',
      Action: g.actions,
      Resource: g.resources.map((r) =>
        r === '*' ? r : { 'Fn::Sub': fillScope(r, '${AWS::Partition}', '*', '${AWS::AccountId}') },
      ),
    });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'ward member-account role: the central ward rule Lambdas read resources and report evaluations here',
    Resources: {
      WardMemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: props.roleName,
          Description: 'Assumed by the central ward rule Lambdas (ward-rule-*)',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${props.centralAccountId}:root` } },
                Action: 'sts:AssumeRole',
                Condition: {
                  ArnLike: {
                    'aws:PrincipalArn': {
                      'Fn::Sub': `arn:\${AWS::Partition}:iam::${props.centralAccountId}:role/ward-rule-*`,
                    },
                  },
                },
              },
            ],
          },
          Policies: [{ PolicyName: 'ward-member', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
        },
      },
    },
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['WardMemberRole', 'Arn'] } } },
  };
}
