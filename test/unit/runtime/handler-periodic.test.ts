import { z } from 'zod';
import { defineRule } from '../../../rules/runtime/define-rule';
import { compliant, nonCompliant } from '../../../rules/runtime/evaluation';
import { createConfigRuleHandler, type HandlerConfigClient } from '../../../rules/runtime/handler';
import { exemptionParameters } from '../../../rules/runtime/parameters';
import { VANISHED_REASON } from '../../../rules/runtime/periodic-cleanup';
import type { RuleContext } from '../../../rules/runtime/context';
import type { AnyRule, Evaluation } from '../../../rules/runtime/types';
import { LAMBDA_CONTEXT, OWN_ACCOUNT, REGION, SCHEDULED_AT, scheduledEvent } from '../../fixtures/events/config-events';
import { awsError, captureLogger, FakeClient, type Responder, recordingSleep } from '../../fixtures/events/fakes';

/*
 * moto has no GetComplianceDetailsByConfigRule (HTTP 500, moto.md section 1), so the clean-up of vanished
 * resources is covered here with a fake Config client.
 */

const LOG_GROUP = 'AWS::Logs::LogGroup';
const group = (name: string) => `arn:aws:logs:${REGION}:${OWN_ACCOUNT}:log-group:${name}`;

/** What the periodic test rule's collect sees and returns. */
interface Probe {
  found: Evaluation[];
  fail?: Error;
  ctx?: RuleContext;
}

function periodicRule(probe: Probe, onChange = false): AnyRule {
  return defineRule({
    meta: {
      id: onChange ? 'test-change-and-periodic' : 'test-periodic',
      title: 'Log groups are encrypted',
      rationale: 'Test rule.',
      severity: 'low',
      resourceTypes: onChange ? ['AWS::S3::Bucket'] : [],
      periodicResourceTypes: [LOG_GROUP],
      trigger: { onChange, periodic: 'TwentyFour_Hours' },
      parameters: z.object({ ...exemptionParameters }),
      permissions: ['logs:DescribeLogGroups'],
      findingCodes: { unencrypted: { description: 'No KMS key.', severity: 'low' } },
    },
    evaluate: ({ item }) => [compliant(item, 'ok')],
    async collect(ctx) {
      probe.ctx = ctx;
      if (probe.fail) throw probe.fail;
      return probe.found;
    },
  }) as AnyRule;
}

/** Previous evaluations as GetComplianceDetailsByConfigRule pages. */
function previous(...pages: [string, string][][]): Responder {
  return (input) => {
    const i = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return {
      EvaluationResults: pages[i].map(([type, id]) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: { ConfigRuleName: 'ward-x', ResourceType: type, ResourceId: id },
        },
        ComplianceType: 'NON_COMPLIANT',
      })),
      NextToken: i + 1 < pages.length ? String(i + 1) : undefined,
    };
  };
}

function setup(rule: AnyRule, responders: Record<string, Responder> = {}) {
  const config = new FakeClient({ PutEvaluations: () => ({ FailedEvaluations: [] }), ...responders });
  const log = captureLogger();
  const handler = createConfigRuleHandler(rule, {
    logger: log.logger,
    configClient: () => config as unknown as HandlerConfigClient,
    reporter: { sleep: recordingSleep().sleep },
  });
  type Sent = {
    ComplianceResourceType: string;
    ComplianceResourceId: string;
    ComplianceType: string;
    Annotation: string;
    OrderingTimestamp: Date;
  };
  const sent = () => config.inputs('PutEvaluations').flatMap((i) => i.Evaluations as Sent[]);
  return { handler, config, log, sent };
}

const stillThere = compliant({ resourceType: LOG_GROUP, resourceId: group('app') }, 'Encrypted with a customer key.');
const broken = nonCompliant({ resourceType: LOG_GROUP, resourceId: group('audit') }, [
  { code: 'unencrypted', message: 'No KMS key.' },
]);

describe('createConfigRuleHandler: scheduled notifications', () => {
  it("reports collect's evaluations ordered at the notification time, with a lambda context of that time", async () => {
    const probe: Probe = { found: [stillThere, broken] };
    const { handler, sent } = setup(periodicRule(probe), { GetComplianceDetailsByConfigRule: previous([]) });
    await handler(scheduledEvent(), LAMBDA_CONTEXT);
    expect(sent().map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [group('app'), 'COMPLIANT'],
      [group('audit'), 'NON_COMPLIANT'],
    ]);
    expect(sent().every((e) => e.OrderingTimestamp.toISOString() === SCHEDULED_AT)).toBe(true);
    expect(probe.ctx).toEqual(
      expect.objectContaining({
        mode: 'lambda',
        accountId: OWN_ACCOUNT,
        offline: false,
        invokedAt: new Date(SCHEDULED_AT),
      }),
    );
  });

  it('reports NOT_APPLICABLE for resources judged last time that this run did not find, across every page', async () => {
    const probe: Probe = { found: [stillThere] };
    const { handler, config, sent } = setup(periodicRule(probe), {
      GetComplianceDetailsByConfigRule: previous(
        [
          [LOG_GROUP, group('app')],
          [LOG_GROUP, group('old-1')],
        ],
        [[LOG_GROUP, group('old-2')]],
      ),
    });
    await handler(scheduledEvent({ configRuleName: 'ward-test-periodic' }), LAMBDA_CONTEXT);
    expect(sent().map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [group('app'), 'COMPLIANT'],
      [group('old-1'), 'NOT_APPLICABLE'],
      [group('old-2'), 'NOT_APPLICABLE'],
    ]);
    expect(sent()[1].Annotation).toBe(VANISHED_REASON);
    expect(config.inputs('GetComplianceDetailsByConfigRule')).toEqual([
      {
        ConfigRuleName: 'ward-test-periodic',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken: undefined,
      },
      {
        ConfigRuleName: 'ward-test-periodic',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken: '1',
      },
    ]);
  });

  it('leaves the types a change-triggered rule owns alone, and clears a previous account-level error', async () => {
    const probe: Probe = { found: [stillThere] };
    const { handler, sent } = setup(periodicRule(probe, true), {
      GetComplianceDetailsByConfigRule: previous([
        ['AWS::S3::Bucket', 'logs-bucket'],
        [LOG_GROUP, group('old')],
        ['AWS::::Account', OWN_ACCOUNT],
      ]),
    });
    await handler(scheduledEvent(), LAMBDA_CONTEXT);
    expect(sent().map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [group('app'), 'COMPLIANT'],
      [group('old'), 'NOT_APPLICABLE'],
      [OWN_ACCOUNT, 'NOT_APPLICABLE'],
    ]);
  });

  it('reports a failing collect as an evaluation-error on the account and clears nothing', async () => {
    const probe: Probe = { found: [], fail: awsError('AccessDeniedException') };
    const { handler, config, sent } = setup(periodicRule(probe), {
      GetComplianceDetailsByConfigRule: previous([[LOG_GROUP, group('app')]]),
    });
    await handler(scheduledEvent(), LAMBDA_CONTEXT);
    expect(sent()).toEqual([
      expect.objectContaining({
        ComplianceResourceType: 'AWS::::Account',
        ComplianceResourceId: OWN_ACCOUNT,
        ComplianceType: 'NON_COMPLIANT',
      }),
    ]);
    // The previous evaluations are read while collect runs; a failed collect proves nothing, so app (judged
    // before, not found now) is not cleared: only the account-level error goes out.
    expect(config.inputs('GetComplianceDetailsByConfigRule')).toHaveLength(1);
  });

  it('reads the previous evaluations while collect runs, not after it', async () => {
    let collected = false;
    let readBeforeCollectEnded: boolean | undefined;
    const probe: Probe = { found: [broken] };
    const rule = periodicRule(probe);
    const collect = rule.collect?.bind(rule);
    const slowRule = {
      ...rule,
      async collect(...args: Parameters<NonNullable<typeof rule.collect>>) {
        await new Promise((r) => setTimeout(r, 20));
        const out = await (collect as NonNullable<typeof rule.collect>)(...args);
        collected = true;
        return out;
      },
    };
    const { handler, sent } = setup(slowRule, {
      GetComplianceDetailsByConfigRule: (input) => {
        readBeforeCollectEnded = !collected;
        return previous([[LOG_GROUP, group('app')]])(input);
      },
    });
    await handler(scheduledEvent(), LAMBDA_CONTEXT);
    expect(readBeforeCollectEnded).toBe(true);
    expect(sent().map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [group('audit'), 'NON_COMPLIANT'],
      [group('app'), 'NOT_APPLICABLE'],
    ]);
  });

  it('still reports the current evaluations when previous evaluations cannot be read', async () => {
    const probe: Probe = { found: [broken] };
    const { handler, sent, log } = setup(periodicRule(probe), {
      GetComplianceDetailsByConfigRule: () => {
        throw awsError('AccessDeniedException');
      },
    });
    await handler(scheduledEvent(), LAMBDA_CONTEXT);
    expect(sent().map((e) => e.ComplianceResourceId)).toEqual([group('audit')]);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'cannot read previous evaluations' }),
    );
  });

  it('reports invalid parameters as an evaluation-error on the account without running collect', async () => {
    const probe: Probe = { found: [stillThere] };
    const { handler, sent } = setup(periodicRule(probe));
    await handler(scheduledEvent({ ruleParameters: { exemptResourceIds: 7 } }), LAMBDA_CONTEXT);
    expect(sent().map((e) => [e.ComplianceResourceType, e.ComplianceType])).toEqual([
      ['AWS::::Account', 'NON_COMPLIANT'],
    ]);
    expect(probe.ctx).toBeUndefined();
  });

  it('sends nothing for a change-only rule that receives a scheduled notification', async () => {
    const { noWildcardActions } = await import('../../../rules/no-wildcard-actions/rule');
    expect(noWildcardActions.meta.trigger.periodic).toBeUndefined();
    const { handler, config } = setup(noWildcardActions as AnyRule);
    await handler(scheduledEvent(), LAMBDA_CONTEXT);
    expect(config.calls).toEqual([]);
  });
});
