/**
 * Benchmark of the template inputs: resources per second of the whole path (parse, resolve, build items,
 * judge with every change-triggered rule) on a large generated CloudFormation template (YAML with short-form
 * tags, and the same template as JSON) and a large generated Terraform plan (one line, as `terraform show
 * -json` prints it), each beside the cost of parsing alone. Median of the runs.
 *
 * Run: npm run bench -- bench/templates.bench.ts [--resources 5000] [--runs 5]
 */
import { rules } from '../rules';
import { createLogger } from '../rules/runtime/logger';
import { parseRuleParameters } from '../rules/runtime/parameters';
import type { AnyRule } from '../rules/runtime/types';
import { templateItems, type TemplateItem } from '../scan/inputs/cloudformation';
import { parseTemplate } from '../scan/inputs/cloudformation-parse';
import { judgeTemplateItems } from '../scan/inputs/template-judge';
import { terraformPlanItems } from '../scan/inputs/terraform-plan';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const N = arg('--resources', 5000);
const RUNS = arg('--runs', 5);

/** A template of N resources in groups: key, encrypted queue with a policy, bucket with a policy, role, volume under a condition. */
function yamlTemplate(n: number): string {
  const out = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  Env: {Type: String, Default: dev}',
    'Conditions:',
    '  IsProd: !Equals [!Ref Env, prod]',
    'Resources:',
  ];
  for (let i = 0; i * 6 < n; i++) {
    out.push(
      `  Key${i}:`,
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      EnableKeyRotation: true',
      `      KeyPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"}, Action: "kms:*", Resource: "*"}]}`,
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      `    Properties: {KmsMasterKeyId: !Ref Key${i}}`,
      `  QueuePolicy${i}:`,
      '    Type: AWS::SQS::QueuePolicy',
      `    Properties: {Queues: [!Ref Queue${i}], PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: "sqs:SendMessage", Resource: !GetAtt Queue${i}.Arn, Condition: {StringEquals: {"aws:SourceAccount": !Ref AWS::AccountId}}}]}}`,
      `  Bucket${i}:`,
      '    Type: AWS::S3::Bucket',
      `    Properties: {BucketName: !Sub "\${AWS::StackName}-b${i}", BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !GetAtt Key${i}.Arn}}]}}`,
      `  Role${i}:`,
      '    Type: AWS::IAM::Role',
      `    Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: "sts:AssumeRole"}]}, Policies: [{PolicyName: read, PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: !Sub "\${Bucket${i}.Arn}/*"}]}}]}`,
      `  Volume${i}:`,
      '    Type: AWS::EC2::Volume',
      `    Properties: {AvailabilityZone: !Select [0, !GetAZs ""], Size: 10, Encrypted: !If [IsProd, true, false]}`,
    );
  }
  return `${out.join('\n')}\n`;
}

function planJson(n: number): string {
  const resources: object[] = [];
  const changes: object[] = [];
  const add = (address: string, type: string, values: object, unknown: object = {}) => {
    resources.push({ address, mode: 'managed', type, name: address.split('.').pop(), values, sensitive_values: {} });
    changes.push({
      address,
      mode: 'managed',
      type,
      change: { actions: ['create'], before: null, after: values, after_unknown: unknown },
    });
  };
  for (let i = 0; resources.length < n; i++) {
    add(`aws_s3_bucket.b${i}`, 'aws_s3_bucket', { bucket: `bench-${i}` }, { arn: true, id: true });
    add(
      `aws_s3_bucket_server_side_encryption_configuration.b${i}`,
      'aws_s3_bucket_server_side_encryption_configuration',
      {
        bucket: `bench-${i}`,
        rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }],
      },
    );
    add(
      `aws_sqs_queue.q${i}`,
      'aws_sqs_queue',
      { name: `bench-${i}`, sqs_managed_sse_enabled: true },
      { arn: true, url: true },
    );
    add(`aws_iam_role.r${i}`, 'aws_iam_role', {
      name: `bench-${i}`,
      assume_role_policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    add(`aws_ebs_volume.v${i}`, 'aws_ebs_volume', { encrypted: true }, { kms_key_id: true });
  }
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: { resources } },
    resource_changes: changes,
  });
}

const runnable = rules.filter((r) => r.meta.trigger.onChange);
const params = new Map<AnyRule, unknown>(
  runnable.map((r) => [r, parseRuleParameters(r.meta.parameters, undefined, r.meta.id)]),
);
const logger = createLogger({}, { write: () => undefined });

async function judge(items: TemplateItem[]): Promise<number> {
  let n = 0;
  await judgeTemplateItems({ items, rules: runnable, params, logger, onEvaluation: () => void n++ });
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

async function main(): Promise<void> {
  const yaml = yamlTemplate(N);
  const parsedOnce = parseTemplate(yaml, 'bench.yaml');
  const count = Object.keys(parsedOnce.template.Resources as object).length;
  const json = JSON.stringify(parsedOnce.template, null, 2);
  const plan = planJson(N);
  const planCount = (JSON.parse(plan) as { planned_values: { root_module: { resources: unknown[] } } }).planned_values
    .root_module.resources.length;
  const rows: [string, number, number, number][] = [];
  for (const [label, text, file] of [
    ['CloudFormation YAML', yaml, 'bench.yaml'],
    ['CloudFormation JSON', json, 'bench.json'],
  ] as const) {
    const parse = await time(() => parseTemplate(text, file));
    const full = await time(async () => judge(templateItems(parseTemplate(text, file)).items));
    rows.push([`${label} (${(text.length / 1e6).toFixed(1)} MB)`, count, parse, full]);
  }
  const planParse = await time(() => JSON.parse(plan));
  const planFull = await time(async () => judge(terraformPlanItems(plan, 'plan.json').items));
  rows.push([`Terraform plan (${(plan.length / 1e6).toFixed(1)} MB)`, planCount, planParse, planFull]);
  console.log(`template scan, ${runnable.length} rules, median of ${RUNS} runs (Node.js ${process.version})`);
  console.log('input                              resources   parse s   full s   resources/s   parse share');
  for (const [label, n, parse, full] of rows) {
    console.log(
      `${label.padEnd(34)} ${String(n).padStart(9)} ${parse.toFixed(3).padStart(9)} ${full.toFixed(3).padStart(8)} ${Math.round(
        n / full,
      )
        .toString()
        .padStart(13)} ${`${Math.round((100 * parse) / full)}%`.padStart(13)}`,
    );
  }
}

void main();
