import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { kmsKeysNotShared } from '../../../rules/kms-keys-not-shared/rule';
import { noPublicPrincipals } from '../../../rules/no-public-principals/rule';
import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import {
  type AnyRule,
  type ConfigurationItem,
  type Evaluation,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
} from '../../../rules/runtime';
import { createConfigRuleHandler } from '../../../rules/runtime/handler';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import { changeEvent } from '../../fixtures/events/config-events';
import { captureLogger, FakeClient } from '../../fixtures/events/fakes';
import { toApiForm } from '../scan/scan-harness';
import { KINDS, mayChangeVerdict, type Mutation, mutablePaths, mutate, pathText } from './mutations';

/*
 * Fail-closed fuzzing (seeded and bounded, so a failure reproduces): real-shaped items of the sample account, in
 * event form and API form, have one field dropped, nulled, given another JSON type or stringified. For every
 * item a rule judged NON_COMPLIANT, no mutation may turn it COMPLIANT; and nothing may throw out of a batch
 * (the engine, or the Lambda handler on a mutated Config event).
 */

const SEED = Number(process.env.WARD_FUZZ_SEED ?? 14);
/** The sample account: events are sent to a rule Lambda of the same account (no cross-account role). */
const ACCOUNT = '111122223333';
const RUNS = Number(process.env.WARD_FUZZ_RUNS ?? 1000);

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'sample-account');
const ITEMS: Record<string, unknown>[] = readdirSync(SAMPLE)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(SAMPLE, f), 'utf8')) as Record<string, unknown>[]);

const keys = createSnapshotKeyLookup();
for (const raw of ITEMS) {
  if (raw.resourceType === 'AWS::KMS::Key' || raw.resourceType === 'AWS::KMS::Alias') {
    keys.add(normalizeConfigurationItem(raw));
  }
}
const log = captureLogger();
const contexts = new Map<string, ReturnType<typeof createRuleContext>>();
const contextFor = (item: ConfigurationItem) => {
  const key = `${item.accountId}|${item.awsRegion}`;
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = createRuleContext({
      mode: 'snapshot',
      accountId: item.accountId,
      region: item.awsRegion,
      logger: log.logger,
      keys,
    });
    contexts.set(key, ctx);
  }
  return ctx;
};

/** The verdict of one raw item: the evaluations, or the normaliser's refusal (a bad item, never COMPLIANT). */
async function judge(rule: AnyRule, raw: Record<string, unknown>): Promise<Evaluation[] | 'bad-item'> {
  let item: ConfigurationItem;
  try {
    item = normalizeConfigurationItem(raw);
  } catch {
    return 'bad-item';
  }
  const params = parseRuleParameters(rule.meta.parameters, undefined, rule.meta.id);
  return evaluateItem(rule, item, params, contextFor(item));
}

const RULES: readonly AnyRule[] = [
  noWildcardActions,
  noPublicPrincipals,
  encryptedAtRest,
  kmsKeysNotShared,
] as AnyRule[];

describe.each(RULES.map((r) => [r.meta.id, r] as const))('fail closed under mutation: %s', (_id, rule) => {
  const inScope = ITEMS.filter((i) => rule.meta.resourceTypes.includes(i.resourceType as string));
  const forms = inScope.flatMap((i) => [i, toApiForm(i)]);

  it('has NON_COMPLIANT sample items to mutate', async () => {
    const verdicts = await Promise.all(forms.map((i) => judge(rule, i)));
    expect(verdicts.some((v) => v !== 'bad-item' && v[0].compliance === 'NON_COMPLIANT')).toBe(true);
  });

  it('never turns a NON_COMPLIANT item COMPLIANT, and never throws', async () => {
    const baseline = await Promise.all(forms.map((i) => judge(rule, i)));
    const failing = forms.filter((_, n) => {
      const v = baseline[n];
      return v !== 'bad-item' && v.some((e) => e.compliance === 'NON_COMPLIANT');
    });
    const cases = failing.map((item) => ({ item, paths: mutablePaths(item) }));
    const arbitrary = fc.integer({ min: 0, max: cases.length - 1 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        path: fc.constantFrom(...cases[n].paths),
        kind: fc.constantFrom(...KINDS),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ n, path, kind }) => {
        const { item } = cases[n];
        const m: Mutation = { path, kind };
        const out = await judge(rule, mutate(item, m));
        if (out === 'bad-item' || mayChangeVerdict(item.resourceType as string, m)) return;
        for (const e of out) {
          if (e.compliance === 'COMPLIANT') {
            throw new Error(
              `${item.resourceId}: ${kind} ${pathText(path)} turned NON_COMPLIANT into COMPLIANT: ${e.annotation}`,
            );
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('fail closed under mutation: the Config rule handler', () => {
  const ruleItems = ITEMS.filter((i) => encryptedAtRest.meta.resourceTypes.includes(i.resourceType as string));

  it('never throws on a mutated event and never reports a mutated NON_COMPLIANT item COMPLIANT', async () => {
    const config = new FakeClient({ PutEvaluations: () => ({ FailedEvaluations: [] }) });
    const handler = createConfigRuleHandler(encryptedAtRest as AnyRule, {
      logger: captureLogger().logger,
      configClient: () => config as never,
    });
    const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:ward-encrypted-at-rest' };
    const nonCompliant = new Set<string>();
    for (const item of ruleItems) {
      const sent = config.inputs('PutEvaluations').length;
      await handler(changeEvent(item, { accountId: ACCOUNT }), context);
      const e = config
        .inputs('PutEvaluations')
        .slice(sent)
        .flatMap((i) => i.Evaluations as { ComplianceType: string }[]);
      if (e.some((x) => x.ComplianceType === 'NON_COMPLIANT')) nonCompliant.add(item.resourceId as string);
    }
    expect(nonCompliant.size).toBeGreaterThan(0);
    const events = ruleItems.map((item) => ({ item, event: changeEvent(item, { accountId: ACCOUNT }) }));
    const arbitrary = fc.integer({ min: 0, max: events.length - 1 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        target: fc.constantFrom('event', 'item'),
        kind: fc.constantFrom(...KINDS),
        pick: fc.nat(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ n, target, kind, pick }) => {
        const { item, event } = events[n];
        let mutated: Record<string, unknown>;
        let m: Mutation;
        if (target === 'event') {
          const paths = mutablePaths(event, 1);
          m = { path: paths[pick % paths.length], kind };
          mutated = mutate(event, m);
        } else {
          const paths = mutablePaths(item);
          m = { path: paths[pick % paths.length], kind };
          mutated = changeEvent(mutate(item, m), { accountId: ACCOUNT });
        }
        const sent = config.inputs('PutEvaluations').length;
        await handler(mutated, context);
        if (target === 'event' || mayChangeVerdict(item.resourceType as string, m)) return;
        if (!nonCompliant.has(item.resourceId as string)) return;
        const out = config
          .inputs('PutEvaluations')
          .slice(sent)
          .flatMap((i) => i.Evaluations as { ComplianceType: string; Annotation: string }[]);
        for (const e of out) {
          if (e.ComplianceType === 'COMPLIANT') {
            throw new Error(`${String(item.resourceId)}: ${kind} ${pathText(m.path)} gave COMPLIANT: ${e.Annotation}`);
          }
        }
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
