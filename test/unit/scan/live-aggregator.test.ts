import { scanAggregator, type AggregatorClient } from '../../../scan/inputs/live-aggregator';
import {
  selectTagsExpressions,
  tagsFromSelectResults,
  MAX_EXPRESSION,
} from '../../../scan/inputs/live-aggregator-tags';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import type { AnyRule, Evaluation } from '../../../rules/runtime/types';
import type { EvaluationSource } from '../../../scan/inputs/live-scope';
import { identityOf } from '../../../scan/findings/identity';
import { captureLogger, FakeClient } from '../../fixtures/events/fakes';

/*
 * SelectAggregateResourceConfig is not implemented in moto: its path is covered here on the recorded shape of
 * the real API (Results: one JSON string per resource, tags as [{key, value, tag}]).
 */
const rule: AnyRule = {
  ...(encryptedAtRest as AnyRule),
  collect: undefined,
  meta: { ...encryptedAtRest.meta, resourceTypes: ['AWS::SNS::Topic'], trigger: { onChange: true } },
};
const A = '111111111111';
const B = '222222222222';
const arn = (account: string, region: string, i: number) => `arn:aws:sns:${region}:${account}:t${i}`;
const base = (account: string, region: string, id: string) => ({
  version: '1.3',
  accountId: account,
  configurationItemCaptureTime: new Date('2026-12-01T00:00:00Z'),
  configurationItemStatus: 'OK',
  arn: id,
  resourceType: 'AWS::SNS::Topic',
  resourceId: id,
  awsRegion: region,
  configuration: JSON.stringify({ TopicArn: id }),
  supplementaryConfiguration: {},
});
const recordedSelect = (account: string, region: string, id: string, tags: [string, string][]) =>
  JSON.stringify({
    resourceId: id,
    accountId: account,
    awsRegion: region,
    tags: tags.map(([key, value]) => ({ key, value, tag: `${key}=${value}` })),
    relationships: [],
  });

const ids = [
  ...Array.from({ length: 120 }, (_, i) => ({
    SourceAccountId: A,
    SourceRegion: 'eu-west-1',
    ResourceId: arn(A, 'eu-west-1', i),
  })),
  { SourceAccountId: B, SourceRegion: 'us-east-1', ResourceId: arn(B, 'us-east-1', 0) },
];

function fake(select?: (expression: string) => string[]) {
  return new FakeClient({
    ListAggregateDiscoveredResources: (i) => {
      const start = Number(i.NextToken ?? 0);
      return {
        ResourceIdentifiers: ids.slice(start, start + 100).map((x) => ({ ...x, ResourceType: 'AWS::SNS::Topic' })),
        NextToken: start + 100 < ids.length ? String(start + 100) : undefined,
      };
    },
    BatchGetAggregateResourceConfig: (i) => ({
      BaseConfigurationItems: (
        i.ResourceIdentifiers as { SourceAccountId: string; SourceRegion: string; ResourceId: string }[]
      ).map((x) => base(x.SourceAccountId, x.SourceRegion, x.ResourceId)),
      UnprocessedResourceIdentifiers: [],
    }),
    ...(select ? { SelectAggregateResourceConfig: (i) => ({ Results: select(i.Expression as string) }) } : {}),
  });
}

async function run(client: FakeClient, params: unknown = {}, accounts: string[] = []) {
  const out = { evaluations: [] as [Evaluation, EvaluationSource][], errors: [] as string[], notes: [] as string[] };
  await scanAggregator(
    {
      rules: [rule],
      paramsFor: () => params,
      logger: captureLogger().logger,
      homeRegion: 'eu-west-1',
      concurrency: 4,
      aggregator: 'org',
      accounts: new Set(accounts),
      regions: new Set(),
      onEvaluation: (_r, e, s) => out.evaluations.push([e, s]),
      onError: (m) => out.errors.push(m),
      onNote: (m) => out.notes.push(m),
      onSkipped: () => undefined,
    },
    client as unknown as AggregatorClient,
  );
  return out;
}

describe('scanAggregator', () => {
  it('lists every page, fetches 100 identifiers per BatchGetAggregateResourceConfig, and labels each evaluation with its source', async () => {
    const client = fake();
    const out = await run(client);
    expect(out.errors).toEqual([]);
    expect(
      client.inputs('BatchGetAggregateResourceConfig').map((i) => (i.ResourceIdentifiers as unknown[]).length),
    ).toEqual([100, 21]);
    expect(out.evaluations).toHaveLength(121);
    const [e, source] = out.evaluations.find(([x]) => x.resourceId === arn(B, 'us-east-1', 0)) ?? [];
    expect(source).toMatchObject({ accountId: B, region: 'us-east-1', item: { accountId: B, awsRegion: 'us-east-1' } });
    // The finding identity (what every output shows) names the source account, region and ARN.
    expect(identityOf(e as Evaluation, source as EvaluationSource)).toEqual({
      accountId: B,
      region: 'us-east-1',
      arn: arn(B, 'us-east-1', 0),
    });
    // No rule needs tags: no query for them.
    expect(client.inputs('SelectAggregateResourceConfig')).toEqual([]);
  });

  it('sends --accounts as a Config filter', async () => {
    const client = fake();
    await run(client, {}, [B]);
    expect(client.inputs('ListAggregateDiscoveredResources')[0].Filters).toEqual({ AccountId: B });
  });

  it('reads tags with SelectAggregateResourceConfig when a rule exempts by tag: a tagged resource is exempt', async () => {
    const client = fake((expression) =>
      ids
        .filter((x) => expression.includes(`'${x.ResourceId}'`))
        .map((x) =>
          recordedSelect(
            x.SourceAccountId,
            x.SourceRegion,
            x.ResourceId,
            x.ResourceId.endsWith(':t7') ? [['ward:exempt', 'yes']] : [],
          ),
        ),
    );
    const out = await run(client, { exemptTag: 'ward:exempt' });
    const byId = new Map(out.evaluations.map(([e]) => [e.resourceId, e]));
    expect(byId.get(arn(A, 'eu-west-1', 7))?.compliance).toBe('NOT_APPLICABLE');
    expect(byId.get(arn(A, 'eu-west-1', 8))?.compliance).toBe('NON_COMPLIANT');
    expect(byId.get(arn(A, 'eu-west-1', 8))?.annotation).not.toContain('not checked');
    for (const i of client.inputs('SelectAggregateResourceConfig')) {
      expect((i.Expression as string).length).toBeLessThanOrEqual(MAX_EXPRESSION);
    }
  });

  it('never takes unread tags as no tags: when the query fails, NON_COMPLIANT stays and says the tag was not checked', async () => {
    const out = await run(fake(), { exemptTag: 'ward:exempt' });
    expect(out.evaluations.every(([e]) => e.compliance === 'NON_COMPLIANT')).toBe(true);
    expect(out.evaluations[0][0].annotation).toContain('The exemptTag ward:exempt was not checked');
    expect(out.notes.filter((n) => n.startsWith('SelectAggregateResourceConfig failed'))).toHaveLength(1);
  });

  it('judges a global (IAM) resource listed in several regions once', async () => {
    const iamRule: AnyRule = { ...rule, meta: { ...rule.meta, id: 'iam-test', resourceTypes: ['AWS::IAM::Role'] } };
    const client = new FakeClient({
      ListAggregateDiscoveredResources: () => ({
        ResourceIdentifiers: ['us-east-1', 'eu-west-1'].map((SourceRegion) => ({
          SourceAccountId: A,
          SourceRegion,
          ResourceId: 'AROAEXAMPLE',
          ResourceType: 'AWS::IAM::Role',
        })),
      }),
      BatchGetAggregateResourceConfig: () => ({ BaseConfigurationItems: [], UnprocessedResourceIdentifiers: [] }),
    });
    await scanAggregator(
      {
        rules: [iamRule],
        paramsFor: () => ({}),
        logger: captureLogger().logger,
        homeRegion: 'eu-west-1',
        concurrency: 2,
        aggregator: 'org',
        accounts: new Set(),
        regions: new Set(),
        onEvaluation: () => undefined,
        onError: () => undefined,
        onNote: () => undefined,
        onSkipped: () => undefined,
      },
      client as unknown as AggregatorClient,
    );
    expect(
      client.inputs('BatchGetAggregateResourceConfig').map((i) => (i.ResourceIdentifiers as unknown[]).length),
    ).toEqual([1]);
  });
});

describe('the tags query', () => {
  it('cuts IN lists to stay under 4,096 characters and leaves out ids it cannot quote', () => {
    const many = Array.from({ length: 100 }, (_, i) => `arn:aws:sns:eu-west-1:${A}:a-rather-long-topic-name-${i}`);
    const out = selectTagsExpressions('AWS::SNS::Topic', [...many, "bad'id"]);
    expect(out.length).toBeGreaterThan(1);
    expect(out.every((e) => e.length <= MAX_EXPRESSION)).toBe(true);
    expect(out.join(' ')).not.toContain("bad'id");
    expect(many.every((id) => out.some((e) => e.includes(`'${id}'`)))).toBe(true);
  });

  it('parses the recorded result shape and refuses other tag shapes', () => {
    const parsed = tagsFromSelectResults([
      recordedSelect(A, 'eu-west-1', 'r1', [['env', 'prod']]),
      JSON.stringify({ resourceId: 'r2', accountId: A, awsRegion: 'eu-west-1', tags: { env: 'prod' } }),
      'not json',
    ]);
    expect([...parsed.keys()]).toEqual([`${A}\u0000eu-west-1\u0000r1`]);
    expect(parsed.get(`${A}\u0000eu-west-1\u0000r1`)?.tags).toEqual({ env: 'prod' });
  });
});
