/**
 * The periodic path's reads: every Lambda function of the region (lambda:ListFunctions, paged) with its tags
 * (Resource Groups Tagging API in bulk, lambda:ListTags per function as a fallback). Environment values are
 * passed to the detector as soon as a page arrives and dropped: only fingerprints leave this module.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { type RuleContext, WardError, describeError, settle } from '../runtime';
import { type DetectedCredential, detectCredentials } from './detect';
import type { FunctionCredential, FunctionFacts } from './judge';
import * as sdk from '../runtime/sdk';

const LATEST = '$LATEST';

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

/** One function with its versions' detections merged; `$LATEST` decides the role and the ARN. */
interface Accumulator {
  name: string;
  arn: string;
  role?: string;
  environmentError?: string;
  /** variable|fingerprint -> credential and the versions holding it. */
  found: Map<string, { credential: DetectedCredential; versions: string[] }>;
}

function add(acc: Map<string, Accumulator>, fn: FunctionConfiguration): void {
  const name = fn.FunctionName as string;
  const version = fn.Version ?? LATEST;
  let a = acc.get(name);
  if (!a) acc.set(name, (a = { name, arn: unqualifiedArn(fn.FunctionArn ?? ''), found: new Map() }));
  const env = fn.Environment;
  if (version === LATEST || a.role === undefined) a.role = fn.Role;
  if (env?.Error && (version === LATEST || a.environmentError === undefined)) {
    a.environmentError = env.Error.ErrorCode ?? 'an error';
  }
  const variables: unknown = env?.Variables ?? {};
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    // Not a map of variables: what it holds cannot be read, so the function is not judged clean.
    a.environmentError ??= `Environment.Variables is ${Array.isArray(variables) ? 'an array' : `a ${typeof variables}`}`;
    return;
  }
  // Values go to the detector here and are dropped: only kinds and fingerprints are kept.
  for (const c of detectCredentials(variables as Record<string, unknown>)) {
    const key = `${c.variable}|${c.fingerprint}`;
    const entry = a.found.get(key) ?? { credential: c, versions: [] };
    entry.versions.push(version);
    a.found.set(key, entry);
  }
}

function finish(a: Accumulator): Omit<FunctionFacts, 'tags'> {
  const entries = [...a.found.values()].sort((x, y) => x.credential.variable.localeCompare(y.credential.variable));
  const credentials: FunctionCredential[] = entries.map(({ credential, versions }) =>
    versions.includes(LATEST)
      ? credential
      : { ...credential, publishedOnly: versions.sort((x, y) => Number(x) - Number(y)) },
  );
  return {
    name: a.name,
    arn: a.arn,
    role: a.role,
    credentials,
    ...(a.environmentError ? { environmentError: a.environmentError } : {}),
  };
}

/**
 * Every function of the context's region, paged, without tags. Reads every version (`FunctionVersion: ALL`):
 * a published version keeps the environment it was published with, so a credential removed from `$LATEST` may
 * still be readable there.
 */
export async function listFunctions(ctx: RuleContext): Promise<Omit<FunctionFacts, 'tags'>[]> {
  // SDK modules are imported on first use: the responder bundles this rule and loads them only to re-check.
  const { LambdaClient, ListFunctionsCommand } = await sdk.lambda();
  const lambda = ctx.client(LambdaClient);
  const acc = new Map<string, Accumulator>();
  let marker: string | undefined;
  try {
    do {
      const page = await lambda.send(
        new ListFunctionsCommand({ Marker: marker, MaxItems: 50, FunctionVersion: 'ALL' }),
      );
      for (const fn of page.Functions ?? []) if (fn.FunctionName) add(acc, fn);
      marker = page.NextMarker;
    } while (marker);
  } catch (err) {
    throw new FunctionListingError(`lambda:ListFunctions failed: ${describeError(err)}`, { cause: err });
  }
  return [...acc.values()].map(finish);
}

/** Tags of every tagged function, by unqualified ARN, from the Resource Groups Tagging API (paged). */
export async function bulkFunctionTags(ctx: RuleContext): Promise<Map<string, Record<string, string>>> {
  const { GetResourcesCommand, ResourceGroupsTaggingAPIClient } = await sdk.resourceGroupsTagging();
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
  // The two listings are independent: they run at the same time (one round trip less on a cold start).
  const tagsRead = settle(bulkFunctionTags(ctx));
  const functions = await listFunctions(ctx);
  const bulk = await tagsRead;
  if (bulk.ok) return functions.map((fn) => ({ ...fn, tags: bulk.value.get(fn.arn) ?? {} }));
  ctx.logger.warn({ problem: describeError(bulk.error) }, 'tag:GetResources failed: reading tags with lambda:ListTags');

  const roleUse = new Map<string, number>();
  for (const fn of functions) if (fn.role) roleUse.set(fn.role, (roleUse.get(fn.role) ?? 0) + 1);
  const { LambdaClient, ListTagsCommand } = await sdk.lambda();
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
