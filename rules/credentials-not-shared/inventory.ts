/**
 * The periodic path's reads: every Lambda function of the region (lambda:ListFunctions, paged) with its tags
 * (Resource Groups Tagging API in bulk, lambda:ListTags per function as a fallback). Environment values are
 * passed to the detector as soon as a page arrives and dropped: only fingerprints leave this module.
 */
import {
  type FunctionConfiguration,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-lambda';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { type RuleContext, WardError, describeError } from '../runtime';
import { detectCredentials } from './detect';
import type { FunctionFacts } from './judge';

/** Listing the functions failed; the periodic run reports an evaluation error on the account. */
export class FunctionListingError extends WardError {}

/** What to read tags for when the bulk tagging API is unavailable. */
export interface InventoryOptions {
  /** The component tag key (tags matter only for functions that share a role). */
  readonly componentTagKey: string;
  /** True when an exemption tag is configured, so every function's tags are needed. */
  readonly needAllTags: boolean;
}

/** Strips a version or alias qualifier so ARNs from ListFunctions and GetResources compare equal. */
export function unqualifiedArn(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}

function factsOf(fn: FunctionConfiguration): Omit<FunctionFacts, 'tags'> {
  const env = fn.Environment;
  return {
    name: fn.FunctionName ?? '',
    arn: unqualifiedArn(fn.FunctionArn ?? ''),
    role: fn.Role,
    credentials: detectCredentials(env?.Variables ?? {}),
    ...(env?.Error ? { environmentError: env.Error.ErrorCode ?? 'an error' } : {}),
  };
}

/** Every function of the context's region, paged, without tags. */
export async function listFunctions(ctx: RuleContext): Promise<Omit<FunctionFacts, 'tags'>[]> {
  const lambda = ctx.client(LambdaClient);
  const out: Omit<FunctionFacts, 'tags'>[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 }));
      for (const fn of page.Functions ?? []) if (fn.FunctionName) out.push(factsOf(fn));
      marker = page.NextMarker;
    } while (marker);
  } catch (err) {
    throw new FunctionListingError(`lambda:ListFunctions failed: ${describeError(err)}`, { cause: err });
  }
  return out;
}

/** Tags of every tagged function, by unqualified ARN, from the Resource Groups Tagging API (paged). */
export async function bulkFunctionTags(ctx: RuleContext): Promise<Map<string, Record<string, string>>> {
  const tagging = ctx.client(ResourceGroupsTaggingAPIClient);
  const tags = new Map<string, Record<string, string>>();
  let token: string | undefined;
  do {
    const page = await tagging.send(
      new GetResourcesCommand({ ResourceTypeFilters: ['lambda:function'], PaginationToken: token || undefined }),
    );
    for (const r of page.ResourceTagMappingList ?? []) {
      if (!r.ResourceARN) continue;
      const map: Record<string, string> = {};
      for (const t of r.Tags ?? []) if (t.Key !== undefined) map[t.Key] = t.Value ?? '';
      tags.set(unqualifiedArn(r.ResourceARN), map);
    }
    token = page.PaginationToken;
  } while (token);
  return tags;
}

/**
 * Every function with its credentials and tags. Tags come in bulk; when the tagging API fails (not allowed,
 * not available), they are read with lambda:ListTags for the functions where they matter: those whose
 * execution role another function also uses, or all when an exemption tag is configured.
 */
export async function collectFunctions(ctx: RuleContext, options: InventoryOptions): Promise<FunctionFacts[]> {
  const functions = await listFunctions(ctx);
  let bulk: Map<string, Record<string, string>> | undefined;
  try {
    bulk = await bulkFunctionTags(ctx);
  } catch (err) {
    ctx.logger.warn({ problem: describeError(err) }, 'tag:GetResources failed: reading tags with lambda:ListTags');
  }
  if (bulk) return functions.map((fn) => ({ ...fn, tags: bulk.get(fn.arn) ?? {} }));

  const roleUse = new Map<string, number>();
  for (const fn of functions) if (fn.role) roleUse.set(fn.role, (roleUse.get(fn.role) ?? 0) + 1);
  const lambda = ctx.client(LambdaClient);
  const out: FunctionFacts[] = [];
  for (const fn of functions) {
    const needed = options.needAllTags || (fn.role !== undefined && (roleUse.get(fn.role) ?? 0) > 1);
    if (!needed) {
      out.push({ ...fn, tags: {} });
      continue;
    }
    try {
      const res = await lambda.send(new ListTagsCommand({ Resource: fn.arn }));
      out.push({ ...fn, tags: { ...(res.Tags ?? {}) } });
    } catch (err) {
      throw new FunctionListingError(`lambda:ListTags failed for ${fn.name}: ${describeError(err)}`, { cause: err });
    }
  }
  return out;
}
