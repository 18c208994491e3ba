import { FINDING_CODES } from '../../../rules/entry-points-logged/judge';
import { entryPointsLogged } from '../../../rules/entry-points-logged/rule';
import { type Evaluation, evaluateItem, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { createSnapshotKeyLookup } from '../../../rules/runtime/key-lookup';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import { captureLogger } from '../../fixtures/events/fakes';
import { ACCOUNT, REGION, apiForm, restStage, v2Stage } from '../../fixtures/serverless/items';

type Json = Record<string, unknown>;

async function judge(raw: Json, params: unknown = {}): Promise<Evaluation> {
  const ctx = createRuleContext({
    mode: 'snapshot',
    accountId: ACCOUNT,
    region: REGION,
    logger: captureLogger().logger,
    keys: createSnapshotKeyLookup(),
  });
  const parsed = parseRuleParameters(entryPointsLogged.meta.parameters, params, 'entry-points-logged');
  const [e] = await evaluateItem(entryPointsLogged, normalizeConfigurationItem(raw), parsed, ctx);
  return e;
}

const codes = (e: Evaluation) => e.findings.map((f) => f.code);
const forms: [string, (j: Json) => Json][] = [
  ['event form', (j) => j],
  ['API form', (j) => apiForm(j)],
];

describe.each(forms)('entry-points-logged on the %s', (_form, shape) => {
  describe('a REST API stage (AWS::ApiGateway::Stage)', () => {
    it('finds a stage with access logs and */* execution logging COMPLIANT', async () => {
      const e = await judge(shape(restStage('a1b2c3', 'prod')));
      expect(e.compliance).toBe('COMPLIANT');
      expect(e.annotation).toBe('Stage prod writes access and execution logs.');
    });

    it('flags a stage without accessLogSettings access-log-missing (medium)', async () => {
      const e = await judge(shape(restStage('a1b2c3', 'prod', { accessLogSettings: undefined })));
      expect(codes(e)).toEqual(['access-log-missing']);
      expect(e.findings[0]?.severity).toBe('medium');
      expect(e.findings[0]?.path).toBe('configuration.accessLogSettings');
    });

    it('flags access-log settings with a format but no destination access-log-missing', async () => {
      const e = await judge(
        shape(restStage('a1b2c3', 'prod', { accessLogSettings: { format: '$context.requestId' } })),
      );
      expect(codes(e)).toEqual(['access-log-missing']);
      expect(e.findings[0]?.path).toBe('configuration.accessLogSettings.destinationArn');
    });

    it('flags execution logging OFF for */* execution-log-off (low)', async () => {
      const e = await judge(shape(restStage('a1b2c3', 'prod', { methodSettings: { '*/*': { loggingLevel: 'OFF' } } })));
      expect(codes(e)).toEqual(['execution-log-off']);
      expect(e.findings[0]?.severity).toBe(FINDING_CODES['execution-log-off'].severity);
      expect(e.findings[0]?.severity).toBe('low');
    });

    it('flags a stage with no method settings execution-log-off, both findings most severe first', async () => {
      const e = await judge(
        shape(restStage('a1b2c3', 'dev', { methodSettings: undefined, accessLogSettings: undefined })),
      );
      expect(codes(e)).toEqual(['access-log-missing', 'execution-log-off']);
    });

    it('flags one method that turns logging off under a logging */*', async () => {
      const e = await judge(
        shape(
          restStage('a1b2c3', 'prod', {
            methodSettings: { '*/*': { loggingLevel: 'INFO' }, '~1orders/GET': { loggingLevel: 'OFF' } },
          }),
        ),
      );
      expect(codes(e)).toEqual(['execution-log-off']);
      expect(e.findings[0]?.message).toContain('~1orders/GET');
    });

    it('accepts per-method logging only when */* logs too', async () => {
      const e = await judge(
        shape(restStage('a1b2c3', 'prod', { methodSettings: { '~1orders/GET': { loggingLevel: 'ERROR' } } })),
      );
      expect(codes(e)).toEqual(['execution-log-off']);
      expect(e.findings[0]?.message).toContain('not set');
    });

    it.each([
      ['accessLogSettings as a string', { accessLogSettings: 'arn:aws:logs:x' }, 'configuration.accessLogSettings'],
      [
        'destinationArn as a number',
        { accessLogSettings: { destinationArn: 42 } },
        'configuration.accessLogSettings.destinationArn',
      ],
      ['methodSettings as a list', { methodSettings: [{ loggingLevel: 'INFO' }] }, 'configuration.methodSettings'],
      [
        'a loggingLevel that is a boolean',
        { methodSettings: { '*/*': { loggingLevel: true } } },
        'configuration.methodSettings["*/*"].loggingLevel',
      ],
    ])('fails closed on %s: unreadable-configuration naming the field', async (_n, config, path) => {
      const e = await judge(shape(restStage('a1b2c3', 'prod', config)));
      expect(e.compliance).toBe('NON_COMPLIANT');
      expect(codes(e)).toContain('unreadable-configuration');
      expect(e.findings.find((f) => f.code === 'unreadable-configuration')?.path).toBe(path);
    });

    it('reports a deleted stage NOT_APPLICABLE', async () => {
      expect((await judge(shape(restStage('a1b2c3', 'old', null)))).compliance).toBe('NOT_APPLICABLE');
    });
  });

  describe('an HTTP or WebSocket API stage (AWS::ApiGatewayV2::Stage)', () => {
    it('finds a $default stage with access logs COMPLIANT (execution logs are not judged on v2)', async () => {
      const e = await judge(shape(v2Stage('h7t8p9', '$default')));
      expect(e.compliance).toBe('COMPLIANT');
      expect(e.annotation).toBe('Stage $default writes access logs.');
    });

    it('flags a stage without access logs access-log-missing', async () => {
      const e = await judge(shape(v2Stage('h7t8p9', '$default', { accessLogSettings: undefined })));
      expect(codes(e)).toEqual(['access-log-missing']);
    });

    it('fails closed on access-log settings of the wrong type', async () => {
      const e = await judge(shape(v2Stage('h7t8p9', 'live', { accessLogSettings: ['x'] })));
      expect(codes(e)).toEqual(['unreadable-configuration']);
    });

    it('reports a deleted stage NOT_APPLICABLE', async () => {
      expect((await judge(shape(v2Stage('h7t8p9', 'gone', null)))).compliance).toBe('NOT_APPLICABLE');
    });
  });
});

describe('entry-points-logged parameters', () => {
  it('requireExecutionLogging false judges REST stages on access logs only (also from the Config string)', async () => {
    const off = restStage('a1b2c3', 'prod', { methodSettings: { '*/*': { loggingLevel: 'OFF' } } });
    for (const v of [false, 'false']) {
      const e = await judge(off, { requireExecutionLogging: v });
      expect(e.compliance).toBe('COMPLIANT');
      expect(e.annotation).toBe('Stage prod writes access logs.');
    }
  });

  it('exemptResourceIds takes the stage ARN and reports NOT_APPLICABLE with the reason', async () => {
    const stage = restStage('a1b2c3', 'sandbox', { accessLogSettings: undefined });
    const e = await judge(stage, {
      exemptResourceIds: [`arn:aws:apigateway:${REGION}::/restapis/a1b2c3/stages/sandbox`],
    });
    expect(e.compliance).toBe('NOT_APPLICABLE');
    expect(e.annotation).toMatch(/exemptResourceIds/);
  });

  it('exemptTag reports a tagged stage NOT_APPLICABLE', async () => {
    const stage = { ...restStage('a1b2c3', 'sandbox', { accessLogSettings: undefined }), tags: { env: 'sandbox' } };
    expect((await judge(stage, { exemptTag: 'env=sandbox' })).compliance).toBe('NOT_APPLICABLE');
    expect((await judge(stage, { exemptTag: 'env=prod' })).compliance).toBe('NON_COMPLIANT');
  });
});
