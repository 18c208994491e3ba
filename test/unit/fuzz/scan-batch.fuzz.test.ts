import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { rules } from '../../../rules';
import type { AnyRule } from '../../../rules/runtime/types';
import { scan, tempDir, toApiForm } from '../scan/scan-harness';
import { KINDS, mayChangeVerdict, type Mutation, mutablePaths, mutate, pathText } from './mutations';

/*
 * One bad row never stops the rest, fuzzed at the scan level (seeded and bounded): the whole sample account is
 * scanned as JSON Lines with a few items mutated (a field dropped, nulled, retyped or stringified, in event or API
 * form). The scan must finish with a report; every untouched item keeps its verdict; no mutated item of a
 * NON_COMPLIANT resource becomes COMPLIANT.
 */

const SEED = Number(process.env.WARD_FUZZ_SEED ?? 14);
const ROUNDS = Number(process.env.WARD_FUZZ_ROUNDS ?? 40);
const MUTATED_PER_ROUND = 4;

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'sample-account');
const ITEMS: Record<string, unknown>[] = readdirSync(SAMPLE)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(SAMPLE, f), 'utf8')) as Record<string, unknown>[]);

interface Report {
  summary: { itemsRead: number };
  evaluations: { rule: string; resourceId: string; compliance: string }[];
}

const dir = tempDir();

async function scanItems(items: readonly Record<string, unknown>[], name: string) {
  const file = join(dir, name);
  writeFileSync(file, `${items.map((i) => JSON.stringify(i)).join('\n')}\n`);
  const r = await scan([file], { format: 'json' }, '', rules as readonly AnyRule[]);
  expect([0, 2]).toContain(r.code);
  return JSON.parse(r.stdout) as Report;
}

const verdicts = (report: Report) => {
  const out = new Map<string, string[]>();
  for (const e of report.evaluations) {
    const key = `${e.rule}|${e.resourceId}`;
    out.set(key, [...(out.get(key) ?? []), e.compliance]);
  }
  return out;
};

describe('ward scan under mutated rows', () => {
  it('judges every untouched item as before, and never turns a mutated NON_COMPLIANT item COMPLIANT', async () => {
    const baseline = verdicts(await scanItems(ITEMS, 'baseline.jsonl'));
    // Items whose resource id is unique, so their verdicts can be told apart.
    const counts = new Map<unknown, number>();
    for (const i of ITEMS) counts.set(i.resourceId, (counts.get(i.resourceId) ?? 0) + 1);
    const candidates = ITEMS.map((_, n) => n).filter((n) => counts.get(ITEMS[n].resourceId) === 1);
    const round = fc.record({
      picks: fc.uniqueArray(fc.constantFrom(...candidates), { minLength: 1, maxLength: MUTATED_PER_ROUND }),
      kinds: fc.array(fc.constantFrom(...KINDS), { minLength: MUTATED_PER_ROUND, maxLength: MUTATED_PER_ROUND }),
      paths: fc.array(fc.nat(), { minLength: MUTATED_PER_ROUND, maxLength: MUTATED_PER_ROUND }),
      api: fc.boolean(),
    });
    let n = 0;
    let untouched = 0;
    let mutatedNonCompliant = 0;
    for (const r of fc.sample(round, { seed: SEED, numRuns: ROUNDS })) {
      const mutated = new Map<number, Mutation>();
      const items = ITEMS.map((item, k) => {
        const at = r.picks.indexOf(k);
        const form = r.api ? toApiForm(item) : item;
        if (at < 0) return form;
        const paths = mutablePaths(form);
        const m: Mutation = { path: paths[r.paths[at] % paths.length], kind: r.kinds[at] };
        mutated.set(k, m);
        return mutate(form, m);
      });
      const report = await scanItems(items, `round-${n++}.jsonl`);
      const now = verdicts(report);
      expect(report.summary.itemsRead).toBe(ITEMS.length);
      for (const [k, item] of ITEMS.entries()) {
        for (const rule of rules) {
          const key = `${rule.meta.id}|${String(item.resourceId)}`;
          const before = baseline.get(key);
          if (before === undefined || counts.get(item.resourceId) !== 1) continue;
          const m = mutated.get(k);
          if (m === undefined) {
            // One bad row never changes the verdicts of the others.
            expect([key, now.get(key)]).toEqual([key, before]);
            untouched++;
          } else if (before.includes('NON_COMPLIANT') && !mayChangeVerdict(item.resourceType as string, m)) {
            mutatedNonCompliant++;
            expect([key, m.kind, pathText(m.path), now.get(key) ?? []]).not.toEqual(
              expect.arrayContaining([expect.arrayContaining(['COMPLIANT'])]),
            );
          }
        }
      }
    }
    // The property was exercised on both sides.
    expect(untouched).toBeGreaterThan(1000);
    expect(mutatedNonCompliant).toBeGreaterThan(10);
  });
});
