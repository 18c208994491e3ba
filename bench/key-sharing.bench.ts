/**
 * Benchmark of the key-sharing rules. credentials-not-shared: credential detection throughput over environments
 * mixing every kind of value, and `judgeFunctions` over 5,000 functions (the pure part of a periodic run;
 * ListFunctions paging is network-bound and not measured). kms-keys-not-shared: `evaluate` throughput on 10,000
 * key items with 6-statement policies and 4 grants each. Also the size of both handler bundles (esbuild,
 * minified, AWS SDK external, as infra bundles them).
 *
 * Run: npx esbuild bench/key-sharing.bench.ts --bundle --platform=node --target=node20 --external:esbuild \
 *        --outfile=node_modules/.cache/ward-bench/key-sharing.js --log-level=warning && node node_modules/.cache/ward-bench/key-sharing.js
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { detectCredentials, fingerprint } from '../rules/credentials-not-shared/detect';
import { type FunctionFacts, judgeFunctions } from '../rules/credentials-not-shared/judge';
import { kmsKeysNotShared } from '../rules/kms-keys-not-shared/rule';
import { normalizeConfigurationItem } from '../rules/runtime/configuration-item';
import { evaluateWithFacts } from '../rules/runtime/engine';
import { parseRuleParameters } from '../rules/runtime/parameters';
import { LABELLED_VALUES } from '../test/fixtures/credentials/labelled';

const A = '111122223333';
const ROOT = join(__dirname, '..', '..', '..');

function median(fn: () => void, runs = 5): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

function detection(): void {
  // Environments of 17 variables drawn from the labelled set (about half credentials, half not).
  const envs = Array.from({ length: 2_000 }, (_, i) => {
    const env: Record<string, string> = {};
    for (let j = 0; j < 17; j++) {
      const v = LABELLED_VALUES[(i * 17 + j) % LABELLED_VALUES.length];
      env[`${v.name}_${j}`] = v.value;
    }
    return env;
  });
  let found = 0;
  const ms = median(() => {
    found = 0;
    for (const env of envs) found += detectCredentials(env).length;
  });
  const values = envs.length * 17;
  console.log(
    `detect: ${values} values in ${envs.length} environments, median ${ms.toFixed(0)} ms = ${((ms * 1000) / values).toFixed(2)} µs/value (${Math.round(values / (ms / 1000))} values/s); ${found} credentials`,
  );
}

function judging(): void {
  const N = 5_000;
  const functions: FunctionFacts[] = Array.from({ length: N }, (_, i) => ({
    name: `fn-${i}`,
    arn: `arn:aws:lambda:us-east-1:${A}:function:fn-${i}`,
    role: `arn:aws:iam::${A}:role/r-${i % 500}`,
    tags: { 'aws:cloudformation:stack-name': `stack-${i % 800}` },
    credentials: Array.from({ length: 3 }, (_, j) => ({
      variable: `SECRET_${j}`,
      kind: 'named-secret' as const,
      fingerprint: fingerprint(`secret-${(i * 3 + j) % 9_000}`),
    })),
  }));
  const params = { componentTagKey: 'aws:cloudformation:stack-name' };
  let nonCompliant = 0;
  const ms = median(() => {
    nonCompliant = judgeFunctions(functions, params).filter((e) => e.compliance === 'NON_COMPLIANT').length;
  });
  console.log(
    `judgeFunctions: ${N} functions x 3 credentials, median ${ms.toFixed(1)} ms; ${nonCompliant} non-compliant`,
  );
}

function keyItem(i: number) {
  const keyId = `5a0d7e3c-1b2f-4c8e-9d41-${String(i).padStart(12, '0')}`;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'admins',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:role/admin` },
        Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*'],
        Resource: '*',
      },
      {
        Sid: 'account',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': A, 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
      {
        Sid: 'partner',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::4444555${String(i % 100_000).padStart(5, '0')}:root` },
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Resource: '*',
      },
      {
        Sid: 'grants',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:role/app` },
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      { Sid: 'deny', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
    ],
  };
  return normalizeConfigurationItem({
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-20T09:20:11.402Z',
    configurationItemStatus: 'OK',
    awsAccountId: A,
    resourceType: 'AWS::KMS::Key',
    resourceId: keyId,
    ARN: `arn:aws:kms:us-east-1:${A}:key/${keyId}`,
    awsRegion: 'us-east-1',
    configuration: { awsaccountId: A, keyId, keyManager: 'CUSTOMER', keyState: 'Enabled' },
    supplementaryConfiguration: { Policy: JSON.stringify(policy, null, 2), KeyRotationStatus: true },
    tags: {},
    relationships: [],
  });
}

function kms(): void {
  const N = 10_000;
  const items = Array.from({ length: N }, (_, i) => keyItem(i));
  const grants = [
    { grantId: 'g1', granteePrincipal: `arn:aws:iam::${A}:role/app`, operations: ['Decrypt'] },
    { grantId: 'g2', granteePrincipal: 'rds.us-east-1.amazonaws.com', operations: ['Encrypt', 'Decrypt'] },
    { grantId: 'g3', granteePrincipal: `arn:aws:iam::${A}:role/batch`, operations: ['GenerateDataKey'] },
    { grantId: 'g4', granteePrincipal: 'arn:aws:iam::777788889999:role/x', operations: ['Decrypt'] },
  ];
  const params = parseRuleParameters(kmsKeysNotShared.meta.parameters, {}, kmsKeysNotShared.meta.id);
  let nonCompliant = 0;
  const ms = median(() => {
    nonCompliant = 0;
    for (const item of items) {
      const [e] = evaluateWithFacts(kmsKeysNotShared, item, params, { grants });
      if (e.compliance === 'NON_COMPLIANT') nonCompliant++;
    }
  });
  console.log(
    `kms evaluate: ${N} keys x 6 statements + 4 grants, median ${ms.toFixed(0)} ms = ${((ms * 1000) / N).toFixed(1)} µs/key; ${nonCompliant} non-compliant`,
  );
}

async function bundle(rule: string): Promise<void> {
  const out = await build({
    entryPoints: [join(ROOT, 'rules', rule, 'handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const bytes = out.outputFiles[0].contents;
  console.log(
    `${rule} handler bundle: ${(bytes.length / 1024).toFixed(0)} KiB minified, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzipped`,
  );
}

async function main(): Promise<void> {
  detection();
  judging();
  kms();
  await bundle('credentials-not-shared');
  await bundle('kms-keys-not-shared');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
