// SDK values are imported where they are used: the responder's cold start loads only the clients it needs.
import type { S3Client } from '@aws-sdk/client-s3';
import { isNotFound, RunbookError } from './errors';
import * as sdk from '../rules/runtime/sdk';

/** A bucket's tags; `{}` when it has none (S3 answers NoSuchTagSet). */
export async function readBucketTags(s3: S3Client, bucket: string, runbookId: string): Promise<Record<string, string>> {
  const { GetBucketTaggingCommand } = await sdk.s3();
  try {
    const out = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch (err) {
    if (isNotFound(err, 'NoSuchTagSet', 'NoSuchTagSetError')) return {};
    throw new RunbookError(runbookId, `cannot read the tags of bucket ${bucket}`, { cause: err });
  }
}
