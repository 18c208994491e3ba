/**
 * Suppressions in the responder, end to end against moto with the real SDK: the handler is built from the
 * environment as the Lambda builds it (depsFromEnv reads the packaged suppressions file WARD_SUPPRESSIONS_FILE
 * names), an SNS-wrapped compliance change is given to it in-process (moto cannot run SNS -> Lambda), and the
 * bucket, the audit record and the alerts topic (through an SQS spy queue) are checked through the SDK.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { type DecidedStep, stepOf, summarize } from '../../responder/audit-steps';
import { createResponderHandler, depsFromEnv } from '../../responder/handler';
import { createContexts } from '../../responder/recheck';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';
import { tempDir } from '../unit/scan/scan-harness';
import { complianceChange, snsWrap } from '../unit/responder/fixtures';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;
const s3 = () => new S3Client(motoClientConfig(region));

async function bucket(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
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

const event = (resourceId: string) =>
  complianceChange({
    resourceType: 'AWS::S3::Bucket',
    resourceId,
    region,
    accountId: MOTO_ACCOUNT,
    oldCompliance: 'COMPLIANT',
    annotation: 'S3 bucket has no default encryption configuration.',
  });

/** The handler as the Lambda builds it, with the suppressions file as `ward deploy` packages it. */
function lambda(suppressions: string, settings: Record<string, string> = {}) {
  const dir = tempDir();
  writeFileSync(join(dir, 'suppressions.json'), suppressions);
  // The logger reads LOG_LEVEL from the process: quiet the cold-start error of the damaged-set case.
  const level = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'silent';
  const deps = depsFromEnv({
    ...process.env,
    LAMBDA_TASK_ROOT: dir,
    WARD_SUPPRESSIONS_FILE: 'suppressions.json',
    WARD_AUDIT_TABLE: world.table,
    WARD_STATE_TABLE: world.stateTable,
    WARD_ALERTS_TOPIC_ARN: world.topicArn,
    WARD_REMEDIATION_KEY_ARN: world.keyArn,
    WARD_ACCOUNT_ID: MOTO_ACCOUNT,
    ...settings,
  });
  if (level === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = level;
  return createResponderHandler({
    ...deps,
    contexts: (resource) => createContexts(resource, { kmsKeyArn: world.keyArn }, deps.logger),
  });
}

const doc = (...suppressions: object[]) => JSON.stringify({ suppressions });
const AUTO = { WARD_MODES: JSON.stringify({ 'ward-encrypted-at-rest': 'auto' }) };

async function decidedOf(id: string): Promise<DecidedStep> {
  return stepOf(summarize(id, await world.store.history(id)).steps, 'decided') as DecidedStep;
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
});
afterAll(() => restore());
beforeEach(async () => {
  await world.alerts(); // drain
});

describe('the responder with suppressions', () => {
  it('neither alerts nor changes a suppressed finding in auto mode, and records the entry in the audit', async () => {
    const name = await bucket('ward-supp-legacy');
    const e = event(name);
    const handler = lambda(
      doc({
        rule: 'encrypted-at-rest',
        code: 'unencrypted',
        resource: 'ward-supp-legacy*',
        reason: 'Legacy export bucket, decommissioned in Q1',
        expires: '2099-03-31',
        owner: 'data-team',
      }),
      AUTO,
    );
    const out = await handler(snsWrap(e));
    expect(out.results[0]).toMatchObject({ outcome: 'suppressed', alert: undefined });
    expect(await encrypted(name)).toBe(false);
    expect(await world.alerts()).toEqual([]);
    const steps = await world.store.history(e.id);
    expect(steps.map((s) => s.step)).toEqual(['received', 'decided', 'completed']);
    const decided = await decidedOf(e.id);
    expect(decided.suppression).toEqual({
      reason: 'Legacy export bucket, decommissioned in Q1',
      owner: 'data-team',
      expires: '2099-03-31',
      entry: 'encrypted-at-rest/unencrypted ward-supp-legacy*',
    });
    expect(decided.findingCodes).toEqual(['unencrypted']);
    expect(decided.decision.reasons[0]).toContain('Suppressed until 2099-03-31 (owner data-team)');
  });

  it('does not alert in notify mode when an entry covers every code of the rule for the resource', async () => {
    const name = await bucket('ward-supp-notify');
    const e = event(name);
    const handler = lambda(
      doc({ rule: 'encrypted-at-rest', resource: `arn:aws:s3:::${name}`, reason: 'Public dataset mirror' }),
    );
    const out = await handler(snsWrap(e));
    expect(out.results[0].outcome).toBe('suppressed');
    expect(await world.alerts()).toEqual([]);
    expect((await decidedOf(e.id)).suppression).toMatchObject({ reason: 'Public dataset mirror' });
  });

  it('alerts in notify mode on an entry for one finding code, which it cannot check without re-running the rule', async () => {
    const name = await bucket('ward-supp-coded');
    const e = event(name);
    const handler = lambda(doc({ rule: 'encrypted-at-rest', code: 'unencrypted', resource: name, reason: 'Accepted' }));
    const out = await handler(snsWrap(e));
    expect(out.results[0].outcome).toBe('notified');
    expect(out.results[0].decision?.reasons.join(' ')).toContain(
      'Suppressions for finding codes unencrypted of this resource cannot be checked',
    );
    const alerts = await world.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toContain("Severity: high (the rule's highest: the finding codes were not re-checked)");
  });

  it('alerts and remediates again once the entry has expired', async () => {
    const name = await bucket('ward-supp-expired');
    const handler = lambda(
      doc({ rule: 'encrypted-at-rest', resource: name, reason: 'Was accepted until January', expires: '2026-01-31' }),
      AUTO,
    );
    const out = await handler(snsWrap(event(name)));
    expect(out.results[0].outcome).toBe('remediated');
    expect(await encrypted(name)).toBe(true);
    const alerts = await world.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toContain('FIXED ward-encrypted-at-rest');
  });

  it('alerts on a finding no entry matches, with the identity and severity of the finding', async () => {
    const name = await bucket('ward-supp-other');
    const e = event(name);
    const handler = lambda(
      doc({ rule: 'encrypted-at-rest', resource: 'some-other-bucket', reason: 'Another bucket entirely' }),
      { WARD_MODES: JSON.stringify({ 'ward-encrypted-at-rest': 'dry-run' }) },
    );
    const out = await handler(snsWrap(e));
    expect(out.results[0].outcome).toBe('planned');
    const alerts = await world.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toContain(`arn:     arn:aws:s3:::${name}`);
    expect(alerts[0].text).toContain(`name:    ${name}`);
    expect(alerts[0].text).toContain(`account: ${MOTO_ACCOUNT}`);
    expect(alerts[0].text).toContain('Severity: high');
    expect(out.results[0].alert?.payload).toMatchObject({
      version: '2',
      severity: 'high',
      severityBasis: 'findings',
      resource: { accountId: MOTO_ACCOUNT, region, arn: `arn:aws:s3:::${name}`, resourceName: name },
    });
  });

  it('alerts and remediates as if unsuppressed when the suppressions cannot be read, and says so', async () => {
    const name = await bucket('ward-supp-damaged');
    const e = event(name);
    const handler = lambda('{"suppressions": [{"rule": "encrypted-at-rest", "resource": "*"', AUTO);
    const out = await handler(snsWrap(e));
    expect(out.results[0].outcome).toBe('remediated');
    expect(await encrypted(name)).toBe(true);
    const alerts = await world.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toMatch(
      /Suppressions: suppressions .*suppressions\.json could not be read: .*alerted as if unsuppressed/,
    );
    expect((await decidedOf(e.id)).suppressionsError).toContain('could not be read');
  });
});
