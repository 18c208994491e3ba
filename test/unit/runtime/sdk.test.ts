import * as sdk from '../../../rules/runtime/sdk';

describe('SDK client modules load on first use, once', () => {
  it('runs the loader on the first call only and hands every caller the same module', async () => {
    const load = jest.fn(async () => ({ Client: class {} }));
    const get = sdk.once(load);
    expect(load).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();
    expect(load).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('loads the real client modules the rules, runbooks and responder call', async () => {
    const kms = await sdk.kms();
    expect(typeof kms.KMSClient).toBe('function');
    expect(typeof kms.DescribeKeyCommand).toBe('function');
    expect(await sdk.kms()).toBe(kms);
  });
});
