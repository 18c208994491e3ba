import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { wardConfigSchema } from '../../../infra/config/schema';
import { projectRoot } from '../../../infra/paths';

/** Every documented field path of the schema (`a`, `a.b`; rule settings as `rules.<id>.x`). */
function fieldPaths(schema: z.ZodType, prefix = ''): string[] {
  let s = schema as unknown as {
    def?: { type?: string; innerType?: unknown; valueType?: unknown; in?: unknown };
    shape?: object;
  };
  // Unwrap defaults, optionals and pipes to reach the object or record underneath.
  for (let i = 0; i < 5 && s.def && ['default', 'optional', 'pipe'].includes(s.def.type ?? ''); i += 1)
    s = (s.def.innerType ?? s.def.in) as typeof s;
  if (s.def?.type === 'record') return fieldPaths(s.def.valueType as z.ZodType, `${prefix}<id>.`);
  if (!s.shape) return [];
  return Object.entries(s.shape).flatMap(([k, v]) => {
    const path = `${prefix}${k}`;
    const nested = fieldPaths(v as z.ZodType, `${path}.`);
    return nested.length > 0 ? nested : [path];
  });
}

describe('docs/configuration.md', () => {
  const doc = readFileSync(join(projectRoot(), 'docs', 'configuration.md'), 'utf8');
  const paths = fieldPaths(wardConfigSchema).filter((p) => p !== '$schema' && p !== 'tags.<id>');

  it('finds the fields to check (the walker works)', () => {
    expect(paths).toEqual(expect.arrayContaining(['mode', 'rules.<id>.enabled', 'organization.memberAccountIds']));
  });

  it.each(paths.map((p) => [p]))('documents `%s`', (path) => {
    expect(doc).toContain(`\`${path}\``);
  });
});
