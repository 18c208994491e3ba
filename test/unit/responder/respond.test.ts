import { createResponderHandler, depsFromEnv } from '../../../responder/handler';
import type { AuditStep } from '../../../responder/audit-steps';
import type { AuditStore } from '../../../responder/audit-store';
import type { StateStore } from '../../../responder/state-store';
import { parseComplianceChangeEvent } from '../../../responder/event';
import { respondToEvent, runbookIdFor } from '../../../responder/respond';
import { parseResponderSettings } from '../../../responder/settings';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { createLogger } from '../../../rules/runtime/logger';
import type { AnyRule } from '../../../rules/runtime/types';
import { complianceChange } from './fixtures';

const rule = encryptedAtRest as AnyRule;

describe('choosing the runbook of a ward rule', () => {
  it('takes meta.remediations first', () => {
    const declared = { ...rule, meta: { ...rule.meta, remediations: { 'AWS::S3::Bucket': 's3-block-public-access' } } };
    expect(runbookIdFor(declared as AnyRule, 'AWS::S3::Bucket')).toBe('s3-block-public-access');
  });

  it.each([
    ['AWS::S3::Bucket', 's3-enable-default-encryption'],
    ['AWS::SNS::Topic', 'sns-enable-encryption'],
    ['AWS::EC2::Volume', undefined],
  ])('else the one automated runbook fixing %s and the rule finding codes: %s', (type, id) => {
    const undeclared = { ...rule, meta: { ...rule.meta, remediations: undefined } } as AnyRule;
    expect(runbookIdFor(undeclared, type)).toBe(id);
  });
});

describe('the Lambda handler', () => {
  const logger = createLogger();
  logger.level = 'silent';
  const handler = createResponderHandler({
    settings: parseResponderSettings({}),
    logger,
    contexts: () => {
      throw new Error('unused');
    },
  });

  it('throws (to the on-failure destination) on an event that is not from SNS', async () => {
    await expect(handler({ detail: {} })).rejects.toThrow('not an SNS event');
  });

  it('refuses to start without its audit table, state table and alerts topic', () => {
    expect(() => depsFromEnv({})).toThrow('WARD_AUDIT_TABLE is not set');
    expect(() => depsFromEnv({ WARD_AUDIT_TABLE: 't' })).toThrow('WARD_STATE_TABLE is not set');
    expect(() => depsFromEnv({ WARD_AUDIT_TABLE: 't', WARD_STATE_TABLE: 's' })).toThrow(
      'WARD_ALERTS_TOPIC_ARN is not set',
    );
  });
});

describe('respondToEvent reads the kill switch and the flap state at once', () => {
  /** An audit log and a state store in memory whose state reads take a while and say when they started. */
  function slowStore(killSwitch: () => Promise<boolean>) {
    const started: string[] = [];
    const saved: AuditStep[] = [];
    const later = <T>(name: string, value: () => Promise<T>) => {
      started.push(name);
      return new Promise<void>((r) => setTimeout(r, 10)).then(value);
    };
    const state = {
      getFlap: () => later('getFlap', async () => undefined),
      putFlap: async () => undefined,
      killSwitchOn: () => later('killSwitchOn', killSwitch),
    };
    const store = {
      append: async (step: AuditStep) => {
        saved.push(step);
        return true;
      },
    };
    return { store: store as unknown as AuditStore, state: state as unknown as StateStore, started, saved };
  }

  const event = () =>
    parseComplianceChangeEvent(
      complianceChange({ resourceType: 'AWS::S3::Bucket', resourceId: 'b', newCompliance: 'NON_COMPLIANT' }),
    );
  const deps = ({ store, state }: { store: AuditStore; state: StateStore }) => {
    const logger = createLogger();
    logger.level = 'silent';
    return {
      settings: parseResponderSettings({}),
      store,
      state,
      logger,
      publish: async () => 'message-1',
      contexts: () => {
        throw new Error('unused in notify mode');
      },
    };
  };

  it('starts both reads before either answers, and notifies', async () => {
    const world = slowStore(async () => false);
    const result = await respondToEvent(event(), deps(world));
    expect(world.started).toEqual(['killSwitchOn', 'getFlap']);
    expect(result.decision?.action).toBe('notify');
    expect(world.saved.map((s) => s.step)).toEqual(['received', 'decided', 'alerted', 'completed']);
  });

  it('fails the event (only its receipt recorded, so the retry decides afresh) when the kill switch cannot be read', async () => {
    const world = slowStore(async () => {
      throw new Error('AccessDenied on the state table');
    });
    await expect(respondToEvent(event(), deps(world))).rejects.toThrow('AccessDenied on the state table');
    expect(world.saved.map((s) => s.step)).toEqual(['received']);
  });
});

describe('a retry of an event recorded as covered before its invocation died', () => {
  it('completes it as covered, without deciding again', async () => {
    const e = parseComplianceChangeEvent(complianceChange({ resourceType: 'AWS::S3::Bucket', resourceId: 'b' }));
    const at = '2026-11-23T01:04:06.000Z';
    const written: AuditStep[] = [];
    const store = {
      append: async (step: AuditStep) => {
        if (step.step === 'received') return false;
        written.push(step);
        return true;
      },
      history: async () => [
        {
          step: 'received',
          auditId: e.id,
          at,
          event: e,
          configRuleName: 'ward-encrypted-at-rest',
          resourceType: 'AWS::S3::Bucket',
          resourceId: 'b',
          accountId: '123456789012',
          region: 'us-east-1',
        },
        { step: 'covered', auditId: e.id, at, by: 'leader' },
      ],
    } as unknown as AuditStore;
    const logger = createLogger();
    logger.level = 'silent';
    const result = await respondToEvent(e, {
      settings: parseResponderSettings({ defaultMode: 'auto' }),
      store,
      logger,
      contexts: () => {
        throw new Error('a covered event never reads the resource');
      },
    });
    expect(result).toMatchObject({ duplicate: false, outcome: 'covered', coveredBy: 'leader' });
    expect(written.map((s) => s.step)).toEqual(['completed']);
  });
});

describe('the severity of an alert whose rule the responder bundle lacks', () => {
  it('is the highest severity of the rule the stack wrote to WARD_RULE_SEVERITIES', async () => {
    const logger = createLogger();
    logger.level = 'silent';
    const settings = parseResponderSettings({ ruleSeverities: JSON.stringify({ 'no-wildcard-actions': 'critical' }) });
    const event = parseComplianceChangeEvent(
      complianceChange({
        configRuleName: 'ward-no-wildcard-actions',
        resourceType: 'AWS::IAM::Policy',
        resourceId: 'ANPAEXAMPLEPOLICYID1',
      }),
    );
    const out = await respondToEvent(event, {
      settings,
      logger,
      contexts: () => {
        throw new Error('notify mode reads nothing');
      },
    });
    expect(out.outcome).toBe('notified');
    expect(out.alert?.payload).toMatchObject({ severity: 'critical', severityBasis: 'rule' });
    expect(out.alert?.payload).toMatchObject({ resource: { region: 'global', accountId: '123456789012' } });
  });
});
