import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { renderInitFile } from '../../../infra/config/init-template';
import { parseJsonc, stripJsonComments } from '../../../infra/config/jsonc';
import { loadWardConfig, parseWardConfig, resolveRules, WardConfigError } from '../../../infra/config/load';
import { rules } from '../../../rules';
import { commonParameters, defineRule, flag } from '../../../rules/runtime';
import type { AnyRule } from '../../../rules/runtime/types';

// A registry of two rules of known shape, so these tests do not depend on which rules exist.
const sharing = defineRule({
  meta: {
    id: 'sharing-rule',
    title: 'Nothing is shared',
    rationale: 'r',
    severity: 'high',
    resourceTypes: ['AWS::KMS::Key'],
    trigger: { onChange: true },
    parameters: z.object({ ...commonParameters, strict: flag(false, 'Be strict.') }),
    permissions: [],
    findingCodes: { shared: { description: 'Shared.', severity: 'high' } },
  },
  evaluate: () => [],
}) as AnyRule;
const plain = defineRule({
  meta: {
    id: 'plain-rule',
    title: 'Plain',
    rationale: 'r',
    severity: 'low',
    resourceTypes: ['AWS::S3::Bucket'],
    trigger: { onChange: true },
    parameters: z.object({}),
    permissions: [],
    findingCodes: {},
  },
  evaluate: () => [],
}) as AnyRule;
const registry = [sharing, plain];

describe('parseJsonc', () => {
  it.each([
    ['line comments', '{\n  // note\n  "a": 1\n}', { a: 1 }],
    ['block comments', '{ /* x\n y */ "a": 1 }', { a: 1 }],
    ['trailing commas', '{ "a": [1, 2,], }', { a: [1, 2] }],
    ['slashes inside strings', '{ "u": "https://example.com/a//b" }', { u: 'https://example.com/a//b' }],
    ['escaped quotes inside strings', '{ "s": "say \\"// hi\\"" }', { s: 'say "// hi"' }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseJsonc(text)).toEqual(expected);
  });

  it('names the line of a syntax error', () => {
    expect(() => parseJsonc('{\n"a": 1\n"b": 2\n}', 'ward.config.json')).toThrow(/ward\.config\.json:3/);
  });

  it('keeps line breaks of removed block comments', () => {
    expect(stripJsonComments('/*\n\n*/{}').split('\n')).toHaveLength(3);
  });
});

describe('parseWardConfig', () => {
  it('accepts {} and fills every default', () => {
    const c = parseWardConfig({}, registry);
    expect(c).toMatchObject({
      mode: 'rules',
      responder: { enabled: true, defaultMode: 'notify', killSwitch: false },
      lambda: { memorySize: 256, logRetentionDays: 90 },
      recorder: { create: false },
      organization: { memberRoleName: 'ward-member' },
    });
  });

  it('reports every problem at once, naming each path', () => {
    const raw = {
      mode: 'everything',
      trustedAccountIds: ['123'],
      lambda: { logRetentionDays: 12 },
      alerts: { httpsEndpoints: ['http://insecure.example.com'] },
      surprise: true,
    };
    let error: WardConfigError | undefined;
    try {
      parseWardConfig(raw, registry);
    } catch (e) {
      error = e as WardConfigError;
    }
    expect(error).toBeInstanceOf(WardConfigError);
    const text = error?.problems.join('\n') ?? '';
    for (const path of ['mode', 'trustedAccountIds.0', 'lambda.logRetentionDays', 'alerts.httpsEndpoints.0', '(root)'])
      expect(text).toContain(`${path}:`);
  });

  it('rejects unknown rule ids, unknown parameters and values the rule itself rejects, together', () => {
    const raw = {
      rules: {
        'no-such-rule': {},
        'sharing-rule': { parameters: { trustedAccountIds: ['not-an-account'], colour: 'blue' } },
      },
    };
    expect(() => parseWardConfig(raw, registry)).toThrow(WardConfigError);
    try {
      parseWardConfig(raw, registry);
    } catch (e) {
      const problems = (e as WardConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/rules\.no-such-rule: no such rule/);
      expect(problems.join('\n')).toMatch(/rules\.sharing-rule\.parameters\.colour: unknown parameter/);
      expect(problems.join('\n')).toMatch(/rules\.sharing-rule\.parameters\.trustedAccountIds: .*12 digits/);
    }
  });

  it('names the intended parameter and rule when a name is mistyped', () => {
    const raw = { rules: { 'sharing-rul': {}, 'sharing-rule': { parameters: { trustedAcountIds: [] } } } };
    expect(() => parseWardConfig(raw, registry)).toThrow(
      /rules\.sharing-rul: no such rule \(did you mean "sharing-rule"\?\)/,
    );
    expect(() => parseWardConfig(raw, registry)).toThrow(
      /rules\.sharing-rule\.parameters\.trustedAcountIds: unknown parameter \(did you mean "trustedAccountIds"\?\)/,
    );
  });

  it('requires an organization id and target OUs in organization mode', () => {
    expect(() => parseWardConfig({ mode: 'organization' }, registry)).toThrow(
      /organization\.organizationId: required[\s\S]*memberAccountIds[\s\S]*targetOrganizationalUnitIds/,
    );
  });
});

describe('resolveRules', () => {
  it('deploys every registry rule unless disabled, in registry order', () => {
    const c = parseWardConfig({ rules: { 'plain-rule': { enabled: false } } }, registry);
    expect(resolveRules(c, registry).map((r) => r.rule.meta.id)).toEqual(['sharing-rule']);
  });

  it('merges the top-level trusted ids into rules that take them and renders InputParameters as strings', () => {
    const c = parseWardConfig(
      {
        trustedAccountIds: ['111111111111'],
        rules: { 'sharing-rule': { parameters: { trustedAccountIds: ['222222222222'], strict: true } } },
      },
      registry,
    );
    const [resolved] = resolveRules(c, registry);
    expect(resolved.parameters.trustedAccountIds).toEqual(['111111111111', '222222222222']);
    expect(resolved.inputParameters).toEqual({ trustedAccountIds: '111111111111,222222222222', strict: 'true' });
  });

  it('leaves empty values out of InputParameters so the rule applies its default', () => {
    const [resolved] = resolveRules(parseWardConfig({}, registry), registry);
    expect(resolved.inputParameters).toEqual({ strict: 'false' });
  });
});

describe('renderInitFile', () => {
  it.each([
    ['a test registry', registry],
    ['the real registry', rules],
  ])('writes a commented file that parses to a valid configuration for %s', (_name, reg) => {
    const text = renderInitFile(reg);
    expect(text).toMatch(/^\/\/ ward\.config\.json/);
    const config = parseWardConfig(parseJsonc(text), reg);
    expect(Object.keys(config.rules)).toEqual(reg.map((r) => r.meta.id));
  });
});

describe('loadWardConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));

  it('reads the file named by WARD_CONFIG', () => {
    const file = join(dir, 'custom.json');
    writeFileSync(file, '{ "mode": "pack", // comment\n }');
    expect(loadWardConfig(registry, undefined, { WARD_CONFIG: file }).mode).toBe('pack');
  });

  it('fails when a named file is missing, and uses defaults when the default file is absent', () => {
    expect(() => loadWardConfig(registry, join(dir, 'missing.json'), {})).toThrow(/file not found/);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(loadWardConfig(registry, undefined, {}).mode).toBe('rules');
    } finally {
      process.chdir(cwd);
    }
  });
});
