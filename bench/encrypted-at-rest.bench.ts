/**
 * Benchmark of encrypted-at-rest: `evaluate` throughput over 160,000 items (10,000 per store type, half
 * encrypted), the full path with `gather` and the snapshot key lookup (aliases and key ARNs resolved from KMS
 * items), and the size of the handler bundle as the CDK app bundles it (infra/bundling.ts).
 *
 * Run: npx esbuild bench/encrypted-at-rest.bench.ts --bundle --platform=node --target=node20 --external:esbuild \
 *        --outfile=node_modules/.cache/ward-bench/encrypted-at-rest.js --log-level=warning \
 *        && node node_modules/.cache/ward-bench/encrypted-at-rest.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleLambda, bundleSize, ruleHandlerEntry } from '../infra/bundling';
import { encryptedAtRest } from '../rules/encrypted-at-rest/rule';
import { STORE_TYPES } from '../rules/encrypted-at-rest/stores';
import { type ConfigurationItem, normalizeConfigurationItem } from '../rules/runtime/configuration-item';
import { evaluateItem, evaluateWithFacts } from '../rules/runtime/engine';
import { createSnapshotKeyLookup } from '../rules/runtime/key-lookup';
import { createLogger } from '../rules/runtime/logger';
import { parseRuleParameters } from '../rules/runtime/parameters';
import { createRuleContext } from '../rules/runtime/rule-context';

const A = '111122223333';
const R = 'us-east-1';
const keyArn = (i: number) => `arn:aws:kms:${R}:${A}:key/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function configurationFor(type: string, enc: boolean, key: string): [Record<string, unknown>, Record<string, unknown>] {
  switch (type) {
    case 'AWS::S3::Bucket':
      return [
        {},
        enc
          ? {
              ServerSideEncryptionConfiguration: {
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: key } }],
              },
            }
          : {},
      ];
    case 'AWS::DynamoDB::Table':
      return [enc ? { ssedescription: { status: 'ENABLED', ssetype: 'KMS', kmsmasterKeyArn: key } } : {}, {}];
    case 'AWS::RDS::DBSnapshot':
    case 'AWS::EC2::Volume':
    case 'AWS::Redshift::Cluster':
      return [{ encrypted: enc, kmsKeyId: enc ? key : null }, {}];
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
    case 'AWS::RDS::DBClusterSnapshot':
      return [{ storageEncrypted: enc, kmsKeyId: enc ? key : null }, {}];
    case 'AWS::EFS::FileSystem':
      return [{ Encrypted: enc, ...(enc ? { KmsKeyId: key } : {}) }, {}];
    case 'AWS::SNS::Topic':
    case 'AWS::SQS::Queue':
      return [enc ? { KmsMasterKeyId: 'alias/app' } : { SqsManagedSseEnabled: 'false' }, {}];
    case 'AWS::Kinesis::Stream':
      return [enc ? { StreamEncryption: { EncryptionType: 'KMS', KeyId: key } } : {}, {}];
    case 'AWS::SecretsManager::Secret':
      return [enc ? { KMSKeyId: key } : {}, {}];
    case 'AWS::OpenSearch::Domain':
      return [{ EncryptionAtRestOptions: { Enabled: enc, KmsKeyId: key } }, {}];
    case 'AWS::Elasticsearch::Domain':
      return [{ encryptionAtRestOptions: { enabled: enc, kmsKeyId: key } }, {}];
    default:
      return [{ EncryptionKeyArn: key }, {}];
  }
}

function items(perType: number): ConfigurationItem[] {
  const out: ConfigurationItem[] = [];
  for (const type of STORE_TYPES) {
    for (let i = 0; i < perType; i++) {
      const [configuration, supplementaryConfiguration] = configurationFor(type, i % 2 === 0, keyArn(i % 50));
      out.push(
        normalizeConfigurationItem({
          resourceType: type,
          resourceId: `${type.split('::')[1].toLowerCase()}-${i}`,
          awsAccountId: A,
          awsRegion: R,
          configurationItemStatus: 'OK',
          configurationItemCaptureTime: '2026-11-20T00:00:00Z',
          configuration,
          supplementaryConfiguration,
        }),
      );
    }
  }
  return out;
}

async function main(): Promise<void> {
  const all = items(10_000);
  const params = parseRuleParameters(encryptedAtRest.meta.parameters, { requireCustomerManagedKey: true }, 'bench');
  const facts = {};
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (const item of all) evaluateWithFacts(encryptedAtRest, item, params, facts);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const ms = times.sort((a, b) => a - b)[2];
  console.log(
    `evaluate: ${all.length} items in ${ms.toFixed(0)} ms (median of 5) = ${Math.round(all.length / (ms / 1000))} items/s`,
  );

  const keys = createSnapshotKeyLookup();
  for (let i = 0; i < 50; i++) {
    keys.add(
      normalizeConfigurationItem({
        resourceType: 'AWS::KMS::Key',
        resourceId: keyArn(i).split('/')[1],
        ARN: keyArn(i),
        awsAccountId: A,
        awsRegion: R,
        configurationItemStatus: 'OK',
        configuration: { keyId: keyArn(i).split('/')[1], arn: keyArn(i), keyManager: i % 5 === 0 ? 'AWS' : 'CUSTOMER' },
      }),
    );
  }
  keys.add(
    normalizeConfigurationItem({
      resourceType: 'AWS::KMS::Alias',
      resourceId: 'alias/app',
      awsAccountId: A,
      awsRegion: R,
      configurationItemStatus: 'OK',
      configuration: { AliasName: 'alias/app', TargetKeyId: keyArn(1).split('/')[1] },
    }),
  );
  const ctx = createRuleContext({
    mode: 'snapshot',
    accountId: A,
    region: R,
    keys,
    logger: createLogger({}, { write: () => undefined }),
  });
  const t = process.hrtime.bigint();
  let nonCompliant = 0;
  for (const item of all) {
    const [e] = await evaluateItem(encryptedAtRest, item, params, ctx);
    if (e.compliance === 'NON_COMPLIANT') nonCompliant++;
  }
  const full = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(
    `gather + evaluate (snapshot key lookup): ${all.length} items in ${full.toFixed(0)} ms = ${Math.round(all.length / (full / 1000))} items/s (${nonCompliant} NON_COMPLIANT)`,
  );

  // The same bundling as the CDK app (infra/bundling.ts): minified CJS for Node.js 22, AWS SDK external.
  const dir = bundleLambda(ruleHandlerEntry('encrypted-at-rest'));
  const code = readFileSync(join(dir, 'index.js'));
  console.log(
    `handler bundle: ${(bundleSize(dir) / 1024).toFixed(0)} KB minified, ${(gzipSync(code).length / 1024).toFixed(0)} KB gzipped`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
