import { z } from 'zod';
import { type LiveScanClients, type LiveScanOptions, scanLiveWith } from '../../../scan/inputs/live';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import type { RuleContext } from '../../../rules/runtime/context';
import { defineRule } from '../../../rules/runtime/define-rule';
import { compliant } from '../../../rules/runtime/evaluation';
import { exemptionParameters } from '../../../rules/runtime/parameters';
import type { AnyRule, Evaluation } from '../../../rules/runtime/types';
import { deepFreeze } from '../../fixtures/events/config-events';
import { awsError, captureLogger, FakeClient, type Responder } from '../../fixtures/events/fakes';

const ACCOUNT = '123456789012';
/** encrypted-at-rest narrowed to a change-only rule over S3 buckets and SNS topics, so the listing stays small. */
const rule: AnyRule = {
  ...(encryptedAtRest as AnyRule),
  collect: undefined,
  meta: {
    ...encryptedAtRest.meta,
    resourceTypes: ['AWS::S3::Bucket', 'AWS::SNS::Topic'],
    periodicResourceTypes: undefined,
    trigger: { onChange: true },
  },
};
const topicArn = (region: string, i: number) => `arn:aws:sns:${region}:${ACCOUNT}:t${i}`;

/** A BatchGetResourceConfig base item (API form) of an unencrypted topic. */
const topicItem = (resourceId: string) =>
  deepFreeze({
    version: '1.3',
    accountId: ACCOUNT,
    configurationItemCaptureTime: new Date('2026-11-20T10:00:00Z'),
    configurationItemStatus: 'OK',
    arn: resourceId,
    resourceType: 'AWS::SNS::Topic',
    resourceId,
    awsRegion: resourceId.split(':')[3],
    configuration: JSON.stringify({ TopicArn: resourceId }),
    supplementaryConfiguration: {},
  });

/** ListDiscoveredResources over `ids` in pages of `pageSize`, per type. */
function listing(idsByType: Record<string, string[]>, pageSize = 100): Responder {
  return (input) => {
    const ids = idsByType[input.resourceType as string] ?? [];
    const start = Number(input.nextToken ?? 0);
    const next = start + pageSize;
    return {
      resourceIdentifiers: ids
        .slice(start, next)
        .map((resourceId) => ({ resourceType: input.resourceType, resourceId })),
      nextToken: next < ids.length ? String(next) : undefined,
    };
  };
}

const batchGet: Responder = (input) => ({
  baseConfigurationItems: (input.resourceKeys as { resourceId: string }[]).map((k) => topicItem(k.resourceId)),
  unprocessedResourceKeys: [],
});

interface Run {
  evaluations: [string, Evaluation][];
  errors: string[];
  skipped: [string, string][];
  progress: [number, number | undefined][];
}

async function run(
  rules: AnyRule[],
  regions: string[],
  clients: (region: string) => { config: FakeClient; sts?: FakeClient },
  paramsFor: (r: AnyRule) => unknown = () => ({}),
): Promise<Run> {
  const out: Run = { evaluations: [], errors: [], skipped: [], progress: [] };
  const options: LiveScanOptions = {
    rules,
    regions,
    paramsFor,
    logger: captureLogger().logger,
    onEvaluation: (r, e) => out.evaluations.push([r.meta.id, e]),
    onError: (m) => out.errors.push(m),
    onSkipped: (r, reason) => out.skipped.push([r.meta.id, reason]),
    onProgress: (done, total) => out.progress.push([done, total]),
  };
  await scanLiveWith(options, (region) => {
    const c = clients(region);
    const sts = c.sts ?? new FakeClient({ GetCallerIdentity: () => ({ Account: ACCOUNT }) });
    return { config: c.config, sts } as unknown as LiveScanClients;
  });
  return out;
}

function periodicRule(id: string, seen: RuleContext[], global = false): AnyRule {
  return defineRule({
    meta: {
      id,
      title: 'Test',
      rationale: 'Test rule.',
      severity: 'low',
      resourceTypes: [],
      trigger: { onChange: false, periodic: 'TwentyFour_Hours' },
      parameters: z.object({ ...exemptionParameters }),
      permissions: [],
      findingCodes: {},
      global,
    },
    evaluate: () => [],
    async collect(ctx) {
      seen.push(ctx);
      return [compliant({ resourceType: 'AWS::Logs::LogGroup', resourceId: `${ctx.region}-lg` }, 'ok')];
    },
  }) as AnyRule;
}

describe('scanLive', () => {
  it('lists every page, fetches items in batches of 100 with at most 4 in flight, and judges each item', async () => {
    const ids = Array.from({ length: 950 }, (_, i) => topicArn('us-east-2', i));
    let inFlight = 0;
    let maxInFlight = 0;
    const config = new FakeClient({
      ListDiscoveredResources: listing({ 'AWS::SNS::Topic': ids }, 300),
      BatchGetResourceConfig: async (input) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return batchGet(input);
      },
    });
    const out = await run([rule], ['us-east-2'], () => ({ config }));
    expect(out.errors).toEqual([]);
    expect(config.inputs('ListDiscoveredResources').map((i) => [i.resourceType, i.nextToken])).toEqual([
      ['AWS::S3::Bucket', undefined],
      ['AWS::SNS::Topic', undefined],
      ['AWS::SNS::Topic', '300'],
      ['AWS::SNS::Topic', '600'],
      ['AWS::SNS::Topic', '900'],
    ]);
    expect(config.inputs('BatchGetResourceConfig').map((i) => (i.resourceKeys as unknown[]).length)).toEqual([
      100, 100, 100, 100, 100, 100, 100, 100, 100, 50,
    ]);
    expect(maxInFlight).toBe(4);
    expect(out.evaluations).toHaveLength(950);
    expect(new Set(out.evaluations.map(([, e]) => e.resourceId)).size).toBe(950);
    expect(out.evaluations.every(([id, e]) => id === 'encrypted-at-rest' && e.compliance === 'NON_COMPLIANT')).toBe(
      true,
    );
  });

  it('retries unprocessedResourceKeys', async () => {
    const ids = [topicArn('us-east-2', 1), topicArn('us-east-2', 2)];
    let call = 0;
    const config = new FakeClient({
      ListDiscoveredResources: listing({ 'AWS::SNS::Topic': ids }),
      BatchGetResourceConfig: (input) => {
        const keys = input.resourceKeys as { resourceType: string; resourceId: string }[];
        if (++call > 1) return batchGet(input);
        return { baseConfigurationItems: [topicItem(keys[0].resourceId)], unprocessedResourceKeys: keys.slice(1) };
      },
    });
    const out = await run([rule], ['us-east-2'], () => ({ config }));
    expect(
      config
        .inputs('BatchGetResourceConfig')
        .map((i) => (i.resourceKeys as { resourceId: string }[]).map((k) => k.resourceId)),
    ).toEqual([ids, [ids[1]]]);
    expect(out.evaluations.map(([, e]) => e.resourceId).sort()).toEqual(ids);
  });

  it('reports a failing batch with its region and type, and goes on with the other batches and types', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => topicArn('eu-west-1', i));
    const config = new FakeClient({
      ListDiscoveredResources: (input) => {
        if (input.resourceType === 'AWS::S3::Bucket') throw awsError('ValidationException', 400, 'not recorded here');
        return listing({ 'AWS::SNS::Topic': ids })(input);
      },
      BatchGetResourceConfig: (input) => {
        const keys = input.resourceKeys as unknown[];
        if (keys.length === 50) throw new TypeError('Expected real number, got implicit NaN');
        return batchGet(input);
      },
    });
    const out = await run([rule], ['eu-west-1'], () => ({ config }));
    expect(out.errors).toEqual([
      'eu-west-1 AWS::S3::Bucket: cannot list resources (ListDiscoveredResources): ValidationException: not recorded here',
      'eu-west-1 AWS::SNS::Topic: BatchGetResourceConfig failed for 50 resources: TypeError: Expected real number, got implicit NaN',
    ]);
    expect(out.evaluations).toHaveLength(100);
  });

  it('reports a region whose account cannot be identified and scans the next region', async () => {
    const config = new FakeClient({
      ListDiscoveredResources: listing({ 'AWS::SNS::Topic': [topicArn('us-west-2', 1)] }),
      BatchGetResourceConfig: batchGet,
    });
    const out = await run([rule], ['us-east-1', 'us-west-2'], (region) => ({
      config,
      sts:
        region === 'us-east-1'
          ? new FakeClient({
              GetCallerIdentity: () => {
                throw awsError('ExpiredToken', 403, 'The security token has expired');
              },
            })
          : undefined,
    }));
    expect(out.errors).toEqual([
      'us-east-1: cannot identify the account (sts:GetCallerIdentity): ExpiredToken: The security token has expired',
    ]);
    expect(out.evaluations.map(([, e]) => e.resourceId)).toEqual([topicArn('us-west-2', 1)]);
    expect(out.progress.at(-1)).toEqual([4, 4]);
  });

  it('skips a rule whose parameters are invalid and says why', async () => {
    const config = new FakeClient({ ListDiscoveredResources: listing({}), BatchGetResourceConfig: batchGet });
    const out = await run(
      [rule],
      ['us-east-2'],
      () => ({ config }),
      () => ({ exemptResourceIds: 5 }),
    );
    expect(out.skipped).toEqual([['encrypted-at-rest', expect.stringContaining('exemptResourceIds')]]);
    expect(config.calls).toEqual([]);
  });

  it('applies the parameters: an exempt resource is NOT_APPLICABLE', async () => {
    const id = topicArn('us-east-2', 7);
    const config = new FakeClient({
      ListDiscoveredResources: listing({ 'AWS::SNS::Topic': [id] }),
      BatchGetResourceConfig: batchGet,
    });
    const out = await run(
      [rule],
      ['us-east-2'],
      () => ({ config }),
      () => ({ exemptResourceIds: [id] }),
    );
    expect(out.evaluations.map(([, e]) => e.compliance)).toEqual(['NOT_APPLICABLE']);
  });

  it('fetches a type once per region when several rules judge it', async () => {
    const config = new FakeClient({
      ListDiscoveredResources: listing({ 'AWS::SNS::Topic': [topicArn('us-east-2', 1)] }),
      BatchGetResourceConfig: batchGet,
    });
    const twin = { ...rule, meta: { ...rule.meta, id: 'encrypted-at-rest-twin' } } as AnyRule;
    const out = await run([rule, twin], ['us-east-2'], () => ({ config }));
    expect(config.inputs('ListDiscoveredResources')).toHaveLength(2);
    expect(out.evaluations.map(([id]) => id)).toEqual(['encrypted-at-rest', 'encrypted-at-rest-twin']);
  });

  it("runs periodic rules' collect in every region, and global ones in the first region only", async () => {
    const seen: RuleContext[] = [];
    const config = new FakeClient();
    const out = await run(
      [periodicRule('test-regional', seen), periodicRule('test-global', seen, true)],
      ['us-east-1', 'eu-west-1'],
      () => ({ config }),
    );
    expect(out.evaluations.map(([id, e]) => `${id}:${e.resourceId}`)).toEqual([
      'test-regional:us-east-1-lg',
      'test-global:us-east-1-lg',
      'test-regional:eu-west-1-lg',
    ]);
    expect(seen.map((c) => [c.mode, c.accountId, c.region, c.offline])).toEqual([
      ['live', ACCOUNT, 'us-east-1', false],
      ['live', ACCOUNT, 'us-east-1', false],
      ['live', ACCOUNT, 'eu-west-1', false],
    ]);
    expect(out.progress.map(([d]) => d)).toEqual([1, 2, 3, 4]);
    expect(out.progress.every(([, t]) => t === 4)).toBe(true);
  });

  it('reports a resource once per rule when both its change and periodic paths judge it', async () => {
    const t1 = topicArn('us-east-2', 1);
    const t2 = topicArn('us-east-2', 2);
    const config = new FakeClient({
      ListDiscoveredResources: listing({ 'AWS::SNS::Topic': [t1] }),
      BatchGetResourceConfig: batchGet,
    });
    // Both triggers, and a collect that lists the recorded topic again plus one Config has not recorded.
    const both: AnyRule = {
      ...rule,
      meta: { ...rule.meta, trigger: { onChange: true, periodic: 'TwentyFour_Hours' } },
      collect: async () => [
        compliant({ resourceType: 'AWS::SNS::Topic', resourceId: t1 }, 'from collect'),
        compliant({ resourceType: 'AWS::SNS::Topic', resourceId: t2 }, 'from collect'),
      ],
    };
    const out = await run([both], ['us-east-2'], () => ({ config }));
    expect(out.evaluations.map(([, e]) => [e.resourceId, e.compliance])).toEqual([
      [t1, 'NON_COMPLIANT'],
      [t2, 'COMPLIANT'],
    ]);
  });
});
