import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../rules';

describe('the rule registry', () => {
  it('holds at least one rule', () => {
    expect(rules.length).toBeGreaterThan(0);
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))(
    '%s: folder name, meta.id and Config rule name are one string',
    (id) => {
      expect(existsSync(join(__dirname, '..', '..', 'rules', id, 'rule.ts'))).toBe(true);
      expect(`ward-${id}`).toMatch(/^ward-[a-z0-9-]+$/);
    },
  );

  it('has unique ids', () => {
    expect(new Set(rules.map((r) => r.meta.id)).size).toBe(rules.length);
  });
});
