/**
 * The responder forwarding compliance changes to Security Hub against moto (real SDK, the handler in-process):
 * BatchImportFindings upserts by Id there as in Security Hub. moto's GetFindings ignores filters, so the test
 * filters the answer itself (by Id).
 */
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { stepOf } from '../../responder/audit-steps';
import { createResponderHandler } from '../../responder/handler';
import { createSecurityHubForwarder } from '../../responder/securityhub-forwarder';
import { importFindings } from '../../scan/outputs/securityhub';
import { callerAccountClients } from '../../scan/outputs/securityhub-clients';
import { asffId } from '../../scan/outputs/asff';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';
import { complianceChange, snsWrap } from '../unit/responder/fixtures';
import { createResponderWorld, type ResponderWorld } from './responder-setup';

const region = motoRegion(__filename);
let restore: () => void;
let world: ResponderWorld;

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  world = await createResponderWorld(region);
  await new SecurityHubClient(motoClientConfig(region)).send(new EnableSecurityHubCommand({}));
});
afterAll(() => restore());

/** Every finding with this Id in Security Hub of moto's account (GetFindings ignores filters there). */
async function findingsWithId(id: string): Promise<AwsSecurityFinding[]> {
  const out: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await new SecurityHubClient(motoClientConfig(region)).send(
      new GetFindingsCommand({
        Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] },
        MaxResults: 100,
        NextToken: token,
      }),
    );
    out.push(...(page.Findings ?? []).filter((f) => f.Id === id));
    token = page.NextToken;
  } while (token);
  return out;
}

function handlerWith(forward: boolean) {
  const deps = world.deps({ accountId: MOTO_ACCOUNT, forwardToSecurityHub: forward });
  return createResponderHandler(forward ? { ...deps, forwardFinding: createSecurityHubForwarder() } : deps);
}

const change = (bucket: string, newCompliance: string, oldCompliance?: string) =>
  complianceChange({
    resourceType: 'AWS::S3::Bucket',
    resourceId: bucket,
    accountId: MOTO_ACCOUNT,
    region,
    newCompliance,
    ...(oldCompliance ? { oldCompliance } : {}),
    annotation: newCompliance === 'NON_COMPLIANT' ? 'Default encryption is not enabled.' : undefined,
  });

describe('the responder with responder.forwardToSecurityHub on', () => {
  it('imports FAILED on the violation, updates the same finding to PASSED, then ARCHIVED when the bucket is deleted', async () => {
    const bucket = uniqueName('ward-fwd');
    const id = asffId('encrypted-at-rest', MOTO_ACCOUNT, region, 'AWS::S3::Bucket', bucket);
    const handler = handlerWith(true);

    const first = await handler(snsWrap(change(bucket, 'NON_COMPLIANT')));
    const r1 = first.results[0];
    expect(r1.forwarded).toMatchObject({ ok: true, findingId: id, status: 'FAILED', recordState: 'ACTIVE' });
    const history = await world.store.history(r1.auditId);
    expect(stepOf(history, 'forwarded')).toMatchObject({ ok: true, findingId: id });
    // The audit table's sort keys read the new step back in the order it was taken.
    expect(history.map((h) => h.step)).toEqual(['received', 'decided', 'forwarded', 'alerted', 'completed']);
    let found = await findingsWithId(id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      GeneratorId: 'ward/encrypted-at-rest',
      ProductArn: `arn:aws:securityhub:${region}:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`,
      AwsAccountId: MOTO_ACCOUNT,
    });
    expect(found[0].Workflow?.Status ?? 'NEW').toBe('NEW');

    await handler(snsWrap(change(bucket, 'COMPLIANT', 'NON_COMPLIANT')));
    found = await findingsWithId(id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ACTIVE' });

    await handler(snsWrap(change(bucket, 'NOT_APPLICABLE', 'COMPLIANT')));
    found = await findingsWithId(id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' });
    await world.alerts();
  });

  it('updates the finding `ward scan --to securityhub` imported for the same rule and resource', async () => {
    const bucket = uniqueName('ward-fwd');
    const id = asffId('encrypted-at-rest', MOTO_ACCOUNT, region, 'AWS::S3::Bucket', bucket);
    const handler = handlerWith(true);
    const { results } = await handler(snsWrap(change(bucket, 'NON_COMPLIANT')));
    const forwarded = (await findingsWithId(id))[0];
    // What a scan imports for it later: the same Id, now PASSED.
    const scanFinding = { ...forwarded, Compliance: { Status: 'PASSED' }, UpdatedAt: new Date().toISOString() };
    const r = await importFindings([scanFinding as never], {
      rules: ['encrypted-at-rest'],
      now: new Date().toISOString(),
      clients: callerAccountClients(),
      archiveMissing: false,
    });
    expect(r).toMatchObject({ imported: 1, failed: [], notImported: [] });
    const after = await findingsWithId(id);
    expect(after).toHaveLength(1);
    expect(after[0].Compliance?.Status).toBe('PASSED');
    expect(results[0].forwarded?.findingId).toBe(id);
    await world.alerts();
  });

  it('records the failure, and still alerts saying so, when Security Hub cannot be reached', async () => {
    const bucket = uniqueName('ward-fwd');
    // moto accepts every import (any region, Security Hub enabled or not), so the failure here is a refused
    // connection: Security Hub's endpoint alone points at a closed port (AWS_ENDPOINT_URL_SECURITYHUB).
    const saved = process.env.AWS_ENDPOINT_URL_SECURITYHUB;
    process.env.AWS_ENDPOINT_URL_SECURITYHUB = 'http://127.0.0.1:9';
    try {
      const { results } = await handlerWith(true)(snsWrap(change(bucket, 'NON_COMPLIANT')));
      expect(results[0].outcome).toBe('notified');
      const history = await world.store.history(results[0].auditId);
      expect(stepOf(history, 'forwarded')).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
      expect(stepOf(history, 'alerted')).toBeDefined();
      expect(stepOf(history, 'completed')?.outcome).toBe('notified');
      const alerts = await world.alerts();
      expect(alerts.some((a) => a.text.includes('Security Hub: forwarding FAILED'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECURITYHUB;
      else process.env.AWS_ENDPOINT_URL_SECURITYHUB = saved;
    }
  });

  it('imports nothing with the flag off', async () => {
    const bucket = uniqueName('ward-fwd');
    const { results } = await handlerWith(false)(snsWrap(change(bucket, 'NON_COMPLIANT')));
    expect(results[0].forwarded).toBeUndefined();
    expect(await findingsWithId(asffId('encrypted-at-rest', MOTO_ACCOUNT, region, 'AWS::S3::Bucket', bucket))).toEqual(
      [],
    );
    await world.alerts();
  });
});
