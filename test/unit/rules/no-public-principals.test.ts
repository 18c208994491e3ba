import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { noPublicPrincipals } from '../../../rules/no-public-principals/rule';
import type { NoPublicPrincipalsFacts } from '../../../rules/no-public-principals/sources';
import {
  type Evaluation,
  evaluateWithFacts,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';

const ACCOUNT = '111122223333';
const OTHER = '999988887777';
const ORG = 'o-abcdefghij';
const REGION = 'us-east-1';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

type Json = Record<string, unknown>;

/** A CI in the event form: configuration an object, supplementary values as Config sends them. */
function eventCi(resourceType: string, resourceId: string, configuration: Json, supplementary: Json = {}): Json {
  return deepFreeze({
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-01T10:00:00.000Z',
    configurationItemStatus: 'OK',
    awsAccountId: ACCOUNT,
    ARN: resourceId.startsWith('arn:') ? resourceId : `arn:aws:test:${REGION}:${ACCOUNT}:${resourceId}`,
    resourceType,
    resourceId,
    resourceName: resourceId,
    awsRegion: REGION,
    availabilityZone: 'Not Applicable',
    tags: {},
    relationships: [],
    configuration,
    supplementaryConfiguration: supplementary,
  });
}

/**
 * The same CI in the API form (GetResourceConfigHistory): JSON-string configuration, and every supplementary
 * value JSON-encoded, so values that were already strings (S3 AccessControlList, Lambda Policy) end up encoded
 * twice, as Cloud Custodian's "double serialized" comment reports.
 */
function apiForm(event: Json, doubleEncode = true): Json {
  const { awsAccountId, ARN, configurationItemVersion, configuration, supplementaryConfiguration, ...rest } = event;
  const sc = Object.fromEntries(
    Object.entries(supplementaryConfiguration as Json).map(([k, v]) => [
      k,
      typeof v === 'string' && !doubleEncode ? v : JSON.stringify(v),
    ]),
  );
  return deepFreeze({
    ...rest,
    version: configurationItemVersion,
    accountId: awsAccountId,
    arn: ARN,
    configuration: JSON.stringify(configuration),
    supplementaryConfiguration: sc,
  });
}

const policy = (...Statement: Json[]) => ({ Version: '2012-10-17', Statement });
const json = (v: unknown) => JSON.stringify(v);

function run(raw: Json, params: Json = {}, facts?: NoPublicPrincipalsFacts): Evaluation {
  const p = parseRuleParameters(noPublicPrincipals.meta.parameters, params, 'no-public-principals');
  const [e] = evaluateWithFacts(noPublicPrincipals, normalizeConfigurationItem(raw), p, facts);
  return e;
}
/** The first finding's message ('' when there is none, which then fails the assertion). */
const firstMessage = (e: Evaluation) => e.findings.map((f) => f.message)[0] ?? '';
const codes = (e: Evaluation) => e.findings.map((f) => f.code).sort();

// --- fixtures -----------------------------------------------------------------------------------------------

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:npp-alerts`;
const snsDefault = {
  Sid: '__default_statement_ID',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: [
    'SNS:GetTopicAttributes',
    'SNS:SetTopicAttributes',
    'SNS:AddPermission',
    'SNS:RemovePermission',
    'SNS:DeleteTopic',
    'SNS:Subscribe',
    'SNS:ListSubscriptionsByTopic',
    'SNS:Publish',
  ],
  Resource: TOPIC,
  Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
};
const snsConsolePublic = {
  Sid: '__console_pub_0',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: 'SNS:Publish',
  Resource: TOPIC,
};
const topic = (doc: unknown) =>
  eventCi('AWS::SNS::Topic', TOPIC, {
    TopicArn: TOPIC,
    Owner: ACCOUNT,
    Policy: json({ ...(doc as Json), Version: '2008-10-17', Id: '__default_policy_ID' }),
  });

const BUCKET = 'npp-data';
const OWNER_CANONICAL = '8ac813c84b8ad4d9f3e35f80aaeb254f85922a902ce87ed6b49ccbfa188f5a12';
const getObject = (extra: Json = {}) => ({
  Sid: 'Read',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  ...extra,
});
function bucket(doc: unknown, more: Json = {}, grants: Json[] = []): Json {
  return eventCi(
    'AWS::S3::Bucket',
    BUCKET,
    { name: BUCKET, owner: { displayName: null, id: OWNER_CANONICAL }, creationDate: '2026-01-01T00:00:00.000Z' },
    {
      AccessControlList: json({
        grantSet: null,
        grantList: [{ grantee: { id: OWNER_CANONICAL, displayName: null }, permission: 'FullControl' }, ...grants],
        owner: { displayName: null, id: OWNER_CANONICAL },
        isRequesterCharged: false,
      }),
      BucketPolicy: { policyText: doc === null ? null : json(doc) },
      ...more,
    },
  );
}

const QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/npp-jobs`;
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:npp-jobs`;
const queue = (doc: unknown) =>
  eventCi('AWS::SQS::Queue', QUEUE, { QueueArn: QUEUE_ARN, Policy: json(doc), DelaySeconds: '0' });

const FN = 'npp-thumbnailer';
const FN_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FN}`;
const invoke = (principal: Json, condition?: Json) => ({
  Sid: 's3-invoke',
  Effect: 'Allow',
  Principal: principal,
  Action: 'lambda:InvokeFunction',
  Resource: FN_ARN,
  ...(condition ? { Condition: condition } : {}),
});
const lambda = (doc?: unknown) =>
  eventCi(
    'AWS::Lambda::Function',
    FN,
    { functionName: FN, functionArn: FN_ARN, role: `arn:aws:iam::${ACCOUNT}:role/fn` },
    doc === undefined ? {} : { Policy: json(doc) },
  );

const ecr = (doc: unknown) =>
  eventCi('AWS::ECR::Repository', 'npp-images', { RepositoryName: 'npp-images', RepositoryPolicyText: doc });
const efs = (doc: unknown) =>
  eventCi('AWS::EFS::FileSystem', 'fs-0123456789abcdef0', {
    FileSystemId: 'fs-0123456789abcdef0',
    Encrypted: true,
    FileSystemPolicy: doc,
  });
const opensearch = (doc: unknown, vpc = false) =>
  eventCi('AWS::OpenSearch::Domain', 'npp-search', {
    DomainName: 'npp-search',
    AccessPolicies: doc,
    ...(vpc ? { VPCOptions: { SubnetIds: ['subnet-0abc'], SecurityGroupIds: ['sg-0abc'] } } : {}),
  });
const elasticsearch = (doc: unknown) =>
  eventCi('AWS::Elasticsearch::Domain', 'npp-legacy-search', {
    domainName: 'npp-legacy-search',
    accessPolicies: json(doc),
  });

const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const role = (doc: unknown) =>
  eventCi('AWS::IAM::Role', 'AROAEXAMPLEID1234567', {
    roleName: 'npp-deploy',
    arn: `arn:aws:iam::${ACCOUNT}:role/npp-deploy`,
    assumeRolePolicyDocument: encodeURIComponent(json(doc)),
    rolePolicyList: [],
    attachedManagedPolicies: [],
  });
const assume = (principal: Json, condition?: Json, action = 'sts:AssumeRole') => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  ...(condition ? { Condition: condition } : {}),
});

// --- cases --------------------------------------------------------------------------------------------------

type Case = [name: string, ci: Json, expected: string[], params?: Json];

const cases: Case[] = [
  // SNS
  ['passes the default SNS topic policy (AWS:SourceOwner)', topic(policy(snsDefault)), []],
  [
    'flags a console-added public publish statement on SNS',
    topic(policy(snsDefault, snsConsolePublic)),
    ['public-principal'],
  ],
  // S3 policy
  [
    'passes a bucket policy restricted by aws:SourceVpce',
    bucket(policy(getObject({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }))),
    [],
  ],
  [
    'flags a bucket policy with aws:SourceIp 0.0.0.0/0',
    bucket(policy(getObject({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))),
    ['public-principal'],
  ],
  [
    'passes a bucket policy limited to a /24',
    bucket(policy(getObject({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }))),
    [],
  ],
  [
    'flags StringLike with * in aws:PrincipalOrgID',
    bucket(policy(getObject({ Condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } } }))),
    ['public-principal'],
  ],
  [
    'flags StringEqualsIfExists on aws:SourceAccount',
    bucket(policy(getObject({ Condition: { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } } }))),
    ['public-principal'],
  ],
  [
    'passes "*" restricted to a trusted organization',
    bucket(policy(getObject({ Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }))),
    [],
    { trustedOrganizationIds: ORG },
  ],
  [
    'flags "*" restricted to an organization that is not trusted',
    bucket(policy(getObject({ Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }))),
    ['external-principal'],
  ],
  [
    'flags a grant to another account',
    bucket(policy(getObject({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }))),
    ['external-principal'],
  ],
  [
    'passes a grant to a trusted account',
    bucket(policy(getObject({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }))),
    [],
    { trustedAccountIds: OTHER },
  ],
  [
    'passes another account restricted by a trusted aws:PrincipalOrgID',
    bucket(
      policy(getObject({ Principal: { AWS: OTHER }, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } })),
    ),
    [],
    { trustedOrganizationIds: [ORG] },
  ],
  [
    'passes the owner account root',
    bucket(policy(getObject({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }))),
    [],
  ],
  [
    'flags Allow with NotPrincipal',
    bucket(
      policy({ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:*', Resource: '*' }),
    ),
    ['not-principal-allow'],
  ],
  [
    'ignores a public Deny (it grants nothing)',
    bucket(
      policy({
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ),
    [],
  ],
  [
    'does not let a Deny excuse a public Allow',
    bucket(
      policy(getObject(), {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      }),
    ),
    ['public-principal'],
  ],
  [
    'flags a canonical user that is not the owner',
    bucket(policy(getObject({ Principal: { CanonicalUser: 'b'.repeat(64) } }))),
    ['external-principal'],
  ],
  ['passes the owner canonical user', bucket(policy(getObject({ Principal: { CanonicalUser: OWNER_CANONICAL } }))), []],
  [
    'passes a CloudFront origin access identity',
    bucket(
      policy(
        getObject({ Principal: { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE' } }),
      ),
    ),
    [],
  ],
  [
    'passes CloudFront OAC scoped by aws:SourceArn',
    bucket(
      policy(
        getObject({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Condition: { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/E2EXAMPLE` } },
        }),
      ),
    ),
    [],
  ],
  ['passes a bucket without policy or public ACL', bucket(null), []],
  [
    'reports a malformed bucket policy with its location',
    eventCi(
      'AWS::S3::Bucket',
      BUCKET,
      { name: BUCKET },
      { AccessControlList: json({ grantList: [] }), BucketPolicy: { policyText: '{"Statement": [' } },
    ),
    ['malformed-policy'],
  ],
  // S3 ACL and Public Access Block
  ['flags an ACL grant to AllUsers', bucket(null, {}, [{ grantee: 'AllUsers', permission: 'Read' }]), ['public-acl']],
  [
    'flags an ACL grant to AuthenticatedUsers',
    bucket(null, {}, [{ grantee: 'AuthenticatedUsers', permission: 'Write' }]),
    ['public-acl'],
  ],
  ['passes a LogDelivery ACL grant', bucket(null, {}, [{ grantee: 'LogDelivery', permission: 'Write' }]), []],
  [
    'passes a public ACL neutralised by IgnorePublicAcls',
    bucket(
      null,
      {
        PublicAccessBlockConfiguration: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        },
      },
      [{ grantee: 'AllUsers', permission: 'Read' }],
    ),
    [],
  ],
  [
    'passes a public policy neutralised by RestrictPublicBuckets',
    bucket(policy(getObject()), {
      PublicAccessBlockConfiguration: {
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: false,
        restrictPublicBuckets: true,
      },
    }),
    [],
  ],
  [
    'still flags another account when RestrictPublicBuckets is on',
    bucket(policy(getObject({ Principal: { AWS: OTHER } })), {
      PublicAccessBlockConfiguration: { restrictPublicBuckets: true },
    }),
    ['external-principal'],
  ],
  // SQS
  [
    'passes SNS delivery to a queue scoped by aws:SourceArn',
    queue(
      policy({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE_ARN,
        Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
      }),
    ),
    [],
  ],
  [
    'flags SNS delivery to a queue without a source condition',
    queue(
      policy({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE_ARN,
      }),
    ),
    ['unscoped-service-principal'],
  ],
  [
    'flags a service acting for an untrusted source account',
    queue(
      policy({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE_ARN,
        Condition: { StringEquals: { 'aws:SourceAccount': OTHER } },
      }),
    ),
    ['external-principal'],
  ],
  [
    'flags "*" restricted to an untrusted aws:SourceAccount',
    queue(
      policy({
        Effect: 'Allow',
        Principal: '*',
        Action: 'sqs:SendMessage',
        Resource: QUEUE_ARN,
        Condition: { StringEquals: { 'aws:SourceAccount': OTHER } },
      }),
    ),
    ['external-principal'],
  ],
  [
    'flags a public queue',
    queue(policy({ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sqs:*', Resource: QUEUE_ARN })),
    ['public-principal'],
  ],
  // Lambda
  [
    'flags a Lambda permission for s3.amazonaws.com without aws:SourceAccount',
    lambda(policy(invoke({ Service: 's3.amazonaws.com' }, { ArnLike: { 'AWS:SourceArn': '*' } }))),
    ['unscoped-service-principal'],
  ],
  [
    'passes a Lambda permission for s3.amazonaws.com with aws:SourceAccount',
    lambda(
      policy(
        invoke(
          { Service: 's3.amazonaws.com' },
          { StringEquals: { 'AWS:SourceAccount': ACCOUNT }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::npp-uploads' } },
        ),
      ),
    ),
    [],
  ],
  [
    'flags a public function URL permission',
    lambda(
      policy({
        ...invoke({ AWS: '*' }),
        Action: 'lambda:InvokeFunctionUrl',
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      }),
    ),
    ['public-principal'],
  ],
  ['passes a function without policy', lambda(), []],
  // ECR, EFS, OpenSearch, Elasticsearch
  [
    'flags a public ECR repository policy',
    ecr(
      policy({
        Sid: 'pull',
        Effect: 'Allow',
        Principal: '*',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      }),
    ),
    ['public-principal'],
  ],
  [
    'passes an ECR policy shared with a trusted account',
    ecr(
      policy({
        Sid: 'pull',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: 'ecr:BatchGetImage',
      }),
    ),
    [],
    { trustedAccountIds: OTHER },
  ],
  [
    'flags a public EFS file system policy',
    efs(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount', Resource: '*' })),
    ['public-principal'],
  ],
  [
    'passes an EFS policy restricted to a VPC',
    efs(
      policy({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'elasticfilesystem:ClientMount',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-0abc' } },
      }),
    ),
    [],
  ],
  [
    'flags a public OpenSearch domain',
    opensearch(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: '*' })),
    ['public-principal'],
  ],
  [
    'passes an open access policy on a VPC-only OpenSearch domain',
    opensearch(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:*', Resource: '*' }), true),
    [],
  ],
  [
    'passes an Elasticsearch domain open to its own account',
    elasticsearch(
      policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'es:*', Resource: '*' }),
    ),
    [],
  ],
  [
    'flags an Elasticsearch domain open to an IP range of /4',
    elasticsearch(
      policy({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'es:*',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/4' } },
      }),
    ),
    ['public-principal'],
  ],
  // IAM Role trust policies
  [
    'passes a GitHub OIDC trust that checks sub',
    role(
      policy(
        assume(
          { Federated: GITHUB },
          {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example/app:ref:refs/heads/main' },
          },
          'sts:AssumeRoleWithWebIdentity',
        ),
      ),
    ),
    [],
  ],
  [
    'flags a GitHub OIDC trust without sub',
    role(
      policy(
        assume(
          { Federated: GITHUB },
          { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
          'sts:AssumeRoleWithWebIdentity',
        ),
      ),
    ),
    ['oidc-without-subject'],
  ],
  [
    'flags a GitHub OIDC trust whose sub is only "*"',
    role(
      policy(
        assume(
          { Federated: GITHUB },
          { StringLike: { 'token.actions.githubusercontent.com:sub': '*' } },
          'sts:AssumeRoleWithWebIdentity',
        ),
      ),
    ),
    ['oidc-without-subject'],
  ],
  [
    'flags a GitHub OIDC trust whose sub lets every repository in (repo:*)',
    role(
      policy(
        assume(
          { Federated: GITHUB },
          { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } },
          'sts:AssumeRoleWithWebIdentity',
        ),
      ),
    ),
    ['oidc-without-subject'],
  ],
  [
    'flags a GitHub OIDC trust whose sub list also holds "*"',
    role(
      policy(
        assume(
          { Federated: GITHUB },
          { StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:example/app:*', '*'] } },
          'sts:AssumeRoleWithWebIdentity',
        ),
      ),
    ),
    ['oidc-without-subject'],
  ],
  [
    'passes a Cognito identity pool trust that checks aud',
    role(
      policy(
        assume(
          { Federated: 'cognito-identity.amazonaws.com' },
          { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-abcd-1234-abcd-123456789012' } },
          'sts:AssumeRoleWithWebIdentity',
        ),
      ),
    ),
    [],
  ],
  [
    'flags a Cognito identity pool trust without aud or sub',
    role(policy(assume({ Federated: 'cognito-identity.amazonaws.com' }, undefined, 'sts:AssumeRoleWithWebIdentity'))),
    ['oidc-without-subject'],
  ],
  [
    'flags a SAML trust of another account',
    role(
      policy(
        assume(
          { Federated: `arn:aws:iam::${OTHER}:saml-provider/Okta` },
          { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
          'sts:AssumeRoleWithSAML',
        ),
      ),
    ),
    ['external-principal'],
  ],
  [
    'flags a cross-account trust whose sts:ExternalId uses IfExists',
    role(policy(assume({ AWS: OTHER }, { StringEqualsIfExists: { 'sts:ExternalId': 'npp-7f3a' } }))),
    ['trust-without-external-id'],
    { trustedAccountIds: OTHER },
  ],
  [
    'flags a cross-account trust without sts:ExternalId',
    role(policy(assume({ AWS: `arn:aws:iam::${OTHER}:root` }))),
    ['external-principal', 'trust-without-external-id'],
  ],
  [
    'passes a trusted cross-account trust with sts:ExternalId',
    role(
      policy(assume({ AWS: `arn:aws:iam::${OTHER}:role/vendor` }, { StringEquals: { 'sts:ExternalId': 'npp-7f3a' } })),
    ),
    [],
    { trustedAccountIds: OTHER },
  ],
  [
    'flags a trusted account without sts:ExternalId',
    role(policy(assume({ AWS: OTHER }))),
    ['trust-without-external-id'],
    { trustedAccountIds: OTHER },
  ],
  [
    'passes another account of a trusted organization (aws:PrincipalOrgID)',
    role(policy(assume({ AWS: OTHER }, { StringEquals: { 'aws:PrincipalOrgID': ORG } }))),
    [],
    { trustedOrganizationIds: ORG },
  ],
  [
    'passes a service role trust (no source condition needed in a trust policy)',
    role(policy(assume({ Service: 'lambda.amazonaws.com' }))),
    [],
  ],
  ['passes a trust to the own account', role(policy(assume({ AWS: `arn:aws:iam::${ACCOUNT}:root` }))), []],
  ['flags a role anyone can assume', role(policy(assume({ AWS: '*' }))), ['public-principal']],
];

describe('no-public-principals', () => {
  describe.each([
    ['event form', (ci: Json) => ci],
    ['API form', (ci: Json) => apiForm(ci)],
    ['API form, string values encoded once', (ci: Json) => apiForm(ci, false)],
  ])('%s', (_form, toForm) => {
    // Every row gets its parameters explicitly: jest would pass `done` for a missing fourth column.
    it.each(cases.map(([n, ci, e, p]) => [n, ci, e, p ?? {}] as const))('%s', (_name, ci, expected, params) => {
      const e = run(toForm(ci), params);
      expect(codes(e)).toEqual([...expected].sort());
      expect(e.compliance).toBe(expected.length === 0 ? 'COMPLIANT' : 'NON_COMPLIANT');
      for (const f of e.findings) {
        expect(f.message.length).toBeLessThanOrEqual(256);
        expect(f.code in noPublicPrincipals.meta.findingCodes).toBe(true);
      }
    });
  });

  it('names the statement and the principal in each finding, with the statement path', () => {
    const e = run(topic(policy(snsDefault, snsConsolePublic)));
    expect(e.findings[0]).toMatchObject({
      code: 'public-principal',
      path: 'configuration.Policy.Statement[1]',
      severity: 'critical',
    });
    expect(firstMessage(e)).toContain('"__console_pub_0"');
    expect(firstMessage(e)).toContain('AWS "*"');
  });

  it('reports a malformed policy with the location and the reason', () => {
    const e = run(
      eventCi('AWS::SQS::Queue', QUEUE, { Policy: json({ Statement: [{ Effect: 'Maybe', Action: '*' }] }) }),
    );
    expect(e.findings).toEqual([expect.objectContaining({ code: 'malformed-policy', path: 'configuration.Policy' })]);
    expect(firstMessage(e)).toContain('Statement[0].Effect must be Allow or Deny');
  });

  it('says in the annotation which public grants Public Access Block neutralises', () => {
    const e = run(bucket(policy(getObject()), { PublicAccessBlockConfiguration: { restrictPublicBuckets: true } }));
    expect(e.annotation).toContain('neutralised by RestrictPublicBuckets');
  });

  it.each([
    [
      'a public bucket policy by RestrictPublicBuckets',
      bucket(policy(getObject())),
      { ignorePublicAcls: false, restrictPublicBuckets: true },
    ],
    [
      'a public ACL by IgnorePublicAcls',
      bucket(null, {}, [{ grantee: 'AllUsers', permission: 'Read' }]),
      { ignorePublicAcls: true, restrictPublicBuckets: false },
    ],
  ])('lets the account-level Public Access Block neutralise %s', (_n, ci, accountPublicAccessBlock) => {
    expect(run(ci).compliance).toBe('NON_COMPLIANT');
    const e = run(ci, {}, { accountPublicAccessBlock });
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toContain('neutralised');
  });

  it('judges a function policy that gather read from lambda:GetPolicy', () => {
    const doc = json(policy(invoke({ Service: 's3.amazonaws.com' })));
    const e = run(lambda(), {}, { fetched: { document: doc, source: 'lambda:GetPolicy' } });
    expect(e.findings).toEqual([
      expect.objectContaining({ code: 'unscoped-service-principal', path: 'lambda:GetPolicy.Statement[0]' }),
    ]);
  });

  it('says in the annotation what an offline scan could not check', () => {
    const e = run(
      ecr({}),
      {},
      { unchecked: 'the repository policy (ecr:GetRepositoryPolicy) was not read: offline scan, the CI shows none' },
    );
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toContain('ecr:GetRepositoryPolicy');
  });

  it('reports an exempt resource NOT_APPLICABLE with the reason', () => {
    const e = run(topic(policy(snsConsolePublic)), { exemptResourceIds: TOPIC });
    expect(e.compliance).toBe('NOT_APPLICABLE');
  });

  it('keeps every finding message within 256 characters even for long principals', () => {
    const long = `arn:aws:iam::${OTHER}:role/${'very-long-path/'.repeat(30)}app`;
    const e = run(bucket(policy(getObject({ Sid: 'S'.repeat(200), Principal: { AWS: long } }))));
    expect(firstMessage(e).length).toBeLessThanOrEqual(256);
  });
});

describe('no-public-principals documentation', () => {
  it('documents every finding code in its README', () => {
    const readme = readFileSync(
      join(__dirname, '..', '..', '..', 'rules', 'no-public-principals', 'README.md'),
      'utf8',
    );
    for (const code of Object.keys(noPublicPrincipals.meta.findingCodes)) expect(readme).toContain(`\`${code}\``);
  });
});
