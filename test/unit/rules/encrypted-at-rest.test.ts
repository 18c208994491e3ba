import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { STORE_TYPES } from '../../../rules/encrypted-at-rest/stores';
import { evaluateWithFacts, normalizeConfigurationItem, parseRuleParameters } from '../../../rules/runtime';
import { apiForm, eventCi, TYPE_CASES } from './encrypted-at-rest.fixtures';

const defaults = parseRuleParameters(encryptedAtRest.meta.parameters, undefined, 'encrypted-at-rest');

describe('encrypted-at-rest, every store type with default parameters', () => {
  describe.each([
    ['event form', (ci: Record<string, unknown>) => ci],
    ['API form', apiForm],
  ])('%s', (_form, toForm) => {
    it.each(TYPE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const item = normalizeConfigurationItem(toForm(c.ci));
      const [e, ...rest] = evaluateWithFacts(encryptedAtRest, item, defaults, {});
      expect(rest).toHaveLength(0);
      expect(e.compliance).toBe(c.compliance);
      expect(e.findings.map((f) => f.code)).toEqual(c.codes);
      expect(e.resourceId).toBe(c.ci.resourceId);
    });
  });

  describe.each([
    ['event form', (ci: Record<string, unknown>) => ci],
    ['API form', apiForm],
  ])('deleted items (%s)', (_form, toForm) => {
    it.each(STORE_TYPES.flatMap((t) => [[t, 'ResourceDeleted'] as const, [t, 'ResourceDeletedNotRecorded'] as const]))(
      'reports a %s with status %s NOT_APPLICABLE',
      (type, status) => {
        const item = normalizeConfigurationItem(
          toForm(eventCi(type, `${type.split('::')[1]}-gone`, null, {}, { configurationItemStatus: status })),
        );
        const [e, ...rest] = evaluateWithFacts(encryptedAtRest, item, defaults, {});
        expect(rest).toHaveLength(0);
        expect([e.compliance, e.findings]).toEqual(['NOT_APPLICABLE', []]);
      },
    );
  });

  it('has a table case for every change-triggered type, encrypted and not', () => {
    for (const type of STORE_TYPES) {
      const verdicts = new Set(TYPE_CASES.filter((c) => c.ci.resourceType === type).map((c) => c.compliance));
      expect([type, verdicts.has('COMPLIANT')]).toEqual([type, true]);
      // Secrets Manager secrets and Backup vaults are always encrypted: no unencrypted shape exists.
      if (
        type !== 'AWS::SecretsManager::Secret' &&
        type !== 'AWS::Backup::BackupVault' &&
        type !== 'AWS::DynamoDB::Table'
      ) {
        expect([type, verdicts.has('NON_COMPLIANT')]).toEqual([type, true]);
      }
    }
  });

  it('never reports a DynamoDB table without ssedescription as unencrypted', () => {
    const c = TYPE_CASES.find((t) => t.name.startsWith('DynamoDB table without'));
    const item = normalizeConfigurationItem(c?.ci);
    const [e] = evaluateWithFacts(encryptedAtRest, item, defaults, {});
    expect(e.annotation).toMatch(/AWS-owned key/);
  });

  it('names the field it read in the unencrypted finding', () => {
    const c = TYPE_CASES.find((t) => t.name === 'RDS DB instance with storageEncrypted false and kmsKeyId null');
    const [e] = evaluateWithFacts(encryptedAtRest, normalizeConfigurationItem(c?.ci), defaults, {});
    expect(e.findings[0]).toMatchObject({ code: 'unencrypted', path: 'configuration.storageEncrypted' });
  });

  it('declares every change-triggered type in its Config scope and the two periodic types', () => {
    expect([...encryptedAtRest.meta.resourceTypes].sort()).toEqual([...STORE_TYPES].sort());
    expect(encryptedAtRest.meta.periodicResourceTypes).toEqual([
      'AWS::Logs::LogGroup',
      'AWS::ElastiCache::ReplicationGroup',
    ]);
    expect(encryptedAtRest.meta.trigger).toEqual({ onChange: true, periodic: 'TwentyFour_Hours' });
  });

  it('documents every finding code and parameter in its README', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'rules', 'encrypted-at-rest', 'README.md'), 'utf8');
    for (const code of Object.keys(encryptedAtRest.meta.findingCodes)) {
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
    }
    const shape = Object.keys((encryptedAtRest.meta.parameters as unknown as { shape: object }).shape);
    for (const name of shape) expect(readme).toContain(`\`${name}\``);
  });
});
