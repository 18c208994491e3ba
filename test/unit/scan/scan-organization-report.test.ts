import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { ScopeScanOptions } from '../../../scan/inputs/live-scope';
import { runScan, type ScanOptions } from '../../../scan/run';
import { TEST_RULES, tempDir } from './scan-harness';

/*
 * How `ward scan` reports an organization scan, with the account and aggregator scans replaced by fakes that
 * report two accounts: the SARIF automation id names how the scan was asked, and the summary by account and
 * region reaches the JSON report and the table.
 */
function report(options: ScopeScanOptions): void {
  const rule = options.rules[0];
  for (const accountId of ['111111111111', '222222222222']) {
    options.onEvaluation(
      rule,
      {
        resourceType: 'AWS::SNS::Topic',
        resourceId: `arn:aws:sns:eu-west-1:${accountId}:t`,
        compliance: 'NON_COMPLIANT',
        annotation: 'SNS topic has no KmsMasterKeyId.',
        findings: [{ code: 'no-kms-key', message: 'SNS topic has no KmsMasterKeyId.' }],
      },
      { accountId, region: 'eu-west-1' },
    );
    options.onScope?.({
      accountId,
      region: 'eu-west-1',
      status: 'scanned',
      evaluations: 1,
      nonCompliant: 1,
      errors: 0,
    });
  }
}

jest.mock('../../../scan/inputs/live-org', () => ({ scanAccounts: async (o: ScopeScanOptions) => report(o) }));
jest.mock('../../../scan/inputs/live-aggregator', () => ({ scanAggregator: async (o: ScopeScanOptions) => report(o) }));

async function run(options: ScanOptions, cwd: string) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const code = await runScan(
    [],
    { rules: 'topic-key-example', ...options },
    {
      stdin: Readable.from([]),
      stdout,
      stderr: new PassThrough(),
      env: { AWS_REGION: 'eu-west-1' },
      registry: TEST_RULES,
      cwd,
    },
  );
  return { code, stdout: out };
}

describe('ward scan across accounts: the report', () => {
  it.each([
    [{ aggregator: 'ward' }, 'ward/aggregator-ward/'],
    [{ org: true, roleName: 'ward-reader' }, 'ward/org/'],
    [{ accounts: '111111111111,222222222222', roleName: 'ward-reader' }, 'ward/111111111111+222222222222/'],
  ])('names the SARIF run by how the scan was asked (%j)', async (flags, id) => {
    const dir = tempDir();
    const r = await run({ ...flags, format: 'sarif', output: join(dir, 'org.sarif') }, dir);
    expect(r.code).toBe(0);
    const log = JSON.parse(readFileSync(join(dir, 'org.sarif'), 'utf8'));
    expect(log.runs[0].automationDetails.id).toBe(id);
    expect(log.runs[0].results.map((x: { properties: { accountId: string } }) => x.properties.accountId)).toEqual([
      '111111111111',
      '222222222222',
    ]);
  });

  it('carries the summary by account and region into the JSON report and the table', async () => {
    const dir = tempDir();
    const json = JSON.parse((await run({ org: true, roleName: 'ward-reader', format: 'json' }, dir)).stdout);
    expect(json.summary.scope.map((r: { accountId: string; status: string }) => [r.accountId, r.status])).toEqual([
      ['111111111111', 'scanned'],
      ['222222222222', 'scanned'],
    ]);
    const table = (await run({ org: true, roleName: 'ward-reader', color: 'never' }, dir)).stdout;
    expect(table).toContain('By account and region');
    expect(table).toMatch(/222222222222 {2}eu-west-1 +scanned {2}1 evaluation, 1 non-compliant/);
  });
});
