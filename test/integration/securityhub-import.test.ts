import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { rules } from '../../rules';
import { scan, tempDir } from '../unit/scan/scan-harness';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, useMotoEnvironment } from '../harness/moto';

/*
 * `ward scan --to securityhub` against moto: BatchImportFindings upserts by Id there as in Security Hub. moto's
 * GetFindings ignores filters, so the filtering (ward's own active findings only) and batching are covered by
 * unit tests (test/unit/reports/securityhub.test.ts); here the round trip and the second, updating import.
 */

const region = motoRegion(__filename);
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

async function wardFindings(): Promise<Map<string, AwsSecurityFinding>> {
  const out = new Map<string, AwsSecurityFinding>();
  let token: string | undefined;
  do {
    const page = await hub().send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
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

  it('does not import findings of another account, and exits 2 saying so', async () => {
    const r = await scan(
      [SAMPLE],
      { format: 'json', rules: 'no-wildcard-actions', to: 'securityhub', region },
      '',
      rules,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /failed ward\/v1\/no-wildcard-actions\/[0-9a-f]+: OtherAccount: account 111122223333 is not the caller's/,
    );
  });
});
