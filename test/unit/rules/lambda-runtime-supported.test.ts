import { lambdaRuntimeSupported } from '../../../rules/lambda-runtime-supported/rule';
import { FINDING_CODES, newestOfFamily } from '../../../rules/lambda-runtime-supported/judge';
import { runtimeDates, runtimeTable, runtimeTableInfo } from '../../../rules/lambda-runtime-supported/table';
import {
  type Evaluation,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
  staleTableWarning,
} from '../../../rules/runtime';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import { captureLogger } from '../../fixtures/events/fakes';
import { ACCOUNT, REGION, apiForm, lambdaFunction } from '../../fixtures/serverless/items';

type Json = Record<string, unknown>;

/** Judges one raw item (either form) at the run's clock `now`, through the same path as the Lambda and scan. */
async function judgeAt(raw: Json, now: string, params: unknown = {}, mode: 'lambda' | 'snapshot' = 'snapshot') {
  const log = captureLogger();
  const { logger } = log;
  const ctx = createRuleContext({
    mode,
    accountId: ACCOUNT,
    region: REGION,
    logger,
    keys: createSnapshotKeyLookup(),
    invokedAt: new Date(now),
  });
  const parsed = parseRuleParameters(lambdaRuntimeSupported.meta.parameters, params, 'lambda-runtime-supported');
  const [e] = await evaluateItem(lambdaRuntimeSupported, normalizeConfigurationItem(raw), parsed, ctx);
  return {
    e: e as Evaluation,
    get lines() {
      return log.lines;
    },
  };
}

const codes = (e: Evaluation) => e.findings.map((f) => f.code);
const forms: [string, (j: Json) => Json][] = [
  ['event form', (j) => j],
  ['API form', (j) => apiForm(j)],
];

const day = (iso: string, delta: number) => new Date(Date.parse(`${iso}T12:00:00Z`) + delta * 86_400_000).toISOString();

describe.each(forms)('lambda-runtime-supported on the %s', (_form, shape) => {
  it('finds a supported runtime far from its deprecation COMPLIANT', async () => {
    const { e } = await judgeAt(shape(lambdaFunction('api', { runtime: 'nodejs22.x' })), '2026-06-01T00:00:00Z');
    expect(e.compliance).toBe('COMPLIANT');
    expect(e.annotation).toContain('2027-04-30');
  });

  it('flags a runtime past its deprecation date runtime-deprecated with high severity and the upgrade', async () => {
    const { e } = await judgeAt(shape(lambdaFunction('legacy', { runtime: 'python3.8' })), '2026-06-01T00:00:00Z');
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(codes(e)).toEqual(['runtime-deprecated']);
    expect(e.findings[0]?.severity).toBe('high');
    expect(e.findings[0]?.path).toBe('configuration.runtime');
    expect(e.findings[0]?.message).toMatch(/upgrade to python3\.1[34]/);
  });

  it('reports a container-image function NOT_APPLICABLE with the reason', async () => {
    const { e } = await judgeAt(
      shape(lambdaFunction('image', { packageType: 'Image', runtime: null, handler: null })),
      '2026-06-01T00:00:00Z',
    );
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toMatch(/Container-image function/);
  });

  it('flags a runtime missing from the table runtime-unknown, never COMPLIANT', async () => {
    const { e } = await judgeAt(shape(lambdaFunction('future', { runtime: 'nodejs99.x' })), '2026-06-01T00:00:00Z');
    expect(codes(e)).toEqual(['runtime-unknown']);
    expect(e.findings[0]?.severity).toBe(FINDING_CODES['runtime-unknown'].severity);
  });

  it('reports a deleted function NOT_APPLICABLE', async () => {
    const { e } = await judgeAt(shape(lambdaFunction('gone', null)), '2026-06-01T00:00:00Z');
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toMatch(/deleted/);
  });

  it.each([
    ['a number runtime', { runtime: 22 }, 'configuration.runtime'],
    ['a missing runtime on a .zip function', { runtime: undefined }, 'configuration.runtime'],
    ['a null runtime with no package type', { runtime: null, packageType: undefined }, 'configuration.runtime'],
    ['an object package type', { packageType: { value: 'Zip' } }, 'configuration.packageType'],
  ])('fails closed on %s: unreadable-configuration naming the field', async (_name, config, path) => {
    const { e } = await judgeAt(shape(lambdaFunction('odd', config)), '2026-06-01T00:00:00Z');
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(codes(e)).toEqual(['unreadable-configuration']);
    expect(e.findings[0]?.path).toBe(path);
  });
});

describe('the runtime table boundaries (the run clock, one day before, of and after each date)', () => {
  const fn = (runtime: string) => lambdaFunction('f', { runtime });
  it.each(runtimeTable().map((r) => [r.id, r] as const))(
    '%s: deprecated from its deprecation day on',
    async (id, r) => {
      expect((await judgeAt(fn(id), day(r.deprecation, -1), { warnDays: 0 })).e.compliance).toBe('COMPLIANT');
      const of = (await judgeAt(fn(id), day(r.deprecation, 0))).e;
      expect(codes(of)).toEqual(['runtime-deprecated']);
      expect(codes((await judgeAt(fn(id), day(r.deprecation, 1))).e)).toEqual(['runtime-deprecated']);
    },
  );

  it('says what the block-create and block-update days mean, the day before, of and after each', async () => {
    const r = runtimeDates('nodejs18.x');
    if (!r?.blockCreate || !r.blockUpdate) throw new Error('nodejs18.x has block dates in the table');
    const msg = async (at: string) => (await judgeAt(fn('nodejs18.x'), at)).e.findings[0]?.message;
    expect(await msg(day(r.blockCreate, -1))).toContain(`creating functions with it stops on ${r.blockCreate}`);
    expect(await msg(day(r.blockCreate, 0))).toContain(`can no longer be created with it since ${r.blockCreate}`);
    expect(await msg(day(r.blockCreate, 1))).toContain(`updates stop on ${r.blockUpdate}`);
    expect(await msg(day(r.blockUpdate, -1))).not.toContain('can no longer be updated');
    expect(await msg(day(r.blockUpdate, 0))).toContain(`can no longer be updated since ${r.blockUpdate}`);
    expect(await msg(day(r.blockUpdate, 1))).toContain(`can no longer be updated since ${r.blockUpdate}`);
  });

  const dated = runtimeTable().flatMap((r) =>
    r.blockCreate !== null && r.blockUpdate !== null
      ? [{ ...r, blockCreate: r.blockCreate, blockUpdate: r.blockUpdate }]
      : [],
  );
  /** What the finding says of the block dates at `today`, as the runtimes page defines them. */
  const blockPhrase = (r: (typeof dated)[number], today: string) => {
    if (today >= r.blockUpdate) return `can no longer be updated since ${r.blockUpdate}`;
    if (today >= r.blockCreate) return `can no longer be created with it since ${r.blockCreate}`;
    return `creating functions with it stops on ${r.blockCreate}`;
  };
  it.each(dated.map((r) => [r.id, r] as const))(
    '%s: the block-create and block-update days are said the day before, of and after each',
    async (id, r) => {
      for (const date of [r.blockCreate, r.blockUpdate]) {
        for (const offset of [-1, 0, 1]) {
          const today = day(date, offset).slice(0, 10);
          // A warning window of ten years: every runtime has a finding whose message carries the block clause.
          const { e } = await judgeAt(fn(id), day(date, offset), { warnDays: 3650 });
          expect([id, today, e.findings[0]?.message]).toEqual([
            id,
            today,
            expect.stringContaining(blockPhrase(r, today)),
          ]);
        }
      }
    },
  );

  it('compares UTC days: the last second before the deprecation day is not yet deprecated', async () => {
    const r = runtimeDates('nodejs20.x');
    if (!r) throw new Error('nodejs20.x is in the table');
    expect(codes((await judgeAt(fn('nodejs20.x'), `${r.deprecation}T00:00:00.000Z`)).e)).toEqual([
      'runtime-deprecated',
    ]);
    const before = new Date(Date.parse(`${r.deprecation}T00:00:00Z`) - 1000).toISOString();
    expect(codes((await judgeAt(fn('nodejs20.x'), before)).e)).toEqual(['runtime-deprecating']);
  });
});

describe('the warnDays parameter', () => {
  const r = runtimeDates('nodejs22.x');
  if (!r) throw new Error('nodejs22.x is in the table');
  const fn = lambdaFunction('f', { runtime: 'nodejs22.x' });

  it('flags runtime-deprecating with low severity within the default 90 days, the days left in the message', async () => {
    const { e } = await judgeAt(fn, day(r.deprecation, -90));
    expect(codes(e)).toEqual(['runtime-deprecating']);
    expect(e.findings[0]?.severity).toBe('low');
    expect(e.findings[0]?.message).toContain('in 90 days');
    expect((await judgeAt(fn, day(r.deprecation, -91))).e.compliance).toBe('COMPLIANT');
  });

  it('moves the warning window with warnDays given as a number or as Config string', async () => {
    expect(codes((await judgeAt(fn, day(r.deprecation, -200), { warnDays: 200 })).e)).toEqual(['runtime-deprecating']);
    expect((await judgeAt(fn, day(r.deprecation, -201), { warnDays: '200' })).e.compliance).toBe('COMPLIANT');
    expect((await judgeAt(fn, day(r.deprecation, -1), { warnDays: 0 })).e.compliance).toBe('COMPLIANT');
  });

  it('rejects a negative or non-numeric warnDays naming the parameter', () => {
    for (const bad of [{ warnDays: -1 }, { warnDays: 'soon' }, { warnDays: 1.5 }]) {
      expect(() =>
        parseRuleParameters(lambdaRuntimeSupported.meta.parameters, bad, 'lambda-runtime-supported'),
      ).toThrow(/warnDays/);
    }
  });

  it('honours exemptResourceIds and exemptTag with the reason', async () => {
    const legacy = lambdaFunction('legacy', { runtime: 'python3.8' });
    const byId = (await judgeAt(legacy, '2026-06-01T00:00:00Z', { exemptResourceIds: 'legacy' })).e;
    expect(byId.compliance).toBe('NOT_APPLICABLE');
    expect(byId.annotation).toMatch(/exemptResourceIds/);
    const tagged = { ...legacy, tags: { 'ward:exempt': 'migration ticket 42' } };
    const byTag = (await judgeAt(tagged, '2026-06-01T00:00:00Z', { exemptTag: 'ward:exempt' })).e;
    expect(byTag.compliance).toBe('NOT_APPLICABLE');
  });
});

describe('the verdicts on 2026-12-05, the day the table was verified against the Lambda runtimes page', () => {
  const today = '2026-12-05T12:00:00Z';
  it.each([
    ['nodejs24.x', 'COMPLIANT', []],
    ['nodejs22.x', 'COMPLIANT', []], // deprecated 2027-04-30: 146 days away, outside the default 90
    ['nodejs20.x', 'NON_COMPLIANT', ['runtime-deprecated']], // 2026-04-30; creation blocked 2027-02-01
    ['nodejs18.x', 'NON_COMPLIANT', ['runtime-deprecated']],
    ['python3.14', 'COMPLIANT', []],
    ['python3.11', 'COMPLIANT', []], // moved to 2027-06-30
    ['python3.10', 'NON_COMPLIANT', ['runtime-deprecated']], // 2026-10-31
    ['python3.9', 'NON_COMPLIANT', ['runtime-deprecated']],
    ['java25', 'COMPLIANT', []],
    ['java17', 'COMPLIANT', []], // moved to 2027-06-30
    ['java8.al2', 'COMPLIANT', []],
    ['dotnet10', 'COMPLIANT', []],
    ['dotnet8', 'NON_COMPLIANT', ['runtime-deprecated']], // 2026-11-10
    ['ruby4.0', 'COMPLIANT', []],
    ['ruby3.3', 'COMPLIANT', []], // 2027-03-31: 116 days away
    ['ruby3.2', 'NON_COMPLIANT', ['runtime-deprecated']],
    ['provided.al2023', 'COMPLIANT', []],
    ['provided.al2', 'NON_COMPLIANT', ['runtime-deprecated']], // 2026-07-31
    ['go1.x', 'NON_COMPLIANT', ['runtime-deprecated']],
  ])('judges %s %s', async (runtime, compliance, expected) => {
    const { e } = await judgeAt(lambdaFunction('f', { runtime }), today);
    expect([e.compliance, codes(e)]).toEqual([compliance, expected]);
  });

  it('warns of nodejs22.x and ruby3.3 with warnDays 180', async () => {
    for (const runtime of ['nodejs22.x', 'ruby3.3']) {
      const { e } = await judgeAt(lambdaFunction('f', { runtime }), today, { warnDays: 180 });
      expect(codes(e)).toEqual(['runtime-deprecating']);
    }
  });
});

describe('the runtime table as data', () => {
  it('has a source, the day it was taken, and every date as a UTC day in order', () => {
    expect(runtimeTableInfo.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/lambda\//);
    expect(runtimeTableInfo.takenAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const ids = new Set<string>();
    for (const r of runtimeTable()) {
      expect(ids.has(r.id)).toBe(false);
      ids.add(r.id);
      for (const d of [r.deprecation, r.blockCreate, r.blockUpdate])
        if (d !== null) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The page's order since its current policy (2021 on): deprecation, then block create, then block update.
      // Older rows keep the dates of the former two-phase policy, where creation could be blocked first.
      if (r.blockCreate && r.deprecation >= '2021-01-01')
        expect([r.id, r.blockCreate >= r.deprecation]).toEqual([r.id, true]);
      if (r.blockCreate && r.blockUpdate) expect([r.id, r.blockUpdate >= r.blockCreate]).toEqual([r.id, true]);
    }
  });

  it('names the newest supported runtime of a family at a given day', () => {
    expect(newestOfFamily('nodejs16.x', '2026-06-01')?.id).toBe('nodejs24.x');
    expect(newestOfFamily('go1.x', '2026-06-01')).toBeUndefined();
  });

  it('warns when the run is more than maxAgeDays past the day the table was taken, not before', () => {
    const taken = runtimeTableInfo.takenAt;
    const limit = runtimeTableInfo.maxAgeDays;
    expect(
      staleTableWarning('lambda-runtime-supported', runtimeTableInfo, new Date(day(taken, limit))),
    ).toBeUndefined();
    const warning = staleTableWarning('lambda-runtime-supported', runtimeTableInfo, new Date(day(taken, limit + 1)));
    expect(warning).toContain(`taken on ${taken}, ${limit + 1} days before this run`);
    expect(warning).toContain('rules/lambda-runtime-supported/runtimes.json');
  });

  it('logs the stale-table warning in the Lambda, judged at the invocation time', async () => {
    const late = day(runtimeTableInfo.takenAt, runtimeTableInfo.maxAgeDays + 30);
    const { lines } = await judgeAt(lambdaFunction('f'), late, {}, 'lambda');
    expect(lines.some((l) => l.level === 'warn' && String(l.msg).includes('Lambda runtime table was taken on'))).toBe(
      true,
    );
    const fresh = await judgeAt(lambdaFunction('f'), day(runtimeTableInfo.takenAt, 1), {}, 'lambda');
    expect(fresh.lines.some((l) => String(l.msg).includes('runtime table'))).toBe(false);
  });
});
