/**
 * The responder end to end against moto with the real SDK: an SNS-wrapped compliance-change event is given
 * to the Lambda handler in-process (moto cannot run SNS -> Lambda, see moto.md section 5); the fix, the audit
 * record and the alert (on an SQS queue subscribed to the alerts topic) are checked through the SDK.
 */
import { CreateBucketCommand, GetBucketEncryptionCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { stepOf, summarize } from '../../responder/audit-steps';
import { createResponderHandler } from '../../responder/handler';
import { rollbackAudit } from '../../responder/rollback';
import { createContexts } from '../../responder/recheck';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';
import { complianceChange, snsWrap } from '../unit/responder/fixtures';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;
const s3 = () => new S3Client(motoClientConfig(region));

async function bucket(tags: Record<string, string> = {}): Promise<string> {
  const name = uniqueName('ward-resp');
  await s3().send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
  );
  if (Object.keys(tags).length)
    await s3().send(
      new PutBucketTaggingCommand({
        Bucket: name,
        Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  return name;
}

async function encryption(name: string): Promise<string | undefined> {
  try {
    const out = await s3().send(new GetBucketEncryptionCommand({ Bucket: name }));
    const d = out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    return `${d?.SSEAlgorithm}:${d?.KMSMasterKeyID ?? ''}`;
  } catch (err) {
    if ((err as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return undefined;
    throw err;
  }
}

const event = (resourceId: string, extra: Partial<Parameters<typeof complianceChange>[0]> = {}) =>
  complianceChange({
    resourceType: 'AWS::S3::Bucket',
    resourceId,
    region,
    accountId: MOTO_ACCOUNT,
    oldCompliance: 'COMPLIANT',
    annotation: 'S3 bucket has no default encryption configuration.',
    ...extra,
  });

/** A response as ward audit sees it. */
async function audit(id: string) {
  return summarize(id, await world.store.history(id));
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
});
afterAll(() => restore());
beforeEach(async () => {
  await world.alerts(); // drain
});

describe('responder in auto mode', () => {
  const auto = () => createResponderHandler(world.deps({ modes: { 'ward-encrypted-at-rest': 'auto' } }));

  it('encrypts a non-compliant bucket with the key, records the audit and alerts', async () => {
    const name = await bucket();
    const e = event(name);
    const out = await auto()(snsWrap(e));
    expect(out.results[0]).toMatchObject({ duplicate: false, outcome: 'remediated' });
    expect(await encryption(name)).toBe(`aws:kms:${world.keyArn}`);
    const response = await audit(e.id);
    expect(response).toMatchObject({ outcome: 'remediated', changed: true, before: { rules: null } });
    expect(response.received?.resourceId).toBe(name);
    expect(response.steps.map((s) => s.step)).toEqual([
      'received',
      'decided',
      'planned',
      'applied',
      'verified',
      'alerted',
      'completed',
    ]);
    const verified = stepOf(response.steps, 'verified') as {
      ok: boolean;
      after: { rules: { ApplyServerSideEncryptionByDefault: { KMSMasterKeyID: string } }[] };
    };
    expect(verified.ok).toBe(true);
    expect(verified.after.rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID).toBe(world.keyArn);
    const alerts = await world.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject.length).toBeLessThan(100);
    expect(alerts[0].subject).toContain('FIXED ward-encrypted-at-rest');
    expect(alerts[0].text).toContain(`id:      ${name}`);
    expect(alerts[0].text).toContain('s3-enable-default-encryption.md');
  });

  it('changes nothing when the same event is delivered twice', async () => {
    const name = await bucket();
    const e = event(name);
    const handler = auto();
    await handler(snsWrap(e));
    const first = await world.store.history(e.id);
    await world.alerts();
    const again = await handler(snsWrap(e));
    expect(again.results[0]).toMatchObject({ auditId: e.id, duplicate: true, outcome: 'remediated' });
    expect(await world.store.history(e.id)).toEqual(first);
    expect(await world.alerts()).toHaveLength(0);
  });

  it('honours the opt-out tag ward:remediation=off', async () => {
    const name = await bucket({ 'ward:remediation': 'off' });
    const out = await auto()(snsWrap(event(name)));
    expect(out.results[0].outcome).toBe('notified');
    expect(out.results[0].decision?.reasons.join(' ')).toContain('ward:remediation=off');
    expect(await encryption(name)).toBeUndefined();
    expect((await world.alerts())[0].subject).toContain('NON_COMPLIANT');
  });

  it('honours the kill switch in the state table', async () => {
    const name = await bucket();
    await world.state.setKillSwitch(true, 'test');
    try {
      const out = await auto()(snsWrap(event(name)));
      expect(out.results[0].outcome).toBe('notified');
      expect(out.results[0].decision?.reasons.join(' ')).toContain('kill switch');
      expect(await encryption(name)).toBeUndefined();
    } finally {
      await world.state.setKillSwitch(false, 'test');
    }
  });

  it('falls back to notify once the hourly cap on automatic changes is used', async () => {
    const name = await bucket();
    const capped = createResponderHandler(
      world.deps({ modes: { 'ward-encrypted-at-rest': 'auto' }, maxAutoChangesPerHour: 0 }),
    );
    const out = await capped(snsWrap(event(name)));
    expect(out.results[0].outcome).toBe('notified');
    expect(out.results[0].decision?.reasons.join(' ')).toContain('cap on automatic changes');
    expect(await encryption(name)).toBeUndefined();
  });

  it('leaves the resource as it was, records the failure and alerts when the runbook fails', async () => {
    const name = await bucket();
    const e = event(name);
    const base = world.deps({ modes: { 'ward-encrypted-at-rest': 'auto' } });
    // The role lacks s3:PutEncryptionConfiguration: the S3 client answers AccessDenied to PutBucketEncryption.
    const denied = createResponderHandler({
      ...base,
      contexts: (resource) => {
        const ctx = createContexts(resource, { kmsKeyArn: world.keyArn }, base.logger);
        const client = ctx.runbook.client(S3Client, resource.region);
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'PutBucketEncryptionCommand')
              throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
            return next(args);
          },
          { step: 'initialize', name: 'denyPutBucketEncryption' },
        );
        return ctx;
      },
    });
    const out = await denied(snsWrap(e));
    expect(out.results[0].outcome).toBe('remediation-failed');
    expect(await encryption(name)).toBeUndefined();
    const response = await audit(e.id);
    expect(response.outcome).toBe('remediation-failed');
    const applied = stepOf(response.steps, 'applied');
    expect(applied).toMatchObject({ ok: false, changed: false });
    expect(applied?.error).toContain('PutBucketEncryption failed');
    expect(applied?.error).toContain('AccessDenied');
    const alerts = await world.alerts();
    expect(alerts[0].text).toContain('FAILED');
  });

  it('rolls back to the recorded before-state', async () => {
    const name = await bucket();
    const e = event(name);
    const deps = world.deps({ modes: { 'ward-encrypted-at-rest': 'auto' } });
    await createResponderHandler(deps)(snsWrap(e));
    expect(await encryption(name)).toBe(`aws:kms:${world.keyArn}`);
    const rolled = await rollbackAudit(e.id, world.store, (r) => deps.contexts(r).runbook, { by: 'operator' });
    expect(rolled).toMatchObject({ step: 'rolled-back', by: 'operator' });
    expect(await encryption(name)).toBeUndefined();
    expect((await audit(e.id)).rolledBack?.replaced).toMatchObject({ rules: [expect.anything()] });
  });

  it('handles the good records of a batch and throws naming the bad one', async () => {
    const name = await bucket();
    const handler = auto();
    await expect(handler(snsWrap({ hello: 'world' }, event(name)))).rejects.toThrow(
      /1 record\(s\) failed: 95df01b4-ee98-5cb9-9903-4c221d41eb50: .*not a Config Rules Compliance Change event/,
    );
    expect(await encryption(name)).toBe(`aws:kms:${world.keyArn}`);
  });
});

describe('responder in dry-run and notify modes', () => {
  it('changes nothing in dry-run and alerts with the plan', async () => {
    const name = await bucket();
    const e = event(name);
    const out = await createResponderHandler(world.deps({ modes: { 'ward-encrypted-at-rest': 'dry-run' } }))(
      snsWrap(e),
    );
    expect(out.results[0].outcome).toBe('planned');
    expect(await encryption(name)).toBeUndefined();
    expect((await audit(e.id)).plan?.changes[0].operation).toBe('s3:PutBucketEncryption');
    const [alert] = await world.alerts();
    expect(alert.text).toContain('Dry run, nothing changed');
    expect(alert.text).toContain('Planned changes:');
  });

  it('notifies by default without reading or changing the resource', async () => {
    const name = await bucket();
    const out = await createResponderHandler(world.deps())(snsWrap(event(name)));
    expect(out.results[0]).toMatchObject({ outcome: 'notified', before: undefined });
    expect(await encryption(name)).toBeUndefined();
    const [alert] = await world.alerts();
    expect(alert.text).toContain('S3 bucket has no default encryption configuration.');
  });

  it('sends a resolved notice when the resource is compliant again', async () => {
    const name = await bucket();
    const out = await createResponderHandler(world.deps())(
      snsWrap(event(name, { newCompliance: 'COMPLIANT', oldCompliance: 'NON_COMPLIANT', annotation: undefined })),
    );
    expect(out.results[0].outcome).toBe('resolved');
    const [alert] = await world.alerts();
    expect(alert.subject).toContain('RESOLVED');
  });

  it('collapses flapping of one rule and resource into one alert', async () => {
    const name = await bucket();
    const handler = createResponderHandler(world.deps({ flapThreshold: 2 }));
    const flips = ['NON_COMPLIANT', 'COMPLIANT', 'NON_COMPLIANT', 'COMPLIANT', 'NON_COMPLIANT'];
    for (const [i, c] of flips.entries())
      await handler(snsWrap(event(name, { newCompliance: c, oldCompliance: i === 0 ? 'COMPLIANT' : flips[i - 1] })));
    const alerts = await world.alerts();
    expect(alerts.map((a) => a.subject.split(' ')[1])).toEqual(['NON_COMPLIANT', 'RESOLVED', 'FLAPPING']);
    expect((await world.store.idsForResource('AWS::S3::Bucket', name)).length).toBe(5);
  });
});
