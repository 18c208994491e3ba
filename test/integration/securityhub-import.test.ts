import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { PassThrough, Readable } from 'node:stream';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { rules } from '../../rules';
import { clientsFromCredentials } from '../../scan/outputs/securityhub-clients';
import { runScan } from '../../scan/run';
import { scan, tempDir } from '../unit/scan/scan-harness';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, useMotoEnvironment } from '../harness/moto';

/*
 * `ward scan --to securityhub` against moto: BatchImportFindings upserts by Id there as in Security Hub. moto's
 * GetFindings ignores filters, so the filtering (ward's own active findings only) and batching are covered by
 * unit tests (test/unit/reports/securityhub.test.ts); here the round trip and the second, updating import.
 */

const region = motoRegion(__filename);
/** The sample's account, imported through credentials of its own (a member of an organization). */
const MEMBER = '111122223333';
/** An account the scan has no credentials for. */
const STRANGER = '444455556666';
const SAMPLE = join(__dirname, '..', '..', 'examples', 'config-snapshot.json');
let restore: () => void;
const hub = () => new SecurityHubClient(motoClientConfig(region));

/** A configuration item, as far as the test edits it. */
type Item = { resourceId: string; configuration: Record<string, unknown> };

/** The sample, moved into moto's account, with `edit` applied to its items. */
function sample(dir: string, name: string, edit: (items: Item[]) => Item[]): string {
  const doc = JSON.parse(readFileSync(SAMPLE, 'utf8').split('111122223333').join(MOTO_ACCOUNT));
  doc.configurationItems = edit(doc.configurationItems);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** ward's findings in Security Hub of moto's account, in `inRegion` (default: the test's region). */
async function wardFindings(inRegion = region): Promise<Map<string, AwsSecurityFinding>> {
  const out = new Map<string, AwsSecurityFinding>();
  let token: string | undefined;
  do {
    const page = await new SecurityHubClient(motoClientConfig(inRegion)).send(
      new GetFindingsCommand({ MaxResults: 100, NextToken: token }),
    );
    for (const f of page.Findings ?? []) if (f.GeneratorId?.startsWith('ward/') && f.Id) out.set(f.Id, f);
    token = page.NextToken;
  } while (token);
  return out;
}

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  await hub().send(new EnableSecurityHubCommand({}));
});
afterAll(() => restore());

describe('ward scan --to securityhub', () => {
  it('imports FAILED and PASSED findings, then updates them in place: fixed -> PASSED, gone -> ARCHIVED', async () => {
    const dir = tempDir();
    const first = sample(dir, 'first.json', (items) => items);
    const r1 = await scan(
      [first],
      { format: 'json', rules: 'no-wildcard-actions', to: 'securityhub', region },
      '',
      rules,
    );
    expect(r1.stderr).toMatch(/Security Hub: \d+ findings imported, 0 archived, 0 failed/);
    expect(r1.code).toBe(0);
    const report = JSON.parse(r1.stdout);
    const judged = report.evaluations.filter((e: { compliance: string }) => e.compliance !== 'NOT_APPLICABLE');
    const afterFirst = await wardFindings();
    expect(afterFirst.size).toBe(judged.length);
    const byResource = (id: string) =>
      [...afterFirst.values()].find((f) => f.ProductFields?.['ward/resourceId'] === id);
    const breakGlass = byResource('AROAYWILDBREAKGLASS1');
    const legacy = byResource('ANPAYSAMPLELEGACYADM');
    expect(breakGlass?.Compliance?.Status).toBe('FAILED');
    expect(breakGlass?.ProductArn).toBe(
      `arn:aws:securityhub:${region}:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`,
    );
    expect(legacy?.Compliance?.RelatedRequirements).toEqual(
      expect.arrayContaining(['aws-fsbp:IAM.1', 'cis-aws-3.0.0:1.16']),
    );
    expect(legacy?.Severity?.Label).toBe('CRITICAL');

    // The break-glass role loses its AdministratorAccess attachment; the legacy admin policy is deleted.
    const second = sample(dir, 'second.json', (items) =>
      items
        .filter((i) => i.resourceId !== 'ANPAYSAMPLELEGACYADM')
        .map((i) =>
          i.resourceId === 'AROAYWILDBREAKGLASS1'
            ? { ...i, configuration: { ...i.configuration, attachedManagedPolicies: [] } }
            : i,
        ),
    );
    const r2 = await scan(
      [second],
      { format: 'json', rules: 'no-wildcard-actions', to: 'securityhub', region },
      '',
      rules,
    );
    expect(r2.stderr).toMatch(/Security Hub: \d+ findings imported, 1 archived, 0 failed/);
    const afterSecond = await wardFindings();
    expect(afterSecond.size).toBe(afterFirst.size); // updated in place, not duplicated
    expect(afterSecond.get(breakGlass?.Id as string)?.Compliance?.Status).toBe('PASSED');
    expect(afterSecond.get(breakGlass?.Id as string)?.CreatedAt).toBe(breakGlass?.CreatedAt);
    expect(afterSecond.get(legacy?.Id as string)?.RecordState).toBe('ARCHIVED');
    for (const f of afterSecond.values()) {
      expect(f.Workflow?.Status ?? 'NEW').toBe('NEW');
      expect(f.Note).toBeUndefined();
      expect(f.UserDefinedFields).toBeUndefined();
    }
  });

  it('archives nothing after an incomplete scan: a resource missing from it proves nothing', async () => {
    const dir = tempDir();
    const opts = { format: 'json', rules: 'encrypted-at-rest', to: 'securityhub', region } as const;
    const first = await scan([sample(dir, 'all.json', (items) => items)], opts, '', rules);
    expect(first.code).toBe(0);
    // The sample's stores are in us-east-1: their findings are imported there (IAM's go to --region).
    const before = [...(await wardFindings('us-east-1')).values()].filter(
      (f) => f.GeneratorId === 'ward/encrypted-at-rest' && f.RecordState === 'ACTIVE',
    );
    expect(before.length).toBeGreaterThan(1);
    const dropped = before[0].ProductFields?.['ward/resourceId'] as string;
    // The second scan misses one resource and could not read one of its inputs.
    const unreadable = join(dir, 'unreadable.json');
    writeFileSync(unreadable, '{"configurationItems": [');
    const partial = sample(dir, 'partial.json', (items) => items.filter((i) => i.resourceId !== dropped));
    const second = await scan([partial, unreadable], opts, '', rules);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('the scan is incomplete, so earlier findings it did not produce are not archived');
    expect(second.stderr).toMatch(/Security Hub: \d+ findings imported, 0 archived, 0 failed/);
    const after = await wardFindings('us-east-1');
    expect(after.get(before[0].Id as string)?.RecordState).toBe('ACTIVE');
  });

  it('does not import findings of another account, and exits 2 saying so', async () => {
    const r = await scan(
      [SAMPLE],
      { format: 'json', rules: 'no-wildcard-actions', to: 'securityhub', region },
      '',
      rules,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Security Hub: \d+ findings of account 111122223333 in [a-z0-9-]+ not imported: the credentials in use are account 123456789012's/,
    );
    expect(r.stderr).toMatch(/0 findings imported, 0 archived, 0 failed, \d+ not imported/);
  });

  it("imports an organization's findings through each member's credentials; an account without any is not imported", async () => {
    // The member's credentials come from STS AssumeRole (moto routes them to the role's account), as an
    // organization scan's member roles would give them.
    const sts = new STSClient(motoClientConfig(region));
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/ward-scan`, RoleSessionName: 'ward-test' }),
    );
    const member = {
      accessKeyId: assumed.Credentials?.AccessKeyId as string,
      secretAccessKey: assumed.Credentials?.SecretAccessKey as string,
      sessionToken: assumed.Credentials?.SessionToken as string,
    };
    const memberHub = () => new SecurityHubClient({ ...motoClientConfig(region), credentials: member });
    await memberHub().send(new EnableSecurityHubCommand({}));
    const dir = tempDir();
    const doc = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const items = doc.configurationItems as Record<string, unknown>[];
    // The sample's account (111122223333) is the member; a copy of it in a third account has no credentials.
    doc.configurationItems = [...items, ...JSON.parse(JSON.stringify(items).split('111122223333').join(STRANGER))];
    const file = join(dir, 'org.json');
    writeFileSync(file, JSON.stringify(doc));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await runScan(
      [file],
      { format: 'json', rules: 'no-wildcard-actions', to: 'securityhub', region },
      {
        stdin: Readable.from([]),
        stdout,
        stderr,
        env: {},
        registry: rules,
        securityHubClients: clientsFromCredentials((account) => (account === MEMBER ? member : undefined)),
      },
    );
    expect(code).toBe(2);
    const report = JSON.parse(out);
    const judged = (account: string) =>
      report.evaluations.filter(
        (e: { compliance: string; accountId: string }) => e.compliance !== 'NOT_APPLICABLE' && e.accountId === account,
      ).length;
    expect(judged(MEMBER)).toBeGreaterThan(0);
    expect(err).toMatch(
      new RegExp(
        `Security Hub: ${judged(MEMBER)} findings imported, 0 archived, 0 failed, ${judged(STRANGER)} not imported`,
      ),
    );
    expect(err).toMatch(
      new RegExp(
        `${judged(STRANGER)} findings of account ${STRANGER} in \\S+ not imported: no credentials for account ${STRANGER}`,
      ),
    );
    // In the member's Security Hub: its findings, in its default product.
    const seen: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await memberHub().send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      seen.push(...(page.Findings ?? []));
      token = page.NextToken;
    } while (token);
    const ward = seen.filter((f) => f.GeneratorId?.startsWith('ward/'));
    expect(ward).toHaveLength(judged(MEMBER));
    expect(new Set(ward.map((f) => f.ProductArn))).toEqual(
      new Set([`arn:aws:securityhub:${region}:${MEMBER}:product/${MEMBER}/default`]),
    );
    expect(ward.some((f) => f.AwsAccountId === STRANGER)).toBe(false);
  });
});
