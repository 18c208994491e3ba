/**
 * `ward respond`, `ward audit` and `ward rollback` against moto: the dry run needs nothing deployed and changes
 * nothing; auto records the change, audit lists it, rollback restores the before-state.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { registerAuditCommand } from '../../bin/commands/audit';
import { registerRespondCommand } from '../../bin/commands/respond';
import { registerRollbackCommand } from '../../bin/commands/rollback';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;
const dir = mkdtempSync(join(tmpdir(), 'ward-respond-'));

async function ward(...args: string[]): Promise<string> {
  const program = new Command('ward').exitOverride();
  registerRespondCommand(program);
  registerAuditCommand(program);
  registerRollbackCommand(program);
  const out: string[] = [];
  process.exitCode = undefined;
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'ward', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

/** The example event, pointed at a bucket of this test's account and region. */
function eventFile(bucket: string, sns = false, account = MOTO_ACCOUNT): string {
  const raw = readFileSync(join(__dirname, '../../examples/events/compliance-change-s3-unencrypted.json'), 'utf8');
  const e = JSON.parse(raw.replaceAll('example-logs-bucket', bucket).replaceAll('us-east-1', region));
  e.id = uniqueName('evt');
  e.detail.awsAccountId = account;
  const file = join(dir, `${e.id}.json`);
  writeFileSync(file, JSON.stringify(sns ? { Type: 'Notification', MessageId: 'm-1', Message: JSON.stringify(e) } : e));
  return file;
}

async function newBucket(): Promise<string> {
  const name = uniqueName('ward-cli');
  await new S3Client(motoClientConfig(region)).send(
    new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: region as never } }),
  );
  return name;
}

async function encrypted(bucket: string): Promise<boolean> {
  try {
    await new S3Client(motoClientConfig(region)).send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
  delete process.env.WARD_AUDIT_TABLE;
});
afterAll(() => restore());

/** Runs `ward` with AWS_REGION and AWS_DEFAULT_REGION unset. */
async function wardWithoutRegion(...args: string[]): Promise<string> {
  const saved = [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION];
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  try {
    return await ward(...args);
  } finally {
    [process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION] = saved;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

it('ward respond --mode dry-run prints the plan with nothing deployed, changes nothing and exits 1 (finding left)', async () => {
  const bucket = await newBucket();
  const out = await wardWithoutRegion(
    'respond',
    '--event',
    eventFile(bucket, true),
    '--mode',
    'dry-run',
    '--key-arn',
    world.keyArn,
  );
  expect(out).toContain('Decision: dry-run (dry-run mode)');
  expect(out).toContain(`s3:PutBucketEncryption: Set default encryption of ${bucket} to SSE-KMS with ${world.keyArn}`);
  expect(out).toContain('Outcome: planned');
  expect(process.exitCode).toBe(1);
  expect(await encrypted(bucket)).toBe(false);
});

it('ward respond says a resource that no longer exists is gone, nothing to do, and exits 0', async () => {
  const out = await ward('respond', '--event', eventFile(uniqueName('ward-deleted')), '--mode', 'dry-run');
  expect(out).toContain('gone, nothing to do');
  expect(process.exitCode).toBe(0);
});

it('ward respond only reports a resource of another account than the credentials', async () => {
  const bucket = await newBucket();
  const out = await ward('respond', '--event', eventFile(bucket, false, '999988887777'), '--mode', 'dry-run');
  expect(out).toContain('Decision: notify (dry-run mode)');
  expect(out).toContain('The resource is in account 999988887777; the responder acts only in its own account.');
});

it('ward respond --mode auto refuses to run without an audit table', async () => {
  const bucket = await newBucket();
  await expect(ward('respond', '--event', eventFile(bucket), '--mode', 'auto')).rejects.toThrow(/--table NAME/);
  expect(await encrypted(bucket)).toBe(false);
});

it('ward respond --mode auto refuses to run without the state table (lock, cap, kill switch)', async () => {
  const bucket = await newBucket();
  await expect(ward('respond', '--event', eventFile(bucket), '--mode', 'auto', '--table', world.table)).rejects.toThrow(
    /--state-table NAME/,
  );
  expect(await encrypted(bucket)).toBe(false);
});

it('ward respond --mode auto fixes and records; ward audit shows its steps; ward rollback shows, asks, restores', async () => {
  const bucket = await newBucket();
  const out = await wardWithoutRegion(
    'respond',
    '--event',
    eventFile(bucket),
    '--mode',
    'auto',
    '--table',
    world.table,
    '--state-table',
    world.stateTable,
    '--key-arn',
    world.keyArn,
    '--format',
    'json',
  );
  const result = JSON.parse(out);
  expect(result.outcome).toBe('remediated');
  expect(process.exitCode).toBe(0);
  expect(await encrypted(bucket)).toBe(true);

  const listed = await ward('audit', '--resource', bucket, '--table', world.table);
  expect(listed).toContain(result.auditId);
  expect(listed).toMatch(/remediated/);
  for (const step of ['received', 'decided', 'planned', 'applied', 'verified', 'completed'])
    expect(listed).toMatch(new RegExp(`^  \\S+  ${step}`, 'm'));
  expect(listed).toContain('(before-state recorded)');

  const shown = await ward('rollback', result.auditId, '--table', world.table, '--dry-run');
  expect(shown).toContain(`Resource: AWS::S3::Bucket ${bucket}`);
  expect(shown).toContain('"SSEAlgorithm": "aws:kms"');
  expect(shown).toContain('"rules": null');
  expect(shown).toContain('Dry run: nothing changed.');
  expect(await encrypted(bucket)).toBe(true);

  // Not on a terminal and without --yes: refused, nothing changed.
  await expect(ward('rollback', result.auditId, '--table', world.table)).rejects.toThrow(/pass --yes/);
  expect(await encrypted(bucket)).toBe(true);

  const rolled = await ward('rollback', result.auditId, '--table', world.table, '--yes');
  expect(rolled).toContain(
    `Rolled back ${result.auditId}: s3-enable-default-encryption restored AWS::S3::Bucket ${bucket}`,
  );
  expect(await encrypted(bucket)).toBe(false);
  const after = await ward('audit', '--id', result.auditId, '--table', world.table);
  expect(after).toContain('[rolled back]');
  expect(after).toMatch(/rolled-back +restored the before-state \(by arn:aws:/);
  await expect(ward('rollback', result.auditId, '--table', world.table, '--yes')).rejects.toThrow(
    /already rolled back/,
  );
});

it('ward rollback explains an unknown audit id', async () => {
  await expect(ward('rollback', 'no-such-id', '--table', world.table)).rejects.toThrow('no audit record no-such-id');
});

it('ward respond --suppressions leaves a suppressed finding alone, says why and exits 0; a bad file stops it', async () => {
  const bucket = await newBucket();
  const file = join(dir, `${uniqueName('supp')}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      suppressions: [
        { rule: 'encrypted-at-rest', code: 'unencrypted', resource: bucket, reason: 'Scratch bucket', owner: 'ops' },
      ],
    }),
  );
  const out = await ward('respond', '--event', eventFile(bucket), '--mode', 'dry-run', '--suppressions', file);
  expect(out).toContain('Decision: suppressed (dry-run mode)');
  expect(out).toContain(`Suppressed (owner ops): Scratch bucket [encrypted-at-rest/unencrypted ${bucket}]`);
  expect(out).toContain('Outcome: suppressed');
  expect(process.exitCode).toBe(0);
  expect(await encrypted(bucket)).toBe(false);
  writeFileSync(file, JSON.stringify({ suppressions: [{ rule: 'encrypted-at-rest', resource: bucket }] }));
  await expect(
    ward('respond', '--event', eventFile(bucket), '--mode', 'dry-run', '--suppressions', file),
  ).rejects.toThrow(new RegExp(`^suppressions ${file}: suppressions\\.0\\.reason`));
});
