import { parseAnyEvent, parseComplianceChangeEvent, parseSnsRecord, wardRuleId } from '../../../responder/event';
import { complianceChange, snsWrap } from './fixtures';

const change = complianceChange({ resourceType: 'AWS::S3::Bucket', resourceId: 'logs', oldCompliance: 'COMPLIANT' });

describe('compliance-change events', () => {
  it('accepts the captured EventBridge shape', () => {
    expect(parseComplianceChangeEvent(change).detail.newEvaluationResult.complianceType).toBe('NON_COMPLIANT');
  });

  it('accepts a first evaluation without oldEvaluationResult and with a null annotation', () => {
    const first = complianceChange({ resourceType: 'AWS::S3::Bucket', resourceId: 'logs' });
    const withNull = {
      ...first,
      detail: { ...first.detail, newEvaluationResult: { ...first.detail.newEvaluationResult, annotation: null } },
    };
    expect(parseComplianceChangeEvent(withNull).detail.oldEvaluationResult).toBeUndefined();
  });

  it.each([
    ['another detail-type', { ...change, 'detail-type': 'Config Configuration Item Change' }, /detail-type/],
    [
      'a detail without the account',
      { ...change, detail: { ...change.detail, awsAccountId: undefined } },
      /detail\.awsAccountId/,
    ],
    [
      'an unknown compliance type',
      { ...change, detail: { ...change.detail, newEvaluationResult: { complianceType: 'MAYBE' } } },
      /complianceType/,
    ],
  ])('rejects %s, saying which field', (_n, value, message) => {
    expect(() => parseComplianceChangeEvent(value)).toThrow(message);
  });

  it('unwraps an SNS record', () => {
    expect(parseSnsRecord(snsWrap(change).Records[0]).event.id).toBe(change.id);
  });

  it('rejects an SNS record whose message is not JSON', () => {
    expect(() => parseSnsRecord(snsWrap('not json').Records[0])).toThrow('the SNS message is not JSON');
  });

  it.each([
    ['a bare EventBridge event', change],
    ['an SNS Lambda event', snsWrap(change)],
    [
      'an SNS notification as delivered to SQS or HTTPS',
      { Type: 'Notification', MessageId: 'm', Message: JSON.stringify(change) },
    ],
  ])('reads %s for ward respond', (_n, value) => {
    expect(parseAnyEvent(value).id).toBe(change.id);
  });

  it('knows ward rule names inside conformance packs, where Config adds a suffix', () => {
    expect(wardRuleId('ward-encrypted-at-rest-conformance-pack-abc12xyz')).toBe('encrypted-at-rest');
    expect(wardRuleId('access-keys-rotated-conformance-pack-abc12xyz')).toBeUndefined();
  });

  it('knows ward rule names', () => {
    expect([wardRuleId('ward-encrypted-at-rest'), wardRuleId('s3-bucket-server-side-encryption-enabled')]).toEqual([
      'encrypted-at-rest',
      undefined,
    ]);
  });
});
