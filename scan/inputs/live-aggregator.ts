import {
  type AggregateResourceIdentifier,
  BatchGetAggregateResourceConfigCommand,
  type BatchGetAggregateResourceConfigCommandOutput,
  ConfigServiceClient,
  ListAggregateDiscoveredResourcesCommand,
  type ListAggregateDiscoveredResourcesCommandOutput,
  type ResourceType,
  SelectAggregateResourceConfigCommand,
  type SelectAggregateResourceConfigCommandOutput,
} from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { type ConfigurationItem, normalizeConfigurationItem } from '../../rules/runtime/configuration-item';
import type { ConfigReadClient } from '../../rules/runtime/config-resource-lookup';
import { createConfigResourceLookup } from '../../rules/runtime/config-resource-lookup';
import type { RuleContext } from '../../rules/runtime/context';
import { evaluateItem, type ExemptionParams } from '../../rules/runtime/engine';
import { describeError } from '../../rules/runtime/errors';
import { createKmsKeyLookup } from '../../rules/runtime/key-lookup';
import { createRuleContext } from '../../rules/runtime/rule-context';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import { isGlobalType, parseLiveParams } from './live';
import { clientSettings } from './live-org';
import { createLimiter, forEachLimited, limitClient } from './live-pool';
import { type ScopeScanOptions, ScopeTally } from './live-scope';
import { selectTagsExpressions, tagsFromSelectResults, type TagRecord } from './live-aggregator-tags';

/** Options of {@link scanAggregator}. */
export interface AggregatorScanOptions extends ScopeScanOptions {
  /** The configuration aggregator's name (in the home region of the caller's account). */
  readonly aggregator: string;
  /** Only these source accounts (`--accounts`); empty: all. */
  readonly accounts: ReadonlySet<string>;
  /** Only these source regions (`--regions`/`--region`); empty: all. */
  readonly regions: ReadonlySet<string>;
}

/** The aggregator calls the scan makes (tests pass a fake). */
export interface AggregatorClient {
  send(
    command: ListAggregateDiscoveredResourcesCommand,
  ): Promise<Partial<ListAggregateDiscoveredResourcesCommandOutput>>;
  send(command: BatchGetAggregateResourceConfigCommand): Promise<Partial<BatchGetAggregateResourceConfigCommandOutput>>;
  send(command: SelectAggregateResourceConfigCommand): Promise<Partial<SelectAggregateResourceConfigCommandOutput>>;
}

/** Identifiers per BatchGetAggregateResourceConfig call and per ListAggregateDiscoveredResources page (the limits). */
const BATCH = 100;
/** Extra rounds for `UnprocessedResourceIdentifiers`. */
const UNPROCESSED_ROUNDS = 3;

const tagNote = (key: string) =>
  ` The exemptTag ${key} was not checked: the aggregator returned no tags for this resource ` +
  '(SelectAggregateResourceConfig failed), so the resource was judged without its exemption.';

/**
 * `ward scan --aggregator NAME`: judges what a Config aggregator holds for every source account and region
 * (filtered by `accounts` and `regions`): ListAggregateDiscoveredResources per type the change-triggered rules
 * judge, then BatchGetAggregateResourceConfig per 100 identifiers. BatchGet returns neither tags nor
 * relationships: when a rule's exemption depends on a tag, the batch's tags come from one
 * SelectAggregateResourceConfig query; when that fails, a NON_COMPLIANT evaluation keeps its result and its
 * annotation says the tag was not read (never judged as if untagged and exempted). A global (IAM) resource
 * listed in several regions is judged once. Periodic rules need each account's APIs: they are skipped
 * here (scan with roles to run them). Nothing throws: problems go to `onError`.
 */
export async function scanAggregator(options: AggregatorScanOptions, client?: AggregatorClient): Promise<void> {
  const limit = createLimiter(options.concurrency);
  const config = (client ??
    limitClient(new ConfigServiceClient(clientSettings(options.homeRegion)), limit)) as AggregatorClient;
  const params = parseLiveParams(options.rules, options.paramsFor, options.onSkipped);
  const byType = new Map<string, AnyRule[]>();
  for (const rule of params.keys()) {
    if (!rule.meta.trigger.onChange) {
      params.delete(rule);
      options.onSkipped(
        rule,
        "periodic-only rule: it lists resources through each account's APIs, which an aggregator does not hold; " +
          'scan with --role-arn, --accounts --role-name or --org to run it',
      );
      continue;
    }
    if (rule.meta.trigger.periodic) {
      options.onNote(
        `${rule.meta.id}: judged from the aggregator's configuration items only; its periodic part did not run ` +
          '(scan with roles to run it)',
      );
    }
    for (const t of rule.meta.resourceTypes) byType.set(t, [...(byType.get(t) ?? []), rule]);
  }
  const exemptTagOf = (rule: AnyRule) => (params.get(rule) as ExemptionParams | undefined)?.exemptTag;
  const tagsNeeded = [...params.keys()].some((r) => exemptTagOf(r) !== undefined);
  let selectWorks = true;

  const tallies = new Map<string, ScopeTally>();
  const tally = (accountId: string, region: string) => {
    const key = `${accountId}\u0000${region}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = new ScopeTally(accountId, region)));
    return t;
  };
  const contexts = new Map<string, RuleContext>();
  const contextFor = (accountId: string, region: string) => {
    const key = `${accountId}\u0000${region}`;
    let ctx = contexts.get(key);
    if (!ctx) {
      const regional = limitClient(new ConfigServiceClient(clientSettings(region)), limit) as ConfigReadClient;
      const created: RuleContext = createRuleContext({
        mode: 'live',
        accountId,
        region,
        logger: options.logger,
        keys: createKmsKeyLookup(
          (r) => created.client(KMSClient, r),
          (keyId) => new DescribeKeyCommand({ KeyId: keyId }),
        ),
        resources: createConfigResourceLookup(() => regional),
      });
      contexts.set(key, (ctx = created));
    }
    return ctx;
  };
  const globalSeen = new Set<string>();
  const progress = { accounts: { done: 0, total: 0 }, regions: { done: 0, total: 0 }, items: 0 };
  const typesTotal = byType.size;
  let typesDone = 0;
  const tell = () => options.onProgress?.({ ...progress, regions: { done: typesDone, total: typesTotal } });

  const keep = (id: AggregateResourceIdentifier) =>
    (options.accounts.size === 0 || options.accounts.has(id.SourceAccountId ?? '')) &&
    (options.regions.size === 0 || options.regions.has(id.SourceRegion ?? ''));

  const fetchTags = async (type: string, batch: AggregateResourceIdentifier[]) => {
    if (!tagsNeeded || !selectWorks) return undefined;
    const tags = new Map<string, TagRecord>();
    try {
      for (const Expression of selectTagsExpressions(
        type,
        batch.map((b) => b.ResourceId ?? ''),
      )) {
        let NextToken: string | undefined;
        do {
          const out = await config.send(
            new SelectAggregateResourceConfigCommand({
              ConfigurationAggregatorName: options.aggregator,
              Expression,
              Limit: BATCH,
              NextToken,
            }),
          );
          for (const [k, v] of tagsFromSelectResults(out.Results ?? [])) tags.set(k, v);
          NextToken = out.NextToken;
        } while (NextToken);
      }
      return tags;
    } catch (err) {
      if (!selectWorks) return undefined;
      selectWorks = false;
      options.onNote(
        `SelectAggregateResourceConfig failed (${describeError(err)}): tags were not read; ` +
          'NON_COMPLIANT results of rules with exemptTag say so in their annotation',
      );
      return undefined;
    }
  };

  const judge = async (type: string, batch: AggregateResourceIdentifier[]) => {
    let ids = batch;
    const items: ConfigurationItem[] = [];
    for (let round = 0; ids.length > 0; round++) {
      if (round > UNPROCESSED_ROUNDS) {
        options.onError(
          `aggregator ${options.aggregator} ${type}: Config left ${ids.length} resources unprocessed; they were not scanned`,
        );
        return;
      }
      if (round > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (round - 1)));
      try {
        const out = await config.send(
          new BatchGetAggregateResourceConfigCommand({
            ConfigurationAggregatorName: options.aggregator,
            ResourceIdentifiers: ids,
          }),
        );
        for (const raw of out.BaseConfigurationItems ?? []) {
          try {
            items.push(normalizeConfigurationItem(raw));
          } catch (err) {
            options.onError(`${raw.accountId ?? '?'} ${raw.awsRegion ?? '?'} ${type}: ${describeError(err)}`);
          }
        }
        ids = out.UnprocessedResourceIdentifiers ?? [];
      } catch (err) {
        const where = [...new Set(ids.map((i) => `${i.SourceAccountId} ${i.SourceRegion}`))];
        for (const w of where) tally(w.split(' ')[0], w.split(' ')[1]).errors++;
        options.onError(
          `aggregator ${options.aggregator} ${type}: BatchGetAggregateResourceConfig failed for ${ids.length} resources ` +
            `(${where.join(', ')}): ${describeError(err)}`,
        );
        return;
      }
    }
    progress.items += items.length;
    tell();
    const tags = await fetchTags(type, batch);
    for (let item of items) {
      const tagged = tags?.get(`${item.accountId}\u0000${item.awsRegion}\u0000${item.resourceId}`);
      if (tagged) item = { ...item, tags: tagged.tags, relationships: tagged.relationships ?? item.relationships };
      // The aggregator's item names its source account and region; the identity model reads them from it.
      const source = { item, accountId: item.accountId, region: item.awsRegion };
      const t = tally(source.accountId, source.region);
      for (const rule of byType.get(type) ?? []) {
        const key = exemptTagOf(rule)?.split('=')[0];
        for (let e of await evaluateItem(rule, item, params.get(rule), contextFor(source.accountId, source.region))) {
          if (key !== undefined && !tagged && e.compliance === 'NON_COMPLIANT') {
            e = { ...e, annotation: `${e.annotation}${tagNote(key)}` } as Evaluation;
          }
          t.add(e);
          options.onEvaluation(rule, e, source);
        }
      }
    }
  };

  // With --accounts/--regions, one listing per account and region filtered by Config itself (it sends
  // only what is kept); without them, one listing of everything.
  const scopes: { AccountId?: string; Region?: string }[] = [];
  for (const AccountId of options.accounts.size > 0 ? [...options.accounts] : [undefined]) {
    for (const Region of options.regions.size > 0 ? [...options.regions] : [undefined]) {
      scopes.push({ ...(AccountId ? { AccountId } : {}), ...(Region ? { Region } : {}) });
    }
  }
  const listings = [...byType.keys()].flatMap((type) => scopes.map((filters) => ({ type, filters })));
  const listingsLeft = new Map([...byType.keys()].map((t) => [t, scopes.length]));

  await forEachLimited(listings, options.concurrency, async ({ type, filters }) => {
    let pending: AggregateResourceIdentifier[] = [];
    const where = [filters.AccountId, filters.Region].filter(Boolean).join(' ');
    try {
      let NextToken: string | undefined;
      do {
        const page = await config.send(
          new ListAggregateDiscoveredResourcesCommand({
            ConfigurationAggregatorName: options.aggregator,
            ResourceType: type as ResourceType,
            ...(Object.keys(filters).length > 0 ? { Filters: filters } : {}),
            Limit: BATCH,
            NextToken,
          }),
        );
        for (const id of page.ResourceIdentifiers ?? []) {
          if (!keep(id)) continue;
          if (isGlobalType(type)) {
            // Config lists a global resource once per region that records it: judge it once.
            const g = `${id.SourceAccountId}\u0000${type}\u0000${id.ResourceId}`;
            if (globalSeen.has(g)) continue;
            globalSeen.add(g);
          }
          pending.push({ ...id, ResourceType: type as ResourceType });
          if (pending.length === BATCH) {
            await judge(type, pending);
            pending = [];
          }
        }
        NextToken = page.NextToken;
      } while (NextToken);
      if (pending.length > 0) await judge(type, pending);
    } catch (err) {
      if (filters.AccountId && filters.Region) tally(filters.AccountId, filters.Region).errors++;
      options.onError(
        `aggregator ${options.aggregator} ${type}${where ? ` (${where})` : ''}: cannot list resources ` +
          `(ListAggregateDiscoveredResources): ${describeError(err)}`,
      );
    }
    const left = (listingsLeft.get(type) ?? 1) - 1;
    listingsLeft.set(type, left);
    if (left === 0) {
      typesDone++;
      tell();
    }
  });
  for (const t of [...tallies.values()].sort((a, b) =>
    `${a.accountId} ${a.region}`.localeCompare(`${b.accountId} ${b.region}`),
  )) {
    options.onScope?.(t.row());
  }
}
