/**
 * The audit table and the state table against moto: steps are written once and read back in order; the hourly
 * cap, the kill switch and the resource lock are conditional writes on the state table.
 */
import type { AuditStep } from '../../responder/audit-steps';
import { parseComplianceChangeEvent } from '../../responder/event';
import { MOTO_ACCOUNT, motoRegion, useMotoEnvironment } from '../harness/moto';
import { complianceChange } from '../unit/responder/fixtures';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;

function received(id: string, at: string, resourceId = 'b'): AuditStep {
  const event = parseComplianceChangeEvent(complianceChange({ id, resourceType: 'AWS::S3::Bucket', resourceId }));
  return {
    step: 'received',
    auditId: id,
    at,
    event,
    configRuleName: 'ward-encrypted-at-rest',
    resourceType: 'AWS::S3::Bucket',
    resourceId,
    accountId: MOTO_ACCOUNT,
    region,
  };
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
});
afterAll(() => restore());

describe('the append-only audit table', () => {
  it('writes each step once and refuses to overwrite it', async () => {
    expect(await world.store.append(received('s-1', '2026-11-23T01:00:00.000Z'))).toBe(true);
    expect(await world.store.append(received('s-1', '2026-11-23T01:00:09.000Z'))).toBe(false);
    const [first] = await world.store.history('s-1');
    expect(first.at).toBe('2026-11-23T01:00:00.000Z');
  });

  it('reads a response back as its steps in the order they are taken, whatever order they were written', async () => {
    const at = '2026-11-23T02:00:00.000Z';
    await world.store.append({ step: 'completed', auditId: 's-2', at, outcome: 'remediated' });
    await world.store.append({
      step: 'planned',
      auditId: 's-2',
      at,
      before: { rules: null },
      plan: { runbookId: 'x', changes: [], summary: 's' },
    });
    await world.store.append(received('s-2', at));
    expect((await world.store.history('s-2')).map((s) => s.step)).toEqual(['received', 'planned', 'completed']);
  });

  it('keeps every attempt of a repeatable step (a failed alert, a failed rollback)', async () => {
    const at = '2026-11-23T03:00:00.000Z';
    expect(await world.store.append({ step: 'alert-failed', auditId: 's-3', at, error: 'a' })).toBe(true);
    expect(await world.store.append({ step: 'alert-failed', auditId: 's-3', at, error: 'b' })).toBe(true);
    expect((await world.store.history('s-3')).map((s) => (s.step === 'alert-failed' ? s.error : '')).sort()).toEqual([
      'a',
      'b',
    ]);
  });

  it('lists responses newest first, by resource through the index and by scan', async () => {
    await world.store.append(received('r-old', '2026-11-23T04:00:00.000Z', 'listed'));
    await world.store.append(received('r-new', '2026-11-23T05:00:00.000Z', 'listed'));
    expect(await world.store.idsForResource('AWS::S3::Bucket', 'listed')).toEqual(['r-new', 'r-old']);
    expect((await world.store.received({ resourceId: 'listed' })).map((s) => s.auditId)).toEqual(['r-new', 'r-old']);
  });
});

describe('the hourly cap on automatic changes', () => {
  it('grants exactly the cap per account and hour, then a new hour starts afresh', async () => {
    const at = new Date('2026-11-23T05:10:00Z');
    const grants = [];
    for (let i = 0; i < 4; i++) grants.push(await world.state.reserveAutoChange('111122223333', at, 3));
    expect(grants).toEqual([true, true, true, false]);
    expect(await world.state.reserveAutoChange('444455556666', at, 3)).toBe(true);
    expect(await world.state.reserveAutoChange('111122223333', new Date('2026-11-23T06:00:00Z'), 3)).toBe(true);
  });

  it('grants nothing with a cap of 0', async () => {
    expect(await world.state.reserveAutoChange('111122223333', new Date(), 0)).toBe(false);
  });
});

it('reads the kill switch item', async () => {
  expect(await world.state.killSwitchOn()).toBe(false);
  await world.state.setKillSwitch(true, 'test');
  expect(await world.state.killSwitchOn()).toBe(true);
  await world.state.setKillSwitch(false, 'test');
  expect(await world.state.killSwitchOn()).toBe(false);
});

describe('the resource lock', () => {
  const bucket = { resourceType: 'AWS::S3::Bucket', resourceId: 'locked' };
  const t0 = new Date('2026-11-23T07:00:00Z');

  it('is held by one attempt at a time; the others get the holder; only the holder releases it', async () => {
    const a = { auditId: 'a', configRuleName: 'ward-encrypted-at-rest', token: 't-a' };
    expect(await world.state.acquireLock(bucket, a, t0)).toEqual({ acquired: true });
    const other = await world.state.acquireLock(bucket, { ...a, auditId: 'b', token: 't-b' }, t0);
    expect(other).toMatchObject({
      acquired: false,
      holder: { auditId: 'a', configRuleName: 'ward-encrypted-at-rest' },
    });
    // A concurrent delivery of the same event does not share it either.
    expect((await world.state.acquireLock(bucket, { ...a, token: 't-a2' }, t0)).acquired).toBe(false);
    await world.state.releaseLock(bucket, 't-b');
    expect((await world.state.acquireLock(bucket, { ...a, auditId: 'b', token: 't-b' }, t0)).acquired).toBe(false);
    await world.state.releaseLock(bucket, 't-a');
    expect((await world.state.acquireLock(bucket, { ...a, auditId: 'b', token: 't-b' }, t0)).acquired).toBe(true);
    await world.state.releaseLock(bucket, 't-b');
  });

  it('expires when its holder died without releasing it', async () => {
    const r = { resourceType: 'AWS::S3::Bucket', resourceId: 'expiring' };
    await world.state.acquireLock(r, { auditId: 'dead', configRuleName: 'x', token: 't1' }, t0);
    expect(
      (
        await world.state.acquireLock(
          r,
          { auditId: 'next', configRuleName: 'x', token: 't2' },
          new Date(t0.getTime() + 60_000),
        )
      ).acquired,
    ).toBe(false);
    expect(
      (
        await world.state.acquireLock(
          r,
          { auditId: 'next', configRuleName: 'x', token: 't2' },
          new Date(t0.getTime() + 3 * 60_000),
        )
      ).acquired,
    ).toBe(true);
  });
});
