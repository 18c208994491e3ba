import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../../infra/bundling';

describe('the no-public-principals Lambda bundle', () => {
  it('stays under the bundle limit (the SDK clients of gather come from the Lambda runtime)', () => {
    const dir = bundleLambda(ruleHandlerEntry('no-public-principals'));
    expect(bundleSize(dir)).toBeLessThan(MAX_BUNDLE_BYTES);
  });
});
