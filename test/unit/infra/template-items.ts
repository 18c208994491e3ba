/*
 * Builds event-form configuration items from a synthesized CloudFormation template, for running ward's own
 * rules over ward's own resources: IAM roles (with their inline policies), SNS topics and SQS queues (with
 * their policies), KMS keys (with their key policies), Lambda functions (with their resource policies) and
 * S3 buckets. Intrinsic functions are resolved to concrete, plausible ARNs.
 */
import { type ConfigurationItem, normalizeConfigurationItem } from '../../../rules/runtime/configuration-item';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const SERVICE_OF: Record<string, string> = {
  'AWS::IAM::Role': 'iam',
  'AWS::SNS::Topic': 'sns',
  'AWS::SQS::Queue': 'sqs',
  'AWS::KMS::Key': 'kms',
  'AWS::Lambda::Function': 'lambda',
  'AWS::Events::Rule': 'events',
  'AWS::S3::Bucket': 's3',
  'AWS::Logs::LogGroup': 'logs',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
};

/** Resolves intrinsics in a template fragment against an account and region. */
export function resolver(resources: Resources, account: string, region: string) {
  const nameOf = (id: string): string => {
    const p = resources[id]?.Properties ?? {};
    const named = p.RoleName ?? p.TopicName ?? p.QueueName ?? p.FunctionName ?? p.BucketName ?? p.LogGroupName;
    return typeof named === 'string' ? named : id.toLowerCase();
  };
  const arnOf = (id: string): string => {
    const type = resources[id]?.Type ?? '';
    const service = SERVICE_OF[type] ?? 'unknown';
    const name = nameOf(id);
    switch (type) {
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role/${name}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${region}:${account}:key/${id.toLowerCase()}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
      default:
        return `arn:aws:${service}:${region}:${account}:${name}`;
    }
  };
  const refOf = (id: string): string => {
    switch (id) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return account;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'ward';
    }
    const type = resources[id]?.Type;
    if (type === 'AWS::SNS::Topic' || type === 'AWS::SQS::Queue') return arnOf(id);
    if (type === 'AWS::KMS::Key') return id.toLowerCase();
    return nameOf(id);
  };
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return refOf(String(o.Ref));
    if ('Fn::GetAtt' in o) {
      const [id] = o['Fn::GetAtt'] as [string, string];
      return arnOf(id);
    }
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return (resolve(parts) as unknown[]).join(sep);
    }
    if ('Fn::Sub' in o) {
      const text = String(o['Fn::Sub']);
      return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => refOf(name));
    }
    if ('Fn::ImportValue' in o) return `imported-${JSON.stringify(o['Fn::ImportValue']).length}`;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
  };
  return { resolve, arnOf, nameOf };
}

/** The event-form CIs of the resources ward's rules judge, built from one template. */
export function templateItems(
  template: { Resources?: Resources },
  account: string,
  region: string,
): ConfigurationItem[] {
  const resources = template.Resources ?? {};
  const { resolve, arnOf, nameOf } = resolver(resources, account, region);
  const refers = (value: unknown, id: string) => JSON.stringify(value ?? null).includes(`"${id}"`);
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const base = (id: string, type: string, resourceId: string, configuration: object, supplementary: object = {}) =>
    normalizeConfigurationItem({
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: '2026-11-23T00:00:00.000Z',
      configurationItemStatus: 'ResourceDiscovered',
      awsAccountId: account,
      awsRegion: type.startsWith('AWS::IAM::') ? 'global' : region,
      resourceType: type,
      resourceId,
      resourceName: nameOf(id),
      ARN: arnOf(id),
      tags: {},
      relationships: [],
      configuration,
      supplementaryConfiguration: supplementary,
    });
  const items: ConfigurationItem[] = [];

  for (const [id, r] of of('AWS::IAM::Role')) {
    const p = r.Properties ?? {};
    const inline = [
      ...((p.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []),
      ...of('AWS::IAM::Policy')
        .filter(([, pol]) => refers(pol.Properties?.Roles, id))
        .map(([, pol]) => pol.Properties as { PolicyName: string; PolicyDocument: unknown }),
    ];
    items.push(
      base(id, 'AWS::IAM::Role', `AROA${id.toUpperCase().slice(0, 17)}`, {
        roleName: nameOf(id),
        arn: arnOf(id),
        path: '/',
        assumeRolePolicyDocument: encodeURIComponent(JSON.stringify(resolve(p.AssumeRolePolicyDocument))),
        rolePolicyList: inline.map((pol) => ({
          policyName: String(resolve(pol.PolicyName)),
          policyDocument: encodeURIComponent(JSON.stringify(resolve(pol.PolicyDocument))),
        })),
        attachedManagedPolicies: ((resolve(p.ManagedPolicyArns) as string[] | undefined) ?? []).map((arn) => ({
          policyArn: arn,
          policyName: arn.split('/').pop(),
        })),
        permissionsBoundary: null,
      }),
    );
  }
  for (const [id, r] of of('AWS::SNS::Topic')) {
    const policy = of('AWS::SNS::TopicPolicy').find(([, pol]) => refers(pol.Properties?.Topics, id));
    items.push(
      base(id, 'AWS::SNS::Topic', arnOf(id), {
        TopicArn: arnOf(id),
        KmsMasterKeyId: resolve(r.Properties?.KmsMasterKeyId),
        ...(policy ? { Policy: JSON.stringify(resolve(policy[1].Properties?.PolicyDocument)) } : {}),
      }),
    );
  }
  for (const [id, r] of of('AWS::SQS::Queue')) {
    const policy = of('AWS::SQS::QueuePolicy').find(([, pol]) => refers(pol.Properties?.Queues, id));
    const url = `https://sqs.${region}.amazonaws.com/${account}/${nameOf(id)}`;
    items.push(
      base(id, 'AWS::SQS::Queue', url, {
        QueueArn: arnOf(id),
        KmsMasterKeyId: resolve(r.Properties?.KmsMasterKeyId),
        SqsManagedSseEnabled: r.Properties?.KmsMasterKeyId ? 'false' : 'true',
        ...(policy ? { Policy: JSON.stringify(resolve(policy[1].Properties?.PolicyDocument)) } : {}),
      }),
    );
  }
  for (const [id, r] of of('AWS::KMS::Key')) {
    items.push(
      base(
        id,
        'AWS::KMS::Key',
        id.toLowerCase(),
        {
          keyId: id.toLowerCase(),
          arn: arnOf(id),
          keyManager: 'CUSTOMER',
          keyState: 'Enabled',
          enabled: true,
          awsaccountId: account,
        },
        {
          Policy: JSON.stringify(resolve(r.Properties?.KeyPolicy)),
          KeyRotationStatus: r.Properties?.EnableKeyRotation === true,
        },
      ),
    );
  }
  for (const [id] of of('AWS::Lambda::Function')) {
    const statements = of('AWS::Lambda::Permission')
      .filter(([, perm]) => refers(perm.Properties?.FunctionName, id))
      .map(([pid, perm]) => {
        const p = resolve(perm.Properties) as Record<string, string>;
        const condition: Record<string, Record<string, string>> = {};
        if (p.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': p.SourceAccount };
        if (p.PrincipalOrgID)
          condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': p.PrincipalOrgID };
        if (p.SourceArn) condition.ArnLike = { 'AWS:SourceArn': p.SourceArn };
        const principal = p.Principal.includes('.amazonaws.com') ? { Service: p.Principal } : { AWS: p.Principal };
        return {
          Sid: pid,
          Effect: 'Allow',
          Principal: principal,
          Action: p.Action,
          Resource: arnOf(id),
          Condition: condition,
        };
      });
    items.push(
      base(
        id,
        'AWS::Lambda::Function',
        nameOf(id),
        { functionName: nameOf(id), functionArn: arnOf(id), runtime: 'nodejs22.x' },
        statements.length > 0 ? { Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } : {},
      ),
    );
  }
  for (const [id, r] of of('AWS::S3::Bucket')) {
    const policy = of('AWS::S3::BucketPolicy').find(([, pol]) => refers(pol.Properties?.Bucket, id));
    const sse = resolve(r.Properties?.BucketEncryption) as
      { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] } | undefined;
    items.push(
      base(
        id,
        'AWS::S3::Bucket',
        nameOf(id),
        { name: nameOf(id) },
        {
          BucketPolicy: { policyText: policy ? JSON.stringify(resolve(policy[1].Properties?.PolicyDocument)) : null },
          // Config records every bucket's ACL; a new bucket's is the owner's FullControl (JSON in a string).
          AccessControlList: JSON.stringify({
            grantSet: null,
            grantList: [{ grantee: { id: 'owner', displayName: null }, permission: 'FullControl' }],
            owner: { id: 'owner', displayName: null },
          }),
          ServerSideEncryptionConfiguration: sse
            ? {
                rules: sse.ServerSideEncryptionConfiguration.map((c) => ({
                  applyServerSideEncryptionByDefault: {
                    sseAlgorithm: c.ServerSideEncryptionByDefault.SSEAlgorithm,
                    kmsMasterKeyID: null,
                  },
                })),
              }
            : undefined,
          PublicAccessBlockConfiguration: {
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: true,
          },
        },
      ),
    );
  }
  return items;
}
