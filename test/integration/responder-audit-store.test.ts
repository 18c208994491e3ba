/** The audit table's conditional writes against moto: claims, the hourly cap, the kill switch. */
import { AuditStore, type AuditRecord } from '../../responder/audit-store';
import { MOTO_ACCOUNT, motoRegion, useMotoEnvironment } from '../harness/moto';
import { complianceChange } from '../unit/responder/fixtures';
import { parseComplianceChangeEvent } from '../../responder/event';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;
let store: AuditStore;

function record(id: string, createdAt: string, status: AuditRecord['status'] = 'in-progress'): AuditRecord {
  const event = parseComplianceChangeEvent(complianceChange({ id, resourceType: 'AWS::S3::Bucket', resourceId: 'b' }));
  return {
    auditId: id,
    createdAt,
    updatedAt: createdAt,
    status,
    configRuleName: 'ward-encrypted-at-rest',
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'b',
    accountId: MOTO_ACCOUNT,
    region,
    event,
  };
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
  store = world.store;
});
afterAll(() => restore());

describe('claims', () => {
  it('claims an event once', async () => {
    expect(await store.claim(record('e-1', '2026-11-23T01:00:00.000Z'))).toBe(true);
    expect(await store.claim(record('e-1', '2026-11-23T01:00:01.000Z'))).toBe(false);
  });

  it('lets a retry claim an attempt that failed', async () => {
    await store.save(record('e-2', '2026-11-23T01:00:00.000Z', 'failed'));
    expect(await store.claim(record('e-2', '2026-11-23T01:01:00.000Z'))).toBe(true);
  });

  it('lets a retry claim an attempt left in progress by an invocation that died', async () => {
    expect(await store.claim(record('e-3', '2026-11-23T01:00:00.000Z'))).toBe(true);
    expect(await store.claim(record('e-3', '2026-11-23T01:05:00.000Z'))).toBe(false);
    expect(await store.claim(record('e-3', '2026-11-23T01:11:00.000Z'))).toBe(true);
  });

  it('never claims an event that is done', async () => {
    await store.save(record('e-4', '2026-11-23T01:00:00.000Z', 'done'));
    expect(await store.claim(record('e-4', '2026-11-23T09:00:00.000Z'))).toBe(false);
  });
});

describe('the hourly cap on automatic changes', () => {
  it('grants exactly the cap per account and hour, then a new hour starts afresh', async () => {
    const at = new Date('2026-11-23T05:10:00Z');
    const grants = [];
    for (let i = 0; i < 4; i++) grants.push(await store.reserveAutoChange('111122223333', at, 3));
    expect(grants).toEqual([true, true, true, false]);
    expect(await store.reserveAutoChange('444455556666', at, 3)).toBe(true);
    expect(await store.reserveAutoChange('111122223333', new Date('2026-11-23T06:00:00Z'), 3)).toBe(true);
  });

  it('grants nothing with a cap of 0', async () => {
    expect(await store.reserveAutoChange('111122223333', new Date(), 0)).toBe(false);
  });
});

it('reads the kill switch item', async () => {
  expect(await store.killSwitchOn()).toBe(false);
  await store.setKillSwitch(true, 'test');
  expect(await store.killSwitchOn()).toBe(true);
  await store.setKillSwitch(false, 'test');
  expect(await store.killSwitchOn()).toBe(false);
});
