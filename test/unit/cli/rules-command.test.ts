import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { runtimeTableInfo } from '../../../rules/lambda-runtime-supported/table';

const ROOT = join(__dirname, '..', '..', '..');
const ward = join(ROOT, 'bin', 'ward');
const run = (...args: string[]) => spawnSync(process.execPath, [ward, 'rules', ...args], { encoding: 'utf8' });

describe('ward rules (spawns bin/ward; needs `npm run build`)', () => {
  it('lists every registered rule with its Config rule name, types without repeats, codes and parameters', () => {
    const r = run();
    expect(r.status).toBe(0);
    for (const rule of rules) {
      const block = r.stdout.split('\n\n').find((b) => b.startsWith(`${rule.meta.id}  [`));
      expect(block).toBeDefined();
      expect(block).toContain(`Config rule: ward-${rule.meta.id}`);
      const types = /resource types: (.*)/.exec(block ?? '')?.[1].split(', ') ?? [];
      expect(new Set(types).size).toBe(types.length);
      expect(new Set(types)).toEqual(new Set([...rule.meta.resourceTypes, ...(rule.meta.periodicResourceTypes ?? [])]));
      for (const [code, info] of Object.entries(rule.meta.findingCodes)) {
        expect(block).toMatch(
          new RegExp(
            `\\n    ${code} +${info.severity} +${info.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
          ),
        );
      }
    }
  });

  it('gives each finding code its severity in the JSON listing', () => {
    const listed = JSON.parse(run('--format', 'json').stdout) as {
      id: string;
      findingCodes: Record<string, { description: string; severity: string }>;
    }[];
    const kms = listed.find((x) => x.id === 'kms-keys-not-shared');
    expect(kms?.findingCodes['public-key-access']).toEqual({
      description: expect.stringContaining('kms: actions'),
      severity: 'critical',
    });
    expect(kms?.findingCodes['malformed-policy'].severity).toBe('medium');
  });

  it('prints the same metadata as JSON', () => {
    const r = run('--format', 'json');
    expect(r.status).toBe(0);
    const listed = JSON.parse(r.stdout) as { id: string; configRuleName: string; parameters: { name: string }[] }[];
    expect(listed.map((x) => x.id)).toEqual(rules.map((x) => x.meta.id));
    expect(listed.every((x) => x.configRuleName === `ward-${x.id}`)).toBe(true);
    expect(listed.find((x) => x.id === 'no-wildcard-actions')?.parameters.map((p) => p.name)).toContain(
      'allowedServiceWildcards',
    );
  });

  it('shows the day the Lambda runtime table was taken and its source, in text and JSON', () => {
    const block = run()
      .stdout.split('\n\n')
      .find((b) => b.startsWith('lambda-runtime-supported  ['));
    expect(block).toContain(
      `data: Lambda runtime table, taken ${runtimeTableInfo.takenAt} from ${runtimeTableInfo.source}`,
    );
    const listed = JSON.parse(run('--format', 'json').stdout) as { id: string; dataTables: { takenAt: string }[] }[];
    expect(listed.find((x) => x.id === 'lambda-runtime-supported')?.dataTables).toEqual([runtimeTableInfo]);
  });

  it('rejects an unknown format with a clear message and a non-zero exit', () => {
    const r = run('--format', 'yaml');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown --format yaml/);
  });
});
