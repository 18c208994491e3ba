import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { defineRule } from '../../../rules/runtime/define-rule';
import { SEVERITY_ORDER } from '../../../rules/runtime/types';
import * as z from '../../../rules/runtime/zod-mini';

const ROOT = join(__dirname, '..', '..', '..');

/** The severity cell of a code's row in a README table (`| \`code\` | severity | meaning |`). */
function readmeSeverity(readme: string, code: string): string | undefined {
  const row = readme.split('\n').find((l) => l.startsWith(`| \`${code}\``));
  return row?.split('|')[2]?.trim();
}

describe('severity per finding code', () => {
  for (const rule of rules) {
    describe(rule.meta.id, () => {
      const readme = readFileSync(join(ROOT, 'rules', rule.meta.id, 'README.md'), 'utf8');
      it('declares a description and one of the five severities for every code', () => {
        for (const [code, info] of Object.entries(rule.meta.findingCodes)) {
          expect([code, SEVERITY_ORDER.includes(info.severity), info.description.length > 0]).toEqual([
            code,
            true,
            true,
          ]);
        }
      });
      it('documents each code in the README with the severity the metadata declares', () => {
        for (const [code, info] of Object.entries(rule.meta.findingCodes)) {
          expect([code, readmeSeverity(readme, code)?.split(' ')[0]]).toEqual([code, info.severity]);
        }
      });
    });
  }

  it('refuses a rule whose finding code has no severity, naming the rule and the code', () => {
    expect(() =>
      defineRule({
        meta: {
          id: 'broken-rule',
          title: 'Broken',
          rationale: 'r',
          severity: 'low',
          resourceTypes: ['AWS::SNS::Topic'],
          trigger: { onChange: true },
          parameters: z.object({}),
          permissions: [],
          findingCodes: { 'no-key': { description: 'No key.' } as never },
        },
        evaluate: () => [],
      }),
    ).toThrow(/broken-rule: finding code no-key needs a severity/);
  });
});
