/**
 * Helpers for integration tests against the moto server started by moto-global-setup.js.
 *
 * Isolation: moto keeps state per account and region and its reset is global, so every test file uses its
 * own region (`motoRegion(__filename)`) and unique names for global resources (S3 buckets, IAM entities).
 */
import { createHash } from 'node:crypto';

/** The moto endpoint, e.g. http://127.0.0.1:41234. */
export function motoEndpoint(): string {
  const e = process.env.MOTO_ENDPOINT;
  if (!e) throw new Error('MOTO_ENDPOINT is not set: run integration tests through jest (globalSetup starts moto)');
  return e;
}

/** The account moto uses for unsigned-by-moto credentials. */
export const MOTO_ACCOUNT = '123456789012';

const REGIONS = [
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'sa-east-1',
  'eu-south-1',
  'ap-east-1',
  'me-south-1',
  'af-south-1',
  'ap-northeast-3',
];

/** A region of its own for one test file (stable per file name). */
export function motoRegion(file: string): string {
  const h = createHash('sha256')
    .update(file.split(/[\\/]/).pop() ?? file)
    .digest();
  return REGIONS[h.readUInt32BE(0) % REGIONS.length];
}

/** SDK v3 client configuration for moto: endpoint, dummy credentials, path-style S3, no retries. */
export function motoClientConfig(region: string) {
  return {
    region,
    endpoint: motoEndpoint(),
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    forcePathStyle: true,
    maxAttempts: 1,
  };
}

/**
 * Points the process's default SDK configuration at moto (what `ward scan --live` and the handlers read):
 * AWS_ENDPOINT_URL, region and dummy credentials. Returns a function that restores the environment.
 */
export function useMotoEnvironment(region: string): () => void {
  const keys = [
    'AWS_ENDPOINT_URL',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_MAX_ATTEMPTS',
  ];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  process.env.AWS_ENDPOINT_URL = motoEndpoint();
  process.env.AWS_REGION = region;
  process.env.AWS_DEFAULT_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_MAX_ATTEMPTS = '1';
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** A name unique to this test run, for global resources (S3 buckets, IAM users). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
