import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../../infra/bundling';

describe('the encrypted-at-rest Lambda bundle', () => {
  it('stays under the bundle limit (the Logs, ElastiCache and KMS clients come from the Lambda runtime)', () => {
    const dir = bundleLambda(ruleHandlerEntry('encrypted-at-rest'));
    expect(bundleSize(dir)).toBeLessThan(MAX_BUNDLE_BYTES);
  });
});
