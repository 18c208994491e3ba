import { createResponderHandler, depsFromEnv } from '../../../responder/handler';
import type { AuditRecord, AuditStore } from '../../../responder/audit-store';
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

  it('refuses to start without its audit table and alerts topic', () => {
    expect(() => depsFromEnv({})).toThrow('WARD_AUDIT_TABLE is not set');
    expect(() => depsFromEnv({ WARD_AUDIT_TABLE: 't' })).toThrow('WARD_ALERTS_TOPIC_ARN is not set');
  });
});

describe('respondToEvent reads the kill switch and the flap state at once', () => {
  /** An audit store in memory whose reads take a while and say when they started. */
  function slowStore(killSwitch: () => Promise<boolean>) {
    const started: string[] = [];
    const saved: AuditRecord[] = [];
    const later = <T>(name: string, value: () => Promise<T>) => {
      started.push(name);
      return new Promise<void>((r) => setTimeout(r, 10)).then(value);
    };
    const store = {
      claim: async () => true,
      getFlap: () => later('getFlap', async () => undefined),
      putFlap: async () => undefined,
      killSwitchOn: () => later('killSwitchOn', killSwitch),
      save: async (record: AuditRecord) => {
        saved.push(record);
      },
    };
    return { store: store as unknown as AuditStore, started, saved };
  }

  const event = () =>
    parseComplianceChangeEvent(
      complianceChange({ resourceType: 'AWS::S3::Bucket', resourceId: 'b', newCompliance: 'NON_COMPLIANT' }),
    );
  const deps = (store: AuditStore) => {
    const logger = createLogger();
    logger.level = 'silent';
    return {
      settings: parseResponderSettings({}),
      store,
      logger,
      publish: async () => 'message-1',
      contexts: () => {
        throw new Error('unused in notify mode');
      },
    };
  };

  it('starts both reads before either answers, and notifies', async () => {
    const { store, started, saved } = slowStore(async () => false);
    const result = await respondToEvent(event(), deps(store));
    expect(started).toEqual(['killSwitchOn', 'getFlap']);
    expect(result.decision?.action).toBe('notify');
    expect(saved.at(-1)?.status).toBe('done');
  });

  it('fails the event (saved as failed, rethrown) when the kill switch cannot be read', async () => {
    const { store, saved } = slowStore(async () => {
      throw new Error('AccessDenied on the audit table');
    });
    await expect(respondToEvent(event(), deps(store))).rejects.toThrow('AccessDenied on the audit table');
    expect(saved.at(-1)).toEqual(expect.objectContaining({ status: 'failed', outcome: 'failed' }));
  });
});
