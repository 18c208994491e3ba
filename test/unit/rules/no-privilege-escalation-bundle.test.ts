import { bundleLambda, bundleSize, MAX_BUNDLE_BYTES, ruleHandlerEntry } from '../../../infra/bundling';

describe('the no-privilege-escalation Lambda bundle', () => {
  it('stays under the bundle limit with the managed-policy catalogue and grants table inside', () => {
    const dir = bundleLambda(ruleHandlerEntry('no-privilege-escalation'));
    expect(bundleSize(dir)).toBeLessThan(MAX_BUNDLE_BYTES);
  });
});
