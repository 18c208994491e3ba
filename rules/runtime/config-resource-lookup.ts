import {
  BatchGetResourceConfigCommand,
  type BatchGetResourceConfigCommandOutput,
  GetResourceConfigHistoryCommand,
  type GetResourceConfigHistoryCommandOutput,
  ListDiscoveredResourcesCommand,
  type ListDiscoveredResourcesCommandOutput,
  type ResourceType,
  SelectResourceConfigCommand,
  type SelectResourceConfigCommandOutput,
} from '@aws-sdk/client-config-service';
import { type ConfigurationItem, normalizeConfigurationItem } from './configuration-item';
import type { ResourceLookup } from './context';

/** The Config client operations the lookup and the live scan use (the SDK's ConfigServiceClient fits). */
export interface ConfigReadClient {
  send(command: GetResourceConfigHistoryCommand): Promise<GetResourceConfigHistoryCommandOutput>;
  send(command: SelectResourceConfigCommand): Promise<SelectResourceConfigCommandOutput>;
  send(command: ListDiscoveredResourcesCommand): Promise<ListDiscoveredResourcesCommandOutput>;
  send(command: BatchGetResourceConfigCommand): Promise<BatchGetResourceConfigCommandOutput>;
}

/** True when Config says it has no item for the resource (never recorded, or not discovered yet). */
function isNotDiscovered(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'ResourceNotDiscoveredException';
}

/**
 * Fetches the latest configuration item of a resource with GetResourceConfigHistory (limit 1, at or before
 * `laterTime` when given) and normalises the API form. Undefined when Config has none.
 */
export async function fetchConfigurationItem(
  client: ConfigReadClient,
  resourceType: string,
  resourceId: string,
  laterTime?: Date,
): Promise<ConfigurationItem | undefined> {
  try {
    const out = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: resourceType as ResourceType,
        resourceId,
        limit: 1,
        ...(laterTime ? { laterTime } : {}),
      }),
    );
    const item = out.configurationItems?.[0];
    return item ? normalizeConfigurationItem(item) : undefined;
  } catch (err) {
    if (isNotDiscovered(err)) return undefined;
    throw err;
  }
}

/** SQL string literal for Config's advanced query language. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * A {@link ResourceLookup} backed by AWS Config in the account and region the client points at. `get` reads
 * GetResourceConfigHistory; `findByArn` asks SelectResourceConfig for the resource id, and where advanced
 * query is unavailable (an error) lists the type and matches ARNs with BatchGetResourceConfig. Answers are
 * cached for the lifetime of the lookup (one invocation or one scan).
 */
export function createConfigResourceLookup(client: () => ConfigReadClient): ResourceLookup {
  const items = new Map<string, Promise<ConfigurationItem | undefined>>();
  const byArn = new Map<string, Promise<ConfigurationItem | undefined>>();

  const get = (resourceType: string, resourceId: string) => {
    const key = `${resourceType}|${resourceId}`;
    let hit = items.get(key);
    if (!hit) {
      hit = fetchConfigurationItem(client(), resourceType, resourceId);
      items.set(key, hit);
      hit.catch(() => items.delete(key));
    }
    return hit;
  };

  const scanForArn = async (resourceType: string, arn: string): Promise<ConfigurationItem | undefined> => {
    let nextToken: string | undefined;
    do {
      const page = await client().send(
        new ListDiscoveredResourcesCommand({ resourceType: resourceType as ResourceType, nextToken }),
      );
      const keys = (page.resourceIdentifiers ?? [])
        .filter((r) => r.resourceId)
        .map((r) => ({ resourceType: resourceType as ResourceType, resourceId: r.resourceId as string }));
      for (let i = 0; i < keys.length; i += 100) {
        const out = await client().send(new BatchGetResourceConfigCommand({ resourceKeys: keys.slice(i, i + 100) }));
        const hit = (out.baseConfigurationItems ?? []).find((b) => b.arn === arn);
        if (hit?.resourceId) return get(resourceType, hit.resourceId);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  };

  const findByArn = async (resourceType: string, arn: string): Promise<ConfigurationItem | undefined> => {
    let rows: string[];
    try {
      const out = await client().send(
        new SelectResourceConfigCommand({
          Expression: `SELECT resourceId WHERE resourceType = ${literal(resourceType)} AND arn = ${literal(arn)}`,
          Limit: 1,
        }),
      );
      rows = out.Results ?? [];
    } catch {
      return scanForArn(resourceType, arn);
    }
    const id = rows.length > 0 ? (JSON.parse(rows[0]) as { resourceId?: unknown }).resourceId : undefined;
    return typeof id === 'string' ? get(resourceType, id) : undefined;
  };

  return {
    get,
    findByArn(resourceType, arn) {
      const key = `${resourceType}|${arn}`;
      let hit = byArn.get(key);
      if (!hit) {
        hit = findByArn(resourceType, arn);
        byArn.set(key, hit);
        hit.catch(() => byArn.delete(key));
      }
      return hit;
    },
  };
}
