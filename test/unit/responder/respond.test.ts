import { createResponderHandler, depsFromEnv } from '../../../responder/handler';
import { runbookIdFor } from '../../../responder/respond';
import { parseResponderSettings } from '../../../responder/settings';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { createLogger } from '../../../rules/runtime/logger';
import type { AnyRule } from '../../../rules/runtime/types';

const rule = encryptedAtRest as AnyRule;

describe('choosing the runbook of a ward rule', () => {
  it('takes meta.remediations first', () => {
    const declared = { ...rule, meta: { ...rule.meta, remediations: { 'AWS::S3::Bucket': 's3-block-public-access' } } };
    expect(runbookIdFor(declared as AnyRule, 'AWS::S3::Bucket')).toBe('s3-block-public-access');
  });

  it.each([
    ['AWS::S3::Bucket', 's3-enable-default-encryption'],
    ['AWS::SNS::Topic', 'sns-enable-encryption'],
    ['AWS::EC2::Volume', undefined],
  ])('else the one automated runbook fixing %s and the rule finding codes: %s', (type, id) => {
    const undeclared = { ...rule, meta: { ...rule.meta, remediations: undefined } } as AnyRule;
    expect(runbookIdFor(undeclared, type)).toBe(id);
  });
});

describe('the Lambda handler', () => {
  const logger = createLogger();
  logger.level = 'silent';
  const handler = createResponderHandler({
    settings: parseResponderSettings({}),
    logger,
    contexts: () => {
      throw new Error('unused');
    },
  });

  it('throws (to the on-failure destination) on an event that is not from SNS', async () => {
    await expect(handler({ detail: {} })).rejects.toThrow('not an SNS event');
  });

  it('refuses to start without its audit table and alerts topic', () => {
    expect(() => depsFromEnv({})).toThrow('WARD_AUDIT_TABLE is not set');
    expect(() => depsFromEnv({ WARD_AUDIT_TABLE: 't' })).toThrow('WARD_ALERTS_TOPIC_ARN is not set');
  });
});
