import { parseWardConfig } from '../../../infra/config/load';
import { responderPropsFromConfig } from '../../../infra/responder-config';
import { rules } from '../../../rules';

describe('responder props from ward.config.json', () => {
  it('is notify-only with no subscriptions for an empty configuration', () => {
    const props = responderPropsFromConfig(parseWardConfig({}, rules), rules);
    expect(props).toMatchObject({ modes: {}, defaultMode: 'notify', killSwitch: false, maxAutoChangesPerHour: 10 });
    expect(props.alertEmails).toEqual([]);
  });

  it('takes modes per rule, the responder switches, alerts and trusted accounts', () => {
    const config = parseWardConfig(
      {
        trustedAccountIds: ['111122223333'],
        rules: { 'encrypted-at-rest': { remediation: 'auto' } },
        responder: {
          defaultMode: 'dry-run',
          killSwitch: true,
          maxAutoChangesPerHour: 2,
          remediationKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
        alerts: { emails: ['secops@example.com'], httpsEndpoints: ['https://chat.example.com/hook'] },
      },
      rules,
    );
    expect(responderPropsFromConfig(config, rules)).toMatchObject({
      modes: { 'ward-encrypted-at-rest': 'auto' },
      defaultMode: 'dry-run',
      killSwitch: true,
      maxAutoChangesPerHour: 2,
      remediationKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      alertEmails: ['secops@example.com'],
      alertHttpsEndpoints: ['https://chat.example.com/hook'],
      trustedAccountIds: ['111122223333'],
    });
  });

  it('forwards to Security Hub only when responder.forwardToSecurityHub is true (off by default)', () => {
    expect(parseWardConfig({}, rules).responder.forwardToSecurityHub).toBe(false);
    expect(responderPropsFromConfig(parseWardConfig({}, rules), rules).forwardToSecurityHub).toBeUndefined();
    const on = parseWardConfig({ responder: { forwardToSecurityHub: true } }, rules);
    expect(responderPropsFromConfig(on, rules).forwardToSecurityHub).toBe(true);
  });

  it('rejects a forwardToSecurityHub that is not a boolean, naming the field', () => {
    expect(() => parseWardConfig({ responder: { forwardToSecurityHub: 'yes' } }, rules)).toThrow(
      /responder\.forwardToSecurityHub/,
    );
  });

  it('rejects a remediation key that is not a KMS key ARN, naming the field', () => {
    expect(() => parseWardConfig({ responder: { remediationKeyArn: 'alias/aws/sns' } }, rules)).toThrow(
      /responder\.remediationKeyArn[\s\S]*KMS key ARN/,
    );
  });

  it('passes each enabled rule with its resolved parameters', () => {
    const props = responderPropsFromConfig(parseWardConfig({}, rules), rules);
    expect(Object.keys(props.ruleParameters ?? {})).toEqual(rules.map((r) => r.meta.id));
  });
});
