/**
 * Corpus: real policy shapes that AWS itself writes (AWS-managed KMS key policies, the default SNS topic policy)
 * or documents as the way to grant a service or another identity access. Every statement must be judged
 * compliant: a rule that flags these drowns users in false positives.
 *
 * Sources: the AWS-managed `aws/lambda` key policy and the SNS default policy are the shapes in
 * configuration-items.md sections 3.16 and 3.11 ([RDK-CI] AWS_KMS_Key.json, AWS_SNS_Topic.json); the other AWS-managed
 * keys follow the same "Allow access through <service>" template. The service and trust shapes are the ones
 * the AWS documentation gives for CloudTrail, Config, S3 server access logging, CloudFront OAC, SNS to SQS
 * subscriptions, Lambda triggers, GitHub Actions OIDC, EKS IRSA, Cognito identity pools and IAM Identity Center.
 */
import { parsePolicy } from '../../../rules/policy/document';
import { judgePolicy } from '../../../rules/no-public-principals/statements';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const trust = Object.freeze({ ownerAccountId: ACCOUNT, trustedAccountIds: [], trustedOrganizationIds: [] });

/** The AWS-managed key policy template: "Allow access through <service> for all principals in the account". */
function awsManagedKeyPolicy(alias: string, service: string, serviceName: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${alias}`,
      Statement: [
        {
          Sid: `Allow access through ${serviceName} for all principals in the account that are authorized to use ${serviceName}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:CreateGrant',
            'kms:DescribeKey',
          ],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `${service}.${REGION}.amazonaws.com` },
          },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/** The `aws/lambda` key policy exactly as the reference's CI carries it (pretty-printed JSON string). */
const AWS_LAMBDA_KEY_POLICY =
  '{\n  "Version" : "2012-10-17",\n  "Id" : "auto-awslambda",\n  "Statement" : [ {\n    "Sid" : "Allow access through AWS Lambda for all principals in the account that are authorized to use AWS Lambda",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "*"\n    },\n    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],\n    "Resource" : "*",\n    "Condition" : {\n      "StringEquals" : {\n        "kms:CallerAccount" : "123456789012",\n        "kms:ViaService" : "lambda.us-east-1.amazonaws.com"\n      }\n    }\n  }, {\n    "Sid" : "Allow direct access to key metadata to the account",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "arn:aws:iam::123456789012:root"\n    },\n    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],\n    "Resource" : "*"\n  } ]\n}';

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:topic`;
/** The default SNS topic policy exactly as the reference's CI carries it (without the console's public statements). */
const SNS_DEFAULT_POLICY = `{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:Publish","SNS:RemovePermission","SNS:SetTopicAttributes","SNS:DeleteTopic","SNS:ListSubscriptionsByTopic","SNS:GetTopicAttributes","SNS:Receive","SNS:AddPermission","SNS:Subscribe"],"Resource":"${TOPIC}","Condition":{"StringEquals":{"AWS:SourceOwner":"${ACCOUNT}"}}}]}`;

const statement = (s: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [s] });
const BUCKET = 'arn:aws:s3:::corpus-bucket';

type Shape = [name: string, document: string, kind: 'resource' | 'trust', kms?: boolean];

const shapes: Shape[] = [
  ['AWS-managed key aws/lambda (reference CI)', AWS_LAMBDA_KEY_POLICY, 'resource', true],
  ...(
    [
      ['s3', 's3', 'Amazon S3'],
      ['ebs', 'ec2', 'Amazon EBS'],
      ['rds', 'rds', 'Amazon RDS'],
      ['sns', 'sns', 'Amazon SNS'],
      ['sqs', 'sqs', 'Amazon SQS'],
      ['secretsmanager', 'secretsmanager', 'AWS Secrets Manager'],
      ['kinesis', 'kinesis', 'Amazon Kinesis'],
      ['elasticfilesystem', 'elasticfilesystem', 'Amazon Elastic File System'],
    ] as const
  ).map(([alias, svc, name]): Shape => [
    `AWS-managed key aws/${alias}`,
    awsManagedKeyPolicy(alias, svc, name),
    'resource',
    true,
  ]),
  ['SNS default topic policy (reference CI)', SNS_DEFAULT_POLICY, 'resource'],
  [
    'SQS console default queue policy',
    statement({
      Sid: '__owner_statement',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'SQS:*',
      Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:q`,
    }),
    'resource',
  ],
  [
    'SNS to SQS subscription (console)',
    statement({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:q`,
      Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
    }),
    'resource',
  ],
  [
    'Lambda permission for an S3 trigger (console)',
    statement({
      Sid: 'lambda-s3',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`,
      Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT }, ArnLike: { 'AWS:SourceArn': BUCKET } },
    }),
    'resource',
  ],
  [
    'Lambda permission for API Gateway',
    statement({
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`,
      Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3/*/GET/items` } },
    }),
    'resource',
  ],
  [
    'CloudTrail bucket policy',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: BUCKET,
          Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main` } },
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${BUCKET}/AWSLogs/${ACCOUNT}/*`,
          Condition: {
            StringEquals: {
              's3:x-amz-acl': 'bucket-owner-full-control',
              'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
            },
          },
        },
      ],
    }),
    'resource',
  ],
  [
    'AWS Config delivery bucket policy',
    statement({
      Sid: 'AWSConfigBucketDelivery',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${BUCKET}/AWSLogs/${ACCOUNT}/Config/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'AWS:SourceAccount': ACCOUNT } },
    }),
    'resource',
  ],
  [
    'S3 server access logging bucket policy',
    statement({
      Sid: 'S3ServerAccessLogsPolicy',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${BUCKET}/logs/*`,
      Condition: {
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' },
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
      },
    }),
    'resource',
  ],
  [
    'CloudFront origin access control bucket policy',
    statement({
      Sid: 'AllowCloudFrontServicePrincipalReadOnly',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE` } },
    }),
    'resource',
  ],
  [
    'Bucket policy denying insecure transport',
    statement({
      Sid: 'AllowSSLRequestsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
    'resource',
  ],
  [
    'Customer-managed key default policy',
    statement({
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    }),
    'resource',
    true,
  ],
  [
    'Lambda execution role trust',
    statement({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    'trust',
  ],
  [
    'CDK bootstrap deploy role trust',
    statement({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    }),
    'trust',
  ],
  [
    'GitHub Actions OIDC trust (AWS documentation)',
    statement({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' },
      },
    }),
    'trust',
  ],
  [
    'EKS IAM roles for service accounts trust',
    statement({
      Effect: 'Allow',
      Principal: {
        Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub`]:
            'system:serviceaccount:default:my-sa',
          [`oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud`]: 'sts.amazonaws.com',
        },
      },
    }),
    'trust',
  ],
  [
    'Cognito identity pool authenticated role trust',
    statement({
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': `${REGION}:12345678-abcd-1234-abcd-123456789012` },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      },
    }),
    'trust',
  ],
  [
    'IAM Identity Center permission set role trust',
    statement({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE` },
      Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    }),
    'trust',
  ],
];

describe('no-public-principals corpus: real shapes AWS writes or documents', () => {
  const rows = shapes.flatMap(([name, document, kind, kms]) => {
    const parsed = parsePolicy(document);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
    return parsed.document.statements.map(
      (s) =>
        [
          `${name}, statement ${s.sid ?? s.index}`,
          { ...parsed.document, statements: [s] },
          kind,
          kms ?? false,
        ] as const,
    );
  });

  it('covers every statement of every shape', () => {
    expect(rows.length).toBeGreaterThanOrEqual(shapes.length);
  });

  it.each(rows)('judges compliant: %s', (_name, document, kind, kms) => {
    const verdict = judgePolicy(document, {
      kind,
      trust,
      path: 'policy',
      conditionKeys: kms ? { 'kms:calleraccount': 'principal-account' } : undefined,
    });
    expect(verdict.findings).toEqual([]);
    expect(verdict.neutralised).toBe(0);
  });

  it('would flag the AWS-managed key statement without kms:CallerAccount (the corpus can fail)', () => {
    const parsed = parsePolicy(AWS_LAMBDA_KEY_POLICY);
    if (!parsed.ok) throw new Error(parsed.error);
    const verdict = judgePolicy(parsed.document, { kind: 'resource', trust, path: 'policy' });
    expect(verdict.findings.map((f) => f.code)).toEqual(['public-principal']);
  });

  it('flags the AWS-managed key statement when kms:CallerAccount names another account', () => {
    const parsed = parsePolicy(
      AWS_LAMBDA_KEY_POLICY.replace('"kms:CallerAccount" : "123456789012"', '"kms:CallerAccount" : "999988887777"'),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const verdict = judgePolicy(parsed.document, {
      kind: 'resource',
      trust,
      path: 'policy',
      conditionKeys: { 'kms:calleraccount': 'principal-account' },
    });
    expect(verdict.findings.map((f) => f.code)).toEqual(['external-principal']);
  });
});
