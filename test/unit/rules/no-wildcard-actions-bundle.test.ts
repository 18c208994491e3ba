import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../../infra/bundling';

describe('the no-wildcard-actions Lambda bundle', () => {
  it('stays under the bundle limit with both catalogues inside', () => {
    const dir = bundleLambda(ruleHandlerEntry('no-wildcard-actions'));
    expect(bundleSize(dir)).toBeLessThan(MAX_BUNDLE_BYTES);
  });
});
