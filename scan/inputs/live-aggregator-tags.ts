import type { Relationship } from '../../rules/runtime/configuration-item';

/** Tags and relationships of one resource, as SelectAggregateResourceConfig returns them. */
export interface TagRecord {
  readonly tags: Readonly<Record<string, string>>;
  readonly relationships?: readonly Relationship[];
}

/** Config's limit on an advanced-query expression. */
export const MAX_EXPRESSION = 4096;

const HEAD = (type: string) =>
  `SELECT resourceId, accountId, awsRegion, tags, relationships WHERE resourceType = '${type}' AND resourceId IN (`;

/**
 * The advanced queries that read the tags and relationships of `resourceIds` of one type: `IN` lists cut so
 * that each expression stays under Config's 4,096 characters. Ids with a quote cannot be written in the
 * query language safely and are left out (their tags stay unread, which the scan reports).
 */
export function selectTagsExpressions(resourceType: string, resourceIds: readonly string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let length = HEAD(resourceType).length + 1;
  for (const id of resourceIds) {
    if (id.includes("'") || id.length === 0) continue;
    const lit = `'${id}'`;
    if (current.length > 0 && length + lit.length + 2 > MAX_EXPRESSION) {
      out.push(`${HEAD(resourceType)}${current.join(', ')})`);
      current = [];
      length = HEAD(resourceType).length + 1;
    }
    current.push(lit);
    length += lit.length + 2;
  }
  if (current.length > 0) out.push(`${HEAD(resourceType)}${current.join(', ')})`);
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses SelectAggregateResourceConfig `Results` (one JSON string per resource:
 * `{"resourceId","accountId","awsRegion","tags":[{"key","value","tag"}],"relationships":[...]}`) into a map
 * keyed by `account\0region\0resourceId`. A result that is not that shape is left out (its tags stay unread).
 */
export function tagsFromSelectResults(results: readonly string[]): Map<string, TagRecord> {
  const out = new Map<string, TagRecord>();
  for (const text of results) {
    let r: unknown;
    try {
      r = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isRecord(r) || typeof r.resourceId !== 'string' || typeof r.accountId !== 'string') continue;
    if (typeof r.awsRegion !== 'string') continue;
    // An absent `tags` means the resource has none; a `tags` of another shape means we cannot tell.
    const tags: Record<string, string> = {};
    if (r.tags !== undefined) {
      if (!Array.isArray(r.tags)) continue;
      let ok = true;
      for (const t of r.tags) {
        if (isRecord(t) && typeof t.key === 'string') tags[t.key] = typeof t.value === 'string' ? t.value : '';
        else ok = false;
      }
      if (!ok) continue;
    }
    const relationships = Array.isArray(r.relationships)
      ? r.relationships.filter(isRecord).map((x) => ({
          resourceType: typeof x.resourceType === 'string' ? x.resourceType : undefined,
          resourceId: typeof x.resourceId === 'string' ? x.resourceId : undefined,
          resourceName: typeof x.resourceName === 'string' ? x.resourceName : undefined,
          name: typeof x.relationshipName === 'string' ? x.relationshipName : typeof x.name === 'string' ? x.name : '',
        }))
      : undefined;
    out.set(`${r.accountId}\u0000${r.awsRegion}\u0000${r.resourceId}`, {
      tags,
      ...(relationships ? { relationships } : {}),
    });
  }
  return out;
}
