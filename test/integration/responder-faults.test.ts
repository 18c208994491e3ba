/**
 * The responder under injected faults, against moto with the real SDK: an alert that cannot be published, an
 * audit write that fails, a read-back that fails, each after the change was applied; duplicate and concurrent
 * events for one resource. In every case the change is in the audit history with its before-state, the retry
 * completes the response, rollback restores the resource, and each resource is remediated once.
 */
import { CreateBucketCommand, GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import type { AuditStep } from '../../responder/audit-steps';
import { stepOf, summarize } from '../../responder/audit-steps';
import type { AuditStore } from '../../responder/audit-store';
import { createResponderHandler } from '../../responder/handler';
import { createContexts } from '../../responder/recheck';
import type { ResponderDeps } from '../../responder/respond';
import { rollbackAudit } from '../../responder/rollback';
import { respondExitCode } from '../../bin/commands/respond';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';
import { complianceChange, snsWrap } from '../unit/responder/fixtures';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;
const s3 = () => new S3Client(motoClientConfig(region));

async function bucket(): Promise<string> {
  const name = uniqueName('ward-fault');
  await s3().send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
    }),
  );
  return name;
}

async function encrypted(name: string): Promise<boolean> {
  try {
    await s3().send(new GetBucketEncryptionCommand({ Bucket: name }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'ServerSideEncryptionConfigurationNotFoundError') return false;
    throw err;
  }
}

const event = (resourceId: string, id?: string) =>
  complianceChange({
    ...(id ? { id } : {}),
    resourceType: 'AWS::S3::Bucket',
    resourceId,
    region,
    accountId: MOTO_ACCOUNT,
    oldCompliance: 'COMPLIANT',
    annotation: 'S3 bucket has no default encryption configuration.',
  });

/**
 * Auto-mode dependencies whose S3 clients count the PutBucketEncryption calls (the remediations), optionally
 * delay them, and fail GetBucketEncryption once a change was made when `failReadBack` says so.
 */
function autoDeps(options: { delayPutMs?: number; failReadBack?: () => boolean } = {}) {
  const base = world.deps({ modes: { 'ward-encrypted-at-rest': 'auto' } });
  const counter = { puts: 0 };
  const deps: ResponderDeps = {
    ...base,
    contexts: (resource) => {
      const ctx = createContexts(resource, { kmsKeyArn: world.keyArn }, base.logger);
      const client = ctx.runbook.client(S3Client, resource.region);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutBucketEncryptionCommand') {
            counter.puts++;
            if (options.delayPutMs) await new Promise((r) => setTimeout(r, options.delayPutMs));
          }
          if (context.commandName === 'GetBucketEncryptionCommand' && counter.puts > 0 && options.failReadBack?.())
            throw Object.assign(new Error('<?xml version="1.0"?><Error><Code>InternalError</Code></Error>'), {
              name: 'InternalError',
              $metadata: { httpStatusCode: 500 },
            });
          return next(args);
        },
        { step: 'initialize', name: 'faults' },
      );
      return ctx;
    },
  };
  return { deps, counter };
}

const history = (id: string) => world.store.history(id);
const names = (steps: readonly AuditStep[]) => steps.map((s) => s.step);

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
});
afterAll(() => restore());
beforeEach(async () => {
  await world.alerts();
});

describe('an alert that cannot be published after the change', () => {
  it('keeps the recorded change, fails the invocation, and the retry sends the owed alert; rollback restores', async () => {
    const name = await bucket();
    const e = event(name);
    const { deps, counter } = autoDeps();
    const failing = createResponderHandler({
      ...deps,
      publish: async () => {
        throw Object.assign(new Error('<ErrorResponse><Error><Code>KMS.AccessDenied</Code></Error></ErrorResponse>'), {
          name: 'KMSAccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        });
      },
    });
    await expect(failing(snsWrap(e))).rejects.toThrow(
      /alert for .* not published \(KMSAccessDeniedException \(HTTP 400\): \(response body withheld\)\)/,
    );
    expect(await encrypted(name)).toBe(true);
    const interrupted = await history(e.id);
    expect(names(interrupted)).toEqual(['received', 'decided', 'planned', 'applied', 'verified', 'alert-failed']);
    expect(stepOf(interrupted, 'planned')?.before).toEqual(expect.objectContaining({ rules: null }));
    expect(await world.alerts()).toHaveLength(0);

    const retried = await createResponderHandler(deps)(snsWrap(e));
    expect(retried.results[0]).toMatchObject({ duplicate: false, outcome: 'remediated' });
    expect(counter.puts).toBe(1);
    const alerts = await world.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toContain('FIXED');
    expect(names(await history(e.id))).toEqual([
      'received',
      'decided',
      'planned',
      'applied',
      'verified',
      'alert-failed',
      'alerted',
      'completed',
    ]);

    await rollbackAudit(e.id, world.store, (r) => deps.contexts(r).runbook);
    expect(await encrypted(name)).toBe(false);
  });
});

describe('an audit write that fails after the change', () => {
  it('leaves the before-state on record; the retry finds the change in place and records it; rollback restores', async () => {
    const name = await bucket();
    const e = event(name);
    const { deps, counter } = autoDeps();
    let failed = false;
    const flaky = Object.create(world.store) as AuditStore;
    flaky.append = async (step) => {
      if (step.step === 'applied' && !failed) {
        failed = true;
        throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), {
          name: 'ProvisionedThroughputExceededException',
        });
      }
      return world.store.append(step);
    };
    await expect(createResponderHandler({ ...deps, store: flaky })(snsWrap(e))).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(await encrypted(name)).toBe(true);
    const interrupted = await history(e.id);
    expect(names(interrupted)).toEqual(['received', 'decided', 'planned']);
    expect(stepOf(interrupted, 'planned')?.before).toEqual(expect.objectContaining({ rules: null }));

    const retried = await createResponderHandler(deps)(snsWrap(e));
    expect(retried.results[0].outcome).toBe('remediated');
    const done = await history(e.id);
    expect(stepOf(done, 'applied')).toMatchObject({ ok: true, changed: true, resumed: true });
    expect(stepOf(done, 'verified')?.ok).toBe(true);
    expect(counter.puts).toBe(1);
    expect((await world.alerts()).map((a) => a.subject)).toEqual([expect.stringContaining('FIXED')]);

    await rollbackAudit(e.id, world.store, (r) => deps.contexts(r).runbook);
    expect(await encrypted(name)).toBe(false);
  });
});

describe('an invocation that dies after the change was applied and recorded', () => {
  it('is continued by the retry: it verifies what was applied and sends the alert, changing nothing again', async () => {
    const name = await bucket();
    const e = event(name);
    const { deps, counter } = autoDeps();
    const flaky = Object.create(world.store) as AuditStore;
    flaky.append = async (step) => {
      if (step.step === 'verified') throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      return world.store.append(step);
    };
    await expect(createResponderHandler({ ...deps, store: flaky })(snsWrap(e))).rejects.toThrow('TimeoutError');
    expect(names(await history(e.id))).toEqual(['received', 'decided', 'planned', 'applied']);
    expect(await world.alerts()).toHaveLength(0);

    const retried = await createResponderHandler(deps)(snsWrap(e));
    expect(retried.results[0].outcome).toBe('remediated');
    expect(names(await history(e.id))).toEqual([
      'received',
      'decided',
      'planned',
      'applied',
      'verified',
      'alerted',
      'completed',
    ]);
    expect(stepOf(await history(e.id), 'applied')).toMatchObject({ ok: true, changed: true });
    expect(counter.puts).toBe(1);
    expect(await world.alerts()).toHaveLength(1);
  });
});

describe('a read-back that fails after the change', () => {
  it('records and alerts "changed, not verified" with the before-state, exits 2, and allows rollback', async () => {
    const name = await bucket();
    const e = event(name);
    const { deps } = autoDeps({ failReadBack: () => true });
    const out = await createResponderHandler(deps)(snsWrap(e));
    expect(out.results[0].outcome).toBe('changed-not-verified');
    expect(respondExitCode(out.results[0])).toBe(2);
    expect(await encrypted(name)).toBe(true);
    const steps = await history(e.id);
    expect(stepOf(steps, 'planned')?.before).toEqual(expect.objectContaining({ rules: null }));
    expect(stepOf(steps, 'applied')).toMatchObject({ ok: true, changed: true });
    const verified = stepOf(steps, 'verified');
    expect(verified?.ok).toBe(false);
    expect(verified?.error).toContain('InternalError (HTTP 500)');
    expect(verified?.error).not.toContain('<?xml');
    const [alert] = await world.alerts();
    expect(alert.subject).toContain('CHANGED, NOT VERIFIED');
    expect(alert.text).toContain('The before-state is recorded');
    expect(alert.text).toContain(`ward rollback ${e.id}`);

    const rolled = await rollbackAudit(e.id, world.store, (r) => autoDeps().deps.contexts(r).runbook);
    expect(rolled.step).toBe('rolled-back');
    expect(await encrypted(name)).toBe(false);
    expect(summarize(e.id, await history(e.id)).rolledBack).toBeDefined();
  });
});

describe('one change per resource at a time', () => {
  it('remediates once for five events of one resource in one batch; the others are covered by it', async () => {
    const name = await bucket();
    const events = [1, 2, 3, 4, 5].map(() => event(name));
    const { deps, counter } = autoDeps();
    const out = await createResponderHandler(deps)(snsWrap(...events));
    expect(counter.puts).toBe(1);
    expect(out.results.map((r) => r.outcome)).toEqual(['remediated', 'covered', 'covered', 'covered', 'covered']);
    for (const e of events.slice(1)) {
      const steps = await history(e.id);
      expect(names(steps)).toEqual(['received', 'covered', 'completed']);
      expect(stepOf(steps, 'covered')?.by).toBe(events[0].id);
    }
    expect(await world.alerts()).toHaveLength(1);
  });

  it('remediates once for two events of one resource in concurrent invocations; the later is covered', async () => {
    const name = await bucket();
    const [a, b] = [event(name), event(name)];
    const { deps, counter } = autoDeps({ delayPutMs: 400 });
    const first = createResponderHandler(deps)(snsWrap(a));
    await new Promise((r) => setTimeout(r, 150));
    const second = createResponderHandler(deps)(snsWrap(b));
    const [ra, rb] = await Promise.all([first, second]);
    expect(counter.puts).toBe(1);
    expect(ra.results[0].outcome).toBe('remediated');
    expect(rb.results[0]).toMatchObject({ outcome: 'covered', coveredBy: a.id });
  });

  it('answers a concurrent duplicate delivery of one event once: the other fails, and its retry is a duplicate', async () => {
    const name = await bucket();
    const e = event(name);
    const { deps, counter } = autoDeps({ delayPutMs: 300 });
    const settled = await Promise.allSettled([
      createResponderHandler(deps)(snsWrap(e)),
      createResponderHandler(deps)(snsWrap(e)),
    ]);
    expect(counter.puts).toBe(1);
    const done = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value.results : []));
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(done.map((r) => r.outcome)).toEqual(['remediated']);
    expect(failed).toEqual([expect.stringMatching(/is locked by response .* retry later/)]);
    expect((await createResponderHandler(deps)(snsWrap(e))).results[0]).toMatchObject({ duplicate: true });
    expect((await history(e.id)).filter((s) => s.step === 'applied')).toHaveLength(1);
    expect(counter.puts).toBe(1);
    expect(await world.alerts()).toHaveLength(1);
  });

  it('fails (to be retried) rather than change a resource another rule is changing', async () => {
    const name = await bucket();
    const e = event(name);
    await world.state.acquireLock(
      { resourceType: 'AWS::S3::Bucket', resourceId: name },
      { auditId: 'other', configRuleName: 'ward-no-public-principals', token: 't' },
      new Date(),
    );
    const { deps, counter } = autoDeps();
    await expect(createResponderHandler(deps)(snsWrap(e))).rejects.toThrow(
      /locked by response other of ward-no-public-principals/,
    );
    expect(counter.puts).toBe(0);
    await world.state.releaseLock({ resourceType: 'AWS::S3::Bucket', resourceId: name }, 't');
    expect((await createResponderHandler(deps)(snsWrap(e))).results[0].outcome).toBe('remediated');
  });
});

it('records a resource that no longer exists as gone, nothing to do (no alert, exit 0)', async () => {
  const e = event(uniqueName('ward-deleted'));
  const out = await createResponderHandler(autoDeps().deps)(snsWrap(e));
  expect(out.results[0].outcome).toBe('gone');
  expect(respondExitCode(out.results[0])).toBe(0);
  expect(names(await history(e.id))).toEqual(['received', 'decided', 'completed']);
  expect(await world.alerts()).toHaveLength(0);
});
