/**
 * Smoke deploy of the synthesized rules stack into moto's CloudFormation: the real template, with the real
 * bundled Lambda code uploaded to the CDK asset bucket it names. moto skips AWS::Config::ConfigRule (and
 * reports CREATE_COMPLETE anyway), so the assertions are on the resources moto does create: the rule
 * Lambdas, their roles and policies, the invoke permissions, the failure queue and the KMS key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { buildWardApp } from '../../infra/build-app';
import { parseWardConfig } from '../../infra/config/load';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion } from '../harness/moto';
import { deployableRules } from '../unit/infra/app-fixture';

const region = motoRegion(__filename);
const cfg = motoClientConfig(region);

/** A zip archive of one file, stored (no compression): enough for Lambda code. */
function zipOne(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12);
  end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

describe('smoke deploy of the rules stack into moto CloudFormation', () => {
  const stackName = `ward-rules-smoke-${process.pid}`;
  const cfn = new CloudFormationClient(cfg);
  const regionalRules = deployableRules.filter((r) => !r.meta.global);

  afterAll(async () => {
    await cfn.send(new DeleteStackCommand({ StackName: stackName })).catch(() => undefined);
  });

  it('creates every rule Lambda with its own role, invoke permission and the failure queue', async () => {
    // GIVEN the synthesized rules stack of the default configuration for this account and region
    const config = parseWardConfig(
      { account: MOTO_ACCOUNT, regions: [region], globalResourcesRegion: 'us-east-1', responder: { enabled: false } },
      deployableRules,
    );
    // The bootstrap-version check reads an SSM parameter of the CDK bootstrap stack, which moto lacks here.
    const app = new App({
      builtinCloudFormationValidation: false,
      defaultStackSynthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    const [{ rules }] = buildWardApp(app, config, deployableRules);
    const assembly = app.synth();
    const artifact = assembly.getStackByName(rules!.stackName);
    const template = artifact.template as Template;

    // AND the CDK asset bucket the template refers to, holding the zipped bundles
    const s3 = new S3Client(cfg);
    const bucket = `cdk-hnb659fds-assets-${MOTO_ACCOUNT}-${region}`;
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as never } }),
    );
    const manifest = JSON.parse(
      readFileSync(join(assembly.directory, `${artifact.stackName}.assets.json`), 'utf8'),
    ) as {
      files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
    };
    for (const file of Object.values(manifest.files)) {
      if (!file.source.path.startsWith('asset.')) continue;
      const code = readFileSync(join(assembly.directory, file.source.path, 'index.js'));
      for (const d of Object.values(file.destinations))
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: d.objectKey, Body: zipOne('index.js', code) }));
    }

    // WHEN it is deployed
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(template),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    let status = '';
    for (let i = 0; i < 60 && !status.endsWith('COMPLETE') && !status.endsWith('FAILED'); i += 1) {
      const d = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
      status = d.Stacks?.[0]?.StackStatus ?? '';
      if (!status.endsWith('COMPLETE')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe('CREATE_COMPLETE');
    const resources =
      (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];
    expect(resources.filter((r) => r.ResourceType === 'AWS::Lambda::Function')).toHaveLength(regionalRules.length);

    // THEN each rule Lambda exists as declared, with its own role holding the rule's actions
    const lambda = new LambdaClient(cfg);
    const iam = new IAMClient(cfg);
    for (const rule of regionalRules) {
      const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `ward-${rule.meta.id}` }));
      // moto's CloudFormation drops Architectures (always x86_64): the unit tests assert arm64 on the template.
      expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler' });
      const roleName = `ward-rule-${rule.meta.id}-${region}`;
      expect(fn.Role).toBe(`arn:aws:iam::${MOTO_ACCOUNT}:role/${roleName}`);
      const names = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
      const documents = await Promise.all(
        names.map(async (PolicyName) => {
          const doc =
            (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }))).PolicyDocument ?? '';
          return decodeURIComponent(doc);
        }),
      );
      const text = documents.join('\n');
      expect(text).toContain('config:PutEvaluations');
      for (const action of rule.meta.permissions) expect(text).toContain(action);
      // AND only Config of this account may invoke it
      const policy = JSON.parse(
        (await lambda.send(new GetPolicyCommand({ FunctionName: `ward-${rule.meta.id}` }))).Policy ?? '{}',
      );
      expect(JSON.stringify(policy.Statement)).toContain('config.amazonaws.com');
      expect(JSON.stringify(policy.Statement)).toContain(MOTO_ACCOUNT);
    }
    // AND failed invocations have somewhere to go
    const queue = await new SQSClient(cfg).send(new GetQueueUrlCommand({ QueueName: 'ward-rule-failures' }));
    expect(queue.QueueUrl).toContain('ward-rule-failures');
  });
});
