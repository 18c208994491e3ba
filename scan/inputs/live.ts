import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  ListDiscoveredResourcesCommand,
  type ResourceKey,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type ConfigurationItem, normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import { type ConfigReadClient, createConfigResourceLookup } from '../../rules/runtime/config-resource-lookup';
import type { RuleContext } from '../../rules/runtime/context';
import { collectEvaluations, evaluateItem } from '../../rules/runtime/engine';
import { describeError } from '../../rules/runtime/errors';
import { createKmsKeyLookup } from '../../rules/runtime/key-lookup';
import type { Logger } from '../../rules/runtime/logger';
import { parseRuleParameters } from '../../rules/runtime/parameters';
import { createRuleContext } from '../../rules/runtime/rule-context';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import type { EvaluationSource } from '../findings/scan-evaluation';

/** What `ward scan --live` passes to {@link scanLive}, and how it hears back. */
export interface LiveScanOptions {
  rules: readonly AnyRule[];
  regions: readonly string[];
  /** The rule's parameters (raw or already parsed: they are parsed against the rule's schema again). */
  paramsFor(rule: AnyRule): unknown;
  logger: Logger;
  /** Each evaluation, with the item judged (change path) and the account and region scanned. */
  onEvaluation(rule: AnyRule, evaluation: Evaluation, source: EvaluationSource): void;
  onError(message: string): void;
  onSkipped(rule: AnyRule, reason: string): void;
  onProgress?(done: number, total?: number): void;
}

/** Clients the scan uses in one region; tests inject fakes through {@link scanLiveWith}. */
export interface LiveScanClients {
  config: ConfigReadClient;
  sts: { send(command: GetCallerIdentityCommand): Promise<{ Account?: string }> };
}

/** IAM actions `ward scan --live` needs besides each rule's `meta.permissions`. */
export const LIVE_SCAN_PERMISSIONS = [
  'sts:GetCallerIdentity',
  'config:ListDiscoveredResources',
  'config:BatchGetResourceConfig',
  'config:GetResourceConfigHistory',
  'config:SelectResourceConfig',
  'kms:DescribeKey',
] as const;

/** Keys per BatchGetResourceConfig call (Config's limit). */
const BATCH = 100;
/** Batches in flight per resource type: stays well under Config's read rate on 2 cores and in CI. */
const CONCURRENCY = 4;
/** Extra rounds for `unprocessedResourceKeys`. */
const UNPROCESSED_ROUNDS = 3;

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/** Every resource id Config lists for a type in this region (all pages). */
async function listResourceIds(config: ConfigReadClient, resourceType: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await config.send(
      new ListDiscoveredResourcesCommand({ resourceType: resourceType as ResourceType, nextToken }),
    );
    for (const r of page.resourceIdentifiers ?? []) if (r.resourceId) ids.push(r.resourceId);
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

/**
 * The current configuration items of one type in the region: ListDiscoveredResources, then
 * BatchGetResourceConfig in batches of 100 (4 in flight), retrying unprocessed keys. A failed batch is
 * reported and skipped; the other batches go on.
 */
async function fetchItems(
  config: ConfigReadClient,
  region: string,
  resourceType: string,
  onError: (message: string) => void,
): Promise<ConfigurationItem[]> {
  const ids = await listResourceIds(config, resourceType);
  const batches: ResourceKey[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    batches.push(
      ids.slice(i, i + BATCH).map((resourceId) => ({ resourceType: resourceType as ResourceType, resourceId })),
    );
  }
  const items: ConfigurationItem[] = [];
  await pool(batches, CONCURRENCY, async (batch) => {
    let keys = batch;
    for (let round = 0; keys.length > 0; round++) {
      if (round > UNPROCESSED_ROUNDS) {
        onError(`${region} ${resourceType}: Config left ${keys.length} resources unprocessed; they were not scanned`);
        return;
      }
      if (round > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (round - 1)));
      try {
        const out = await config.send(new BatchGetResourceConfigCommand({ resourceKeys: keys }));
        for (const raw of out.baseConfigurationItems ?? []) {
          try {
            items.push(normalizeConfigurationItem(raw));
          } catch (err) {
            onError(`${region} ${resourceType}: ${describeError(err)}`);
          }
        }
        keys = out.unprocessedResourceKeys ?? [];
      } catch (err) {
        onError(
          `${region} ${resourceType}: BatchGetResourceConfig failed for ${keys.length} resources: ${describeError(err)}`,
        );
        return;
      }
    }
  });
  return items;
}

/** A 'live' rule context for the account and region the default credentials reach. */
function liveContext(accountId: string, region: string, config: ConfigReadClient, logger: Logger): RuleContext {
  // The key lookup calls KMS through the context's own client cache.
  const ctx: RuleContext = createRuleContext({
    mode: 'live',
    accountId,
    region,
    logger,
    keys: createKmsKeyLookup(
      (r) => ctx.client(KMSClient, r),
      (keyId) => new DescribeKeyCommand({ KeyId: keyId }),
    ),
    resources: createConfigResourceLookup(() => config),
  });
  return ctx;
}

/**
 * `ward scan --live`: judges what AWS Config has recorded in each region with the default credentials.
 * Change-triggered rules judge the current configuration items of their types; periodic rules run `collect`
 * (rules marked `global` once, in the first region). Nothing throws: problems go to `onError` and the scan
 * goes on.
 */
export async function scanLive(options: LiveScanOptions): Promise<void> {
  return scanLiveWith(options, (region) => ({
    config: new ConfigServiceClient({
      region,
      retryMode: 'adaptive',
      maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || 5,
    }),
    sts: new STSClient({ region }),
  }));
}

/** {@link scanLive} with the clients of each region supplied (tests inject fakes). */
export async function scanLiveWith(
  options: LiveScanOptions,
  clientsFor: (region: string) => LiveScanClients,
): Promise<void> {
  const params = new Map<AnyRule, unknown>();
  for (const rule of options.rules) {
    try {
      params.set(rule, parseRuleParameters(rule.meta.parameters, options.paramsFor(rule), rule.meta.id));
    } catch (err) {
      options.onSkipped(rule, describeError(err));
    }
  }
  const runnable = options.rules.filter((r) => params.has(r));
  const tasksPerRegion = runnable.reduce(
    (n, r) => n + (r.meta.trigger.onChange ? r.meta.resourceTypes.length : 0) + (r.meta.trigger.periodic ? 1 : 0),
    0,
  );
  const total = tasksPerRegion * options.regions.length;
  let done = 0;
  const step = () => options.onProgress?.(++done, total);

  for (const [index, region] of options.regions.entries()) {
    const clients = clientsFor(region);
    let accountId: string;
    try {
      const me = await clients.sts.send(new GetCallerIdentityCommand({}));
      if (!me.Account) throw new Error('GetCallerIdentity returned no account');
      accountId = me.Account;
    } catch (err) {
      options.onError(`${region}: cannot identify the account (sts:GetCallerIdentity): ${describeError(err)}`);
      done += tasksPerRegion;
      options.onProgress?.(done, total);
      continue;
    }
    const ctx = liveContext(accountId, region, clients.config, options.logger);
    // Several rules judge the same types (S3 buckets): fetch each type once per region.
    const byType = new Map<string, Promise<ConfigurationItem[] | undefined>>();
    const itemsOf = (type: string) => {
      let hit = byType.get(type);
      if (!hit) {
        hit = fetchItems(clients.config, region, type, options.onError).catch((err) => {
          options.onError(`${region} ${type}: cannot list resources (ListDiscoveredResources): ${describeError(err)}`);
          return undefined;
        });
        byType.set(type, hit);
      }
      return hit;
    };

    for (const rule of runnable) {
      const p = params.get(rule);
      // A rule with both triggers may judge a resource on both paths (kms-keys-not-shared lists the keys
      // Config records): report each resource once per rule, the change path first.
      const judged = new Set<string>();
      const report = (e: Evaluation, item?: ConfigurationItem) => {
        const key = `${e.resourceType}\u0000${e.resourceId}`;
        if (judged.has(key)) return;
        judged.add(key);
        options.onEvaluation(rule, e, { item, accountId, region });
      };
      if (rule.meta.trigger.onChange) {
        for (const type of rule.meta.resourceTypes) {
          for (const item of (await itemsOf(type)) ?? []) {
            for (const e of await evaluateItem(rule, item, p, ctx)) report(e, item);
          }
          step();
        }
      }
      if (rule.meta.trigger.periodic) {
        if (rule.meta.global && index > 0) {
          step();
          continue;
        }
        for (const e of await collectEvaluations(rule, p, ctx)) report(e);
        step();
      }
    }
  }
}
