import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { expectedPackFiles, packDrift } from '../../../infra/packs/files';
import { functionArnParameter, generatePack, generatePacks, renderPackBody } from '../../../infra/packs/generate';
import { assertPacksDeployable, checkPack, PACK_LIMITS, PackLimitError } from '../../../infra/packs/limits';
import { MANAGED_RULES, managedRuleName } from '../../../infra/packs/managed-rules';
import { rules } from '../../../rules';
import { defineRule, stringList } from '../../../rules/runtime';
import type { AnyRule } from '../../../rules/runtime/types';

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('the committed conformance packs', () => {
  it('are exactly what `ward pack` generates from the registry (run `ward pack` after changing a rule)', () => {
    expect(packDrift(rules)).toEqual([]);
  });

  it.each([...expectedPackFiles(rules)].map(([file, text]) => [file, text] as const))(
    '%s holds only Config rules and stays within the pack limits',
    (_file, text) => {
      const template = parse(text) as { Parameters: object; Resources: Record<string, Resource> };
      for (const r of Object.values(template.Resources)) expect(PACK_LIMITS.allowedResourceTypes).toContain(r.Type);
      expect(Object.keys(template.Parameters).length).toBeLessThanOrEqual(PACK_LIMITS.maxInputParameters);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(PACK_LIMITS.maxTemplateBytes);
    },
  );
});

describe('generatePack', () => {
  const packs = generatePacks(rules);
  const resources = packs.flatMap((p) => Object.values(p.template.Resources) as Resource[]);

  it.each(rules.map((r) => [r.meta.id, r] as const))(
    'runs %s as a CUSTOM_LAMBDA rule whose Lambda ARN is a pack parameter, with both change notification types',
    (id, rule) => {
      const resource = resources.find((r) => r.Properties.ConfigRuleName === `ward-${id}`);
      expect(resource).toBeDefined();
      const source = resource?.Properties.Source as {
        Owner: string;
        SourceIdentifier: unknown;
        SourceDetails: object[];
      };
      expect(source.Owner).toBe('CUSTOM_LAMBDA');
      expect(source.SourceIdentifier).toEqual({ Ref: functionArnParameter(id) });
      const types = source.SourceDetails.map((d) => (d as { MessageType: string }).MessageType);
      if (rule.meta.trigger.onChange)
        expect(types).toEqual(
          expect.arrayContaining([
            'ConfigurationItemChangeNotification',
            'OversizedConfigurationItemChangeNotification',
          ]),
        );
      if (rule.meta.trigger.periodic) expect(types).toContain('ScheduledNotification');
    },
  );

  it('puts rules over global resources, and only those, in the global pack', () => {
    const global = packs.find((p) => p.scope === 'global');
    const globalIds = rules.filter((r) => r.meta.global).map((r) => r.meta.id);
    expect(global?.customRuleIds ?? []).toEqual(globalIds);
    for (const m of global?.managedRules ?? []) expect(m.global).toBe(true);
  });

  it.each(MANAGED_RULES.map((m) => [m.identifier, m] as const))(
    'gives managed rule %s its parameters explicitly',
    (identifier, spec) => {
      const resource = resources.find((r) => r.Properties.ConfigRuleName === managedRuleName(identifier));
      expect(resource?.Properties.Source).toEqual({ Owner: 'AWS', SourceIdentifier: identifier });
      if (Object.keys(spec.parameters).length > 0)
        expect(resource?.Properties.InputParameters).toEqual(spec.parameters);
      if (spec.periodic) expect(resource?.Properties.MaximumExecutionFrequency).toBe(spec.periodic);
      else expect(resource?.Properties.Scope).toEqual({ ComplianceResourceTypes: spec.resourceTypes });
    },
  );

  it('turns every rule parameter into a pack parameter defaulting to the configured value', () => {
    const [rule] = rules;
    const pack = generatePack(
      [rule],
      'regional',
      { includeManagedRules: false },
      {
        [rule.meta.id]: { exemptResourceIds: ['a', 'b'] },
      },
    );
    const param = pack.ruleParameters[rule.meta.id].exemptResourceIds;
    expect(pack.template.Parameters[param]).toMatchObject({ Type: 'String', Default: 'a,b' });
    expect(
      pack.template.Resources[Object.keys(pack.template.Resources)[0]].Properties.InputParameters as object,
    ).toMatchObject({
      exemptResourceIds: { Ref: param },
    });
  });
});

describe('checkPack', () => {
  // A rule with very many parameters, to push a pack over every limit at once.
  const manyParameters = Object.fromEntries(
    Array.from({ length: 70 }, (_, i) => [`parameterNumber${i}`, stringList(`Parameter ${i} ${'x'.repeat(900)}`)]),
  );
  const huge = defineRule({
    meta: {
      id: 'huge-rule',
      title: 'Huge',
      rationale: 'r',
      severity: 'low',
      resourceTypes: ['AWS::S3::Bucket'],
      trigger: { onChange: true },
      parameters: z.object(manyParameters),
      permissions: [],
      findingCodes: {},
    },
    evaluate: () => [],
  }) as AnyRule;
  const hugeGlobal = { ...huge, meta: { ...huge.meta, id: 'huge-global-rule', global: true } } as AnyRule;

  it('reports every problem at once: size, parameter count, foreign resources, region availability', () => {
    const pack = generatePack([huge], 'regional');
    pack.template.Resources.Bucket = { Type: 'AWS::S3::Bucket', Properties: {} };
    const problems = checkPack(pack, ['eu-south-1', 'eu-west-1']);
    expect(renderPackBody(pack).length).toBeGreaterThan(PACK_LIMITS.maxTemplateBytes);
    expect(problems.join('\n')).toMatch(/bytes, over the 51200-byte limit/);
    expect(problems.join('\n')).toMatch(/71 input parameters, over the limit of 60/);
    expect(problems.join('\n')).toMatch(/resource Bucket is AWS::S3::Bucket/);
    expect(problems.join('\n')).toMatch(/KMS_CMK_NOT_SCHEDULED_FOR_DELETION is not available in eu-south-1/);
    expect(problems.join('\n')).not.toMatch(/eu-west-1/);
  });

  it('finds nothing wrong with the registry packs in the commercial regions ward is tested in', () => {
    expect(() => assertPacksDeployable(generatePacks(rules), ['us-east-1', 'eu-west-1'])).not.toThrow();
  });

  it('throws one PackLimitError listing all problems of all packs', () => {
    const a = generatePack([huge], 'regional');
    const b = generatePack([hugeGlobal], 'global');
    try {
      assertPacksDeployable([a, b], ['eu-south-1', 'il-central-1']);
      throw new Error('expected a PackLimitError');
    } catch (e) {
      expect(e).toBeInstanceOf(PackLimitError);
      const problems = (e as PackLimitError).problems;
      expect(problems.filter((p) => p.startsWith('ward:')).length).toBeGreaterThan(1);
      expect(problems.filter((p) => p.startsWith('ward-global:')).length).toBeGreaterThan(1);
      expect(problems).toContain(
        'ward: managed rule KMS_CMK_NOT_SCHEDULED_FOR_DELETION is not available in eu-south-1',
      );
      expect(problems).toContain('ward-global: managed rule ACCESS_KEYS_ROTATED is not available in il-central-1');
    }
  });
});

describe('packDrift', () => {
  it('names missing, different and stray files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-packs-'));
    const [first] = [...expectedPackFiles(rules).keys()];
    writeFileSync(join(dir, first), 'edited by hand');
    writeFileSync(join(dir, 'old.yaml'), 'x');
    const drift = packDrift(rules, dir);
    expect(drift).toEqual(
      expect.arrayContaining([
        { file: first, problem: 'different' },
        { file: 'old.yaml', problem: 'not generated' },
      ]),
    );
    expect(drift.filter((d) => d.problem === 'missing').length).toBe(expectedPackFiles(rules).size - 1);
  });
});
