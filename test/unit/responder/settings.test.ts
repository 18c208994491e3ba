import { modeFor, parseResponderSettings, settingsFromEnv } from '../../../responder/settings';

describe('responder settings', () => {
  it('defaults to notify, no kill switch, 10 automatic changes per hour', () => {
    expect(parseResponderSettings({})).toMatchObject({
      defaultMode: 'notify',
      killSwitch: false,
      maxAutoChangesPerHour: 10,
      modes: {},
    });
  });

  it('reads the environment the responder stack sets', () => {
    const s = settingsFromEnv({
      WARD_MODES: '{"ward-encrypted-at-rest":"auto","no-public-principals":"dry-run"}',
      WARD_KILL_SWITCH: 'true',
      WARD_MAX_AUTO_CHANGES_PER_HOUR: '3',
      WARD_TRUSTED_ACCOUNT_IDS: '111122223333, 444455556666',
    });
    expect(s).toMatchObject({
      killSwitch: true,
      maxAutoChangesPerHour: 3,
      trustedAccountIds: ['111122223333', '444455556666'],
    });
    expect(modeFor(s, 'ward-encrypted-at-rest')).toBe('auto');
    expect(modeFor(s, 'ward-no-public-principals')).toBe('dry-run');
    expect(modeFor(s, 'ward-encrypted-at-rest-conformance-pack-q1w2e3r4')).toBe('auto');
    expect(modeFor(s, 'ward-kms-keys-not-shared')).toBe('notify');
  });

  it('names the variable of an invalid mode', () => {
    expect(() => settingsFromEnv({ WARD_MODES: '{"ward-x":"always"}' })).toThrow(/WARD_MODES/);
  });

  it('explains a setting that is not JSON', () => {
    expect(() => settingsFromEnv({ WARD_MODES: '{not json' })).toThrow(/not valid JSON/);
  });
});
