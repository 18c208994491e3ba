/*
 * Shared by the rules' wrong-type tests: real-shaped items from the sample account, one field replaced (or
 * removed), evaluated in the event form and the API form (JSON-string configuration and supplementary values).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnyRule,
  type Evaluation,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import { captureLogger } from '../../fixtures/events/fakes';
import { deepFreeze } from '../../fixtures/events/config-events';
import { toApiForm } from '../scan/scan-harness';

type Json = Record<string, unknown>;

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'sample-account');

/** Every item of the sample account fragments, deep-frozen. */
export const SAMPLE_ITEMS: readonly Json[] = deepFreeze(
  readdirSync(SAMPLE)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(SAMPLE, f), 'utf8')) as Json[]),
);

/** The sample item with this id. */
export function sampleItem(resourceId: string): Json {
  const hit = SAMPLE_ITEMS.find((i) => i.resourceId === resourceId);
  if (!hit) throw new Error(`no sample item ${resourceId}`);
  return hit;
}

/** Marks a field to remove. */
export const MISSING = Symbol('missing');

/** A copy of `item` with `value` at `path` (`configuration.a.b`; `[n]` for list elements), or without it. */
export function withField(item: Json, path: string, value: unknown): Json {
  const copy = structuredClone(item) as Json;
  const steps = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  let parent: Record<string, unknown> = copy;
  for (const step of steps.slice(0, -1)) parent = parent[step] as Record<string, unknown>;
  const last = steps[steps.length - 1];
  if (value === MISSING) delete parent[last];
  else parent[last] = value;
  return copy;
}

const log = captureLogger();

/** The rule's evaluations of `raw` in the event form and the API form, with the default parameters. */
export async function judgeBothForms(rule: AnyRule, raw: Json): Promise<Evaluation[][]> {
  const params = parseRuleParameters(rule.meta.parameters, undefined, rule.meta.id);
  const ctx = createRuleContext({
    mode: 'snapshot',
    accountId: '111122223333',
    region: 'us-east-1',
    logger: log.logger,
    keys: createSnapshotKeyLookup(),
  });
  return Promise.all(
    [raw, toApiForm(raw)].map((form) => evaluateItem(rule, normalizeConfigurationItem(form), params, ctx)),
  );
}

/** `[compliance, [code, path]...]` of the first evaluation, for table assertions. */
export function verdict(evaluations: readonly Evaluation[]): [string, [string, string | undefined][]] {
  const [e] = evaluations;
  return [e.compliance, e.findings.map((f) => [f.code, f.path])];
}
