import type { LiveScanOptions } from '../../../scan/inputs/live';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan, tempDir, topicKeyRule } from './scan-harness';
import type { AnyRule } from '../../../rules/runtime/types';

const calls: LiveScanOptions[] = [];

jest.mock('../../../scan/inputs/live', () => ({
  scanLive: async (options: LiveScanOptions) => {
    calls.push(options);
    const rule = options.rules[0];
    options.onEvaluation(
      rule,
      {
        resourceType: 'AWS::SNS::Topic',
        resourceId: 'arn:aws:sns:eu-west-1:111122223333:t',
        compliance: 'NON_COMPLIANT',
        annotation: 'SNS topic has no KmsMasterKeyId.',
        findings: [{ code: 'no-kms-key', message: 'SNS topic has no KmsMasterKeyId.' }],
      },
      { accountId: '111122223333', region: 'eu-west-1' },
    );
    options.onError('eu-west-1 AWS::SNS::Topic: AccessDenied');
    options.onSkipped(options.rules[1], 'invalid parameters');
  },
}));

describe('ward scan --live', () => {
  beforeEach(() => calls.splice(0));

  it('delegates to scanLive, reports what it hears, and exits 2 when a region, type or rule was not judged', async () => {
    const r = await scan([], { live: true, region: 'eu-west-1, us-east-1', format: 'json', failOn: 'non-compliant' });
    expect(calls).toHaveLength(1);
    expect(calls[0].regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(calls[0].rules.map((x) => x.meta.id)).toEqual([
      'topic-key-example',
      'lookup-example',
      'periodic-only-example',
    ]);
    expect(calls[0].paramsFor(topicKeyRule as AnyRule)).toBeUndefined();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ward scan: eu-west-1 AWS::SNS::Topic: AccessDenied\nward scan: lookup-example not run: invalid parameters\n',
    );
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({
      mode: 'live',
      regions: ['eu-west-1', 'us-east-1'],
      compliance: { NON_COMPLIANT: 1 },
      errors: ['eu-west-1 AWS::SNS::Topic: AccessDenied'],
      skippedRules: [{ rule: 'lookup-example', reason: 'invalid parameters' }],
      notJudged: {
        count: 2,
        entries: [
          { kind: 'scope', subject: '', problem: 'eu-west-1 AWS::SNS::Topic: AccessDenied' },
          { kind: 'rule', subject: 'lookup-example', problem: 'invalid parameters' },
        ],
      },
    });
  });

  it('checks --params before reading anything live: an unknown parameter exits 2 naming it', async () => {
    const file = join(tempDir(), 'params.json');
    writeFileSync(file, JSON.stringify({ 'topic-key-example': { exemptTagg: 'x' } }));
    const r = await scan([], { live: true, region: 'us-east-1', params: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown parameter "exemptTagg" \(did you mean "exemptTag"\?\)/);
    expect(calls).toHaveLength(0);
  });

  it('exits 2 when nothing could be read, with or without --fail-on', async () => {
    for (const failOn of [undefined, 'non-compliant']) {
      const r = await scan([], { live: true, region: 'eu-west-1', format: 'json', failOn });
      expect(r.code).toBe(2);
    }
  });

  it('exits 2 without a region', async () => {
    const r = await scan([], { live: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--live needs --region/);
    expect(calls).toHaveLength(0);
  });

  it('exits 2 when given input files too', async () => {
    const r = await scan(['snapshot.json'], { live: true, region: 'us-east-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/do not pass input files/);
  });
});
