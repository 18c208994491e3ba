/**
 * Benchmark of no-public-principals: `evaluate` throughput on 10,000 configuration items (SNS topics, S3
 * buckets, SQS queues, Lambda functions and IAM roles, each policy with 8 statements mixing public, conditional,
 * cross-account and service grants, in both event and API form), and the size of the rule's Lambda bundle
 * (esbuild, minified, AWS SDK external, as infra/bundling.ts bundles it; zod's locales are not stripped here).
 *
 * Run: npx esbuild bench/no-public-principals.bench.ts --bundle --platform=node --target=node20 --external:esbuild \
 *        --outfile=node_modules/.cache/ward-bench/npp.js --log-level=warning && node node_modules/.cache/ward-bench/npp.js
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { noPublicPrincipals } from '../rules/no-public-principals/rule';
import { normalizeConfigurationItem } from '../rules/runtime/configuration-item';
import { evaluateWithFacts } from '../rules/runtime/engine';
import { parseRuleParameters } from '../rules/runtime/parameters';

const A = '111122223333';
const N = 10_000;

function statements(i: number, resource: string): object[] {
  return [
    { Sid: `own${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: '*', Resource: resource },
    {
      Sid: 'owner',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'x:Get',
      Resource: resource,
      Condition: { StringEquals: { 'AWS:SourceOwner': A } },
    },
    {
      Sid: 'vpce',
      Effect: 'Allow',
      Principal: '*',
      Action: 'x:Get',
      Resource: resource,
      Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } },
    },
    {
      Sid: 'org',
      Effect: 'Allow',
      Principal: '*',
      Action: 'x:Get',
      Resource: resource,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
    },
    {
      Sid: 'svc',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'x:Put',
      Resource: resource,
      Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:${A}:t` } },
    },
    {
      Sid: 'ip',
      Effect: 'Allow',
      Principal: '*',
      Action: 'x:Get',
      Resource: resource,
      Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/16', '192.0.2.0/24'] } },
    },
    {
      Sid: 'x',
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::99998888${String(i % 10000).padStart(4, '0')}:role/r`] },
      Action: 'x:Get',
      Resource: resource,
    },
    {
      Sid: 'deny',
      Effect: 'Deny',
      Principal: '*',
      Action: '*',
      Resource: resource,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
}

function item(i: number): object {
  const doc = (r: string) => JSON.stringify({ Version: '2012-10-17', Statement: statements(i, r) });
  const base = {
    awsAccountId: A,
    awsRegion: 'us-east-1',
    configurationItemStatus: 'OK',
    configurationItemCaptureTime: '2026-11-20T00:00:00Z',
  };
  const api = i % 2 === 1;
  const wrap = (o: object) => (api ? JSON.stringify(o) : o);
  switch (i % 5) {
    case 0:
      return {
        ...base,
        resourceType: 'AWS::SNS::Topic',
        resourceId: `arn:aws:sns:us-east-1:${A}:t${i}`,
        configuration: wrap({ Policy: doc('*') }),
      };
    case 1:
      return {
        ...base,
        resourceType: 'AWS::S3::Bucket',
        resourceId: `b${i}`,
        configuration: wrap({ name: `b${i}` }),
        supplementaryConfiguration: {
          BucketPolicy: JSON.stringify({ policyText: doc(`arn:aws:s3:::b${i}/*`) }),
          AccessControlList: JSON.stringify({
            grantList: [{ grantee: 'AllUsers', permission: 'Read' }],
            owner: { id: 'a'.repeat(64) },
          }),
        },
      };
    case 2:
      return {
        ...base,
        resourceType: 'AWS::SQS::Queue',
        resourceId: `https://sqs/q${i}`,
        configuration: wrap({ Policy: doc('*') }),
      };
    case 3:
      return {
        ...base,
        resourceType: 'AWS::Lambda::Function',
        resourceId: `f${i}`,
        configuration: wrap({ functionName: `f${i}` }),
        supplementaryConfiguration: { Policy: doc('*') },
      };
    default:
      return {
        ...base,
        resourceType: 'AWS::IAM::Role',
        resourceId: `AROA${i}`,
        configuration: wrap({ assumeRolePolicyDocument: encodeURIComponent(doc('*')) }),
      };
  }
}

async function main() {
  const raw = Array.from({ length: N }, (_, i) => item(i));
  const params = parseRuleParameters(noPublicPrincipals.meta.parameters, {}, 'bench');
  // Warm up, then time normalise + evaluate (what the Lambda and `ward scan` do per item).
  for (const r of raw.slice(0, 500))
    evaluateWithFacts(noPublicPrincipals, normalizeConfigurationItem(r), params, undefined);
  const runs: number[] = [];
  let nonCompliant = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = process.hrtime.bigint();
    nonCompliant = 0;
    for (const r of raw) {
      const [e] = evaluateWithFacts(noPublicPrincipals, normalizeConfigurationItem(r), params, undefined);
      if (e.compliance === 'NON_COMPLIANT') nonCompliant++;
    }
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  runs.sort((a, b) => a - b);
  const median = runs[2];
  console.log(
    `evaluate: ${N} items x 8 statements, median of 5 runs ${median.toFixed(0)} ms = ${((median * 1000) / N).toFixed(1)} µs/item (${Math.round(N / (median / 1000))} items/s); ${nonCompliant} non-compliant`,
  );

  const out = await build({
    entryPoints: [join(__dirname, '..', '..', '..', 'rules', 'no-public-principals', 'handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    // As infra/bundling.ts: the Node.js 22 Lambda runtime ships the AWS SDK v3.
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const bytes = out.outputFiles[0].contents;
  console.log(
    `handler bundle: ${(bytes.length / 1024).toFixed(0)} KiB minified, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzipped`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
