import type { LiveScanOptions } from '../../../scan/inputs/live';
import { scan, topicKeyRule } from './scan-harness';
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

  it('delegates to scanLive with the selected rules, regions and parameters, and reports what it hears', async () => {
    const r = await scan([], { live: true, region: 'eu-west-1, us-east-1', format: 'json', failOn: 'non-compliant' });
    expect(calls).toHaveLength(1);
    expect(calls[0].regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(calls[0].rules.map((x) => x.meta.id)).toEqual([
      'topic-key-example',
      'lookup-example',
      'periodic-only-example',
    ]);
    expect(calls[0].paramsFor(topicKeyRule as AnyRule)).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ward scan: eu-west-1 AWS::SNS::Topic: AccessDenied\n');
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({
      mode: 'live',
      regions: ['eu-west-1', 'us-east-1'],
      compliance: { NON_COMPLIANT: 1 },
      errors: ['eu-west-1 AWS::SNS::Topic: AccessDenied'],
      skippedRules: [{ rule: 'lookup-example', reason: 'invalid parameters' }],
    });
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
