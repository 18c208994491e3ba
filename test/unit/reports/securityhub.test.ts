import { join } from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { rules } from '../../../rules';
import { asffResourceType, defaultProductArn } from '../../../scan/outputs/asff';
import {
  archivedCopy,
  batchFindings,
  importFindings,
  IMPORT_LIMITS,
  wardActiveFindings,
} from '../../../scan/outputs/securityhub';
import { clientsFromCredentials, isNoClient } from '../../../scan/outputs/securityhub-clients';
import { scan } from '../scan/scan-harness';

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'config-snapshot.json');
const PRODUCT = defaultProductArn('111122223333', 'eu-west-1');

describe('ward scan --format asff', () => {
  it('prints one ASFF finding per judged evaluation with the required fields, FAILED or PASSED', async () => {
    const r = await scan([SAMPLE], { format: 'asff' }, '', rules);
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout);
    const json = JSON.parse((await scan([SAMPLE], { format: 'json' }, '', rules)).stdout);
    const judged = json.evaluations.filter((e: { compliance: string }) => e.compliance !== 'NOT_APPLICABLE');
    expect(findings).toHaveLength(judged.length);
    const required = [
      'SchemaVersion',
      'Id',
      'ProductArn',
      'GeneratorId',
      'AwsAccountId',
      'Types',
      'CreatedAt',
      'UpdatedAt',
      'Severity',
      'Title',
      'Description',
      'Resources',
    ];
    for (const f of findings) {
      for (const k of required) expect(f).toHaveProperty(k);
      expect(f.SchemaVersion).toBe('2018-10-08');
      expect(f.Types).toContain('Software and Configuration Checks/AWS Security Best Practices');
      expect(['FAILED', 'PASSED']).toContain(f.Compliance.Status);
      expect(f.Remediation.Recommendation.Url).toMatch(/\/rules\/[a-z-]+\/README\.md$/);
      expect(f).not.toHaveProperty('Workflow');
      expect(f).not.toHaveProperty('Note');
      expect(f).not.toHaveProperty('UserDefinedFields');
      expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThan(IMPORT_LIMITS.findingBytes);
    }
    expect(new Set(findings.map((f: { Id: string }) => f.Id)).size).toBe(findings.length);
    const failed = findings.filter((f: { Compliance: { Status: string } }) => f.Compliance.Status === 'FAILED');
    expect(failed).toHaveLength(json.summary.compliance.NON_COMPLIANT);
  });

  it('gives the same Ids on a second run, so a re-import updates', async () => {
    const a = JSON.parse((await scan([SAMPLE], { format: 'asff' }, '', rules)).stdout).map((f: { Id: string }) => f.Id);
    const b = JSON.parse((await scan([SAMPLE], { format: 'asff' }, '', rules)).stdout).map((f: { Id: string }) => f.Id);
    expect(b).toEqual(a);
  });

  it('spells resource types the ASFF way', () => {
    expect(asffResourceType('AWS::S3::Bucket')).toBe('AwsS3Bucket');
    expect(asffResourceType('AWS::IAM::Role')).toBe('AwsIAMRole');
  });
});

describe('batchFindings', () => {
  const f = (id: string, pad = 0) => ({ Id: id, pad: 'x'.repeat(pad) });

  it('puts at most 100 findings in a call', () => {
    const { batches } = batchFindings(Array.from({ length: 250 }, (_, i) => f(String(i))));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('keeps each call under 6 MB and refuses a finding over 240 KB', () => {
    const big = Array.from({ length: 60 }, (_, i) => f(String(i), 200 * 1024));
    const { batches, tooLarge } = batchFindings([...big, f('huge', 300 * 1024)]);
    expect(tooLarge.map((x) => x.Id)).toEqual(['huge']);
    for (const b of batches) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(IMPORT_LIMITS.callBytes);
    expect(batches.flat()).toHaveLength(60);
  });
});

describe('wardActiveFindings', () => {
  const base = {
    ProductArn: PRODUCT,
    AwsAccountId: '111122223333',
    RecordState: 'ACTIVE',
    GeneratorId: 'ward/no-wildcard-actions',
  };
  it('keeps only ward findings of the scanned rules, account and product that are still active', () => {
    const all = [
      { ...base, Id: 'keep' },
      { ...base, Id: 'archived', RecordState: 'ARCHIVED' },
      { ...base, Id: 'other-rule', GeneratorId: 'ward/encrypted-at-rest' },
      { ...base, Id: 'not-ward', GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/IAM.1' },
      { ...base, Id: 'other-product', ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub' },
      { ...base, Id: 'other-account', AwsAccountId: '999999999999' },
    ] as AwsSecurityFinding[];
    const kept = wardActiveFindings(all, {
      productArn: PRODUCT,
      account: '111122223333',
      rules: ['no-wildcard-actions'],
    });
    expect(kept.map((x) => x.Id)).toEqual(['keep']);
  });

  it('archives without the customer-owned Workflow, Note and UserDefinedFields', () => {
    const copy = archivedCopy(
      {
        ...base,
        Id: 'x',
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'ok', UpdatedBy: 'me', UpdatedAt: 'now' },
        UserDefinedFields: { a: 'b' },
      } as unknown as AwsSecurityFinding,
      '2026-01-01T00:00:00.000Z',
    );
    expect(copy.RecordState).toBe('ARCHIVED');
    expect(copy).not.toHaveProperty('Workflow');
    expect(copy).not.toHaveProperty('Note');
    expect(copy).not.toHaveProperty('UserDefinedFields');
  });
});

describe('importFindings', () => {
  it('retries findings reported failed, reports those that stay failed, and paces calls to 10 a second', async () => {
    const calls: { name: string; ids?: string[] }[] = [];
    const slept: number[] = [];
    const client = {
      send: async (cmd: { constructor: { name: string }; input: { Findings?: { Id: string }[] } }) => {
        const name = cmd.constructor.name;
        calls.push({ name, ids: cmd.input.Findings?.map((x) => x.Id) });
        if (name === 'GetFindingsCommand') return { Findings: [] };
        return {
          FailedFindings: (cmd.input.Findings ?? [])
            .filter((x) => x.Id === 'bad')
            .map((x) => ({ Id: x.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'nope' })),
        };
      },
    };
    const finding = (Id: string) => ({ Id, AwsAccountId: '111122223333', Region: 'eu-west-1' }) as never;
    const r = await importFindings([finding('good'), finding('bad')], {
      rules: ['no-wildcard-actions'],
      now: '2026-01-01T00:00:00.000Z',
      clients: { clientFor: async () => client as never },
      sleep: async (ms) => void slept.push(ms),
      retries: 2,
    });
    expect(r.imported).toBe(1);
    expect(r.failed).toEqual([{ id: 'bad', code: 'InvalidInput', message: 'nope' }]);
    expect(calls.filter((c) => c.name === 'BatchImportFindingsCommand').map((c) => c.ids)).toEqual([
      ['good', 'bad'],
      ['bad'],
      ['bad'],
    ]);
    expect(slept.length).toBeGreaterThan(0);
    expect(slept.every((ms) => ms > 0 && ms <= 100)).toBe(true);
  });

  /** A fake Security Hub of one account: records what each call sent; `existing` answers GetFindings. */
  function fakeHub(account: string, existing: AwsSecurityFinding[] = [], fail?: Error) {
    const sent: { Id: string; AwsAccountId: string; ProductArn: string; RecordState: string }[] = [];
    return {
      sent,
      client: {
        send: async (cmd: { constructor: { name: string }; input: { Findings?: (typeof sent)[number][] } }) => {
          if (fail) throw fail;
          if (cmd.constructor.name === 'GetFindingsCommand') return { Findings: existing };
          for (const f of cmd.input.Findings ?? []) {
            // What Security Hub enforces: the caller imports into its own account's default product only.
            if (f.AwsAccountId !== account)
              throw new Error(`account ${account} imported a finding of ${f.AwsAccountId}`);
            sent.push(f);
          }
          return { FailedFindings: [] };
        },
      },
    };
  }
  const asff = (Id: string, account: string, region = 'eu-west-1') =>
    ({
      Id,
      AwsAccountId: account,
      Region: region,
      ProductArn: defaultProductArn(account, region),
      RecordState: 'ACTIVE',
    }) as never;
  const options = { rules: ['no-wildcard-actions'], now: '2026-01-01T00:00:00.000Z', sleep: async () => undefined };

  it("imports each account's findings through the client of that account and region", async () => {
    const a = fakeHub('111122223333');
    const b = fakeHub('444455556666');
    const asked: string[] = [];
    const r = await importFindings(
      [asff('a1', '111122223333'), asff('b1', '444455556666'), asff('a2', '111122223333', 'us-east-1')],
      {
        ...options,
        clients: {
          clientFor: async (account, region) => {
            asked.push(`${account} ${region}`);
            return (account === '111122223333' ? a : b).client as never;
          },
        },
      },
    );
    expect(asked).toEqual(['111122223333 eu-west-1', '111122223333 us-east-1', '444455556666 eu-west-1']);
    expect(r).toEqual({ imported: 3, archived: 0, failed: [], notImported: [] });
    expect(a.sent.map((f) => f.Id)).toEqual(['a1', 'a2']);
    expect(b.sent.map((f) => f.ProductArn)).toEqual([defaultProductArn('444455556666', 'eu-west-1')]);
  });

  it('reports the findings of an account with no client as not imported, and still imports the others', async () => {
    const a = fakeHub('111122223333');
    const r = await importFindings(
      [asff('a1', '111122223333'), asff('b1', '444455556666'), asff('b2', '444455556666')],
      { ...options, clients: clientsFromCredentials(() => undefined) },
    );
    // clientsFromCredentials(() => undefined) has no client for anyone: nothing is sent, everything is listed.
    expect(r).toEqual({
      imported: 0,
      archived: 0,
      failed: [],
      notImported: [
        {
          account: '111122223333',
          region: 'eu-west-1',
          findings: 1,
          reason: expect.stringContaining('no credentials'),
        },
        { account: '444455556666', region: 'eu-west-1', findings: 2, reason: expect.stringContaining('444455556666') },
      ],
    });
    const partly = await importFindings([asff('a1', '111122223333'), asff('b1', '444455556666')], {
      ...options,
      clients: {
        clientFor: async (account) =>
          account === '111122223333' ? (a.client as never) : { unavailable: 'no member role for 444455556666' },
      },
    });
    expect(partly.imported).toBe(1);
    expect(partly.notImported).toEqual([
      { account: '444455556666', region: 'eu-west-1', findings: 1, reason: 'no member role for 444455556666' },
    ]);
  });

  it('reports every finding of an account whose calls are refused as failed, and imports the next account', async () => {
    const denied = Object.assign(new Error('not authorized to perform securityhub:GetFindings'), {
      name: 'AccessDeniedException',
    });
    const a = fakeHub('111122223333', [], denied);
    const b = fakeHub('444455556666');
    const r = await importFindings([asff('a1', '111122223333'), asff('b1', '444455556666')], {
      ...options,
      clients: { clientFor: async (account) => (account === '111122223333' ? a : b).client as never },
    });
    expect(r.imported).toBe(1);
    expect(r.failed).toEqual([
      { id: 'a1', code: 'AccessDeniedException', message: expect.stringContaining('account 111122223333 eu-west-1') },
    ]);
  });

  it('archives ward findings this run no longer produced, but none when the scan was incomplete', async () => {
    const earlier = {
      ...(asff('old', '111122223333') as object),
      GeneratorId: 'ward/no-wildcard-actions',
    } as AwsSecurityFinding;
    for (const [archiveMissing, expected] of [
      [true, ['new', 'old']],
      [false, ['new']],
    ] as const) {
      const a = fakeHub('111122223333', [earlier]);
      const r = await importFindings([asff('new', '111122223333')], {
        ...options,
        archiveMissing,
        clients: { clientFor: async () => a.client as never },
      });
      expect(a.sent.map((f) => f.Id)).toEqual(expected);
      expect(r.archived).toBe(archiveMissing ? 1 : 0);
      if (archiveMissing) expect(a.sent[1].RecordState).toBe('ARCHIVED');
    }
  });

  it('builds member clients on the credentials given for the account, in the region asked', async () => {
    const clients = clientsFromCredentials((account) =>
      account === '111122223333' ? { accessKeyId: 'AKIAMEMBER', secretAccessKey: 'x' } : undefined,
    );
    const member = await clients.clientFor('111122223333', 'eu-central-1');
    expect(isNoClient(member)).toBe(false);
    if (isNoClient(member)) return;
    expect(await member.config.region()).toBe('eu-central-1');
    expect((await member.config.credentials()).accessKeyId).toBe('AKIAMEMBER');
    expect(await clients.clientFor('111122223333', 'eu-central-1')).toBe(member);
    expect(await clients.clientFor('444455556666', 'eu-central-1')).toEqual({
      unavailable: 'no credentials for account 444455556666 in this scan',
    });
  });
});
