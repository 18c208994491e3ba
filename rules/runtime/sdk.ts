/**
 * The AWS SDK v3 client modules that rules, the responder and runbooks call, each loaded on first use and then
 * kept. A Lambda loads only the clients the event in hand needs (each adds milliseconds to a cold start), and a
 * warm Lambda does not pay for the import again: bundled, every `import()` of a CommonJS module re-wraps its
 * exports (hundreds of them for a client), which cost about 1 ms a call on the responder's remediation path.
 */

/** A loader that runs `load` on its first call only; later calls get the same promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export const cloudwatchLogs = once(() => import('@aws-sdk/client-cloudwatch-logs'));
export const dynamodb = once(() => import('@aws-sdk/client-dynamodb'));
export const ecr = once(() => import('@aws-sdk/client-ecr'));
export const efs = once(() => import('@aws-sdk/client-efs'));
export const elasticache = once(() => import('@aws-sdk/client-elasticache'));
export const iam = once(() => import('@aws-sdk/client-iam'));
export const kms = once(() => import('@aws-sdk/client-kms'));
export const lambda = once(() => import('@aws-sdk/client-lambda'));
export const resourceGroupsTagging = once(() => import('@aws-sdk/client-resource-groups-tagging-api'));
export const s3 = once(() => import('@aws-sdk/client-s3'));
export const sns = once(() => import('@aws-sdk/client-sns'));
export const sqs = once(() => import('@aws-sdk/client-sqs'));
export const sts = once(() => import('@aws-sdk/client-sts'));
