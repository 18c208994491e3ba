import { SEVERITY_ORDER, type ParametersSchema, type Rule } from './types';
import * as z from './zod-mini';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Declares a rule and checks its metadata once, at load: kebab-case id, finding codes each with a description
 * and a severity, a parameter
 * schema that parses `{}` (every parameter has a default or is optional), and `collect` for periodic rules.
 * @throws Error naming the rule and the broken field.
 */
export function defineRule<P extends ParametersSchema, F = undefined>(rule: Rule<P, F>): Rule<P, F> {
  const { meta } = rule;
  const fail = (what: string) => {
    throw new Error(`rule ${meta.id || '(no id)'}: ${what}`);
  };
  if (!KEBAB.test(meta.id)) fail('meta.id must be kebab-case');
  if (`ward-${meta.id}`.length > 128) fail('meta.id is too long for a Config rule name');
  if (!meta.title) fail('meta.title is required');
  if (meta.resourceTypes.length === 0 && !meta.trigger.periodic)
    fail('a rule needs resourceTypes or a periodic trigger');
  if (meta.trigger.onChange && meta.resourceTypes.length === 0) fail('change-triggered rules need resourceTypes');
  if (meta.trigger.periodic && !rule.collect) fail('periodic rules implement collect');
  for (const [code, info] of Object.entries(meta.findingCodes)) {
    if (!KEBAB.test(code)) fail(`finding code ${code} is not kebab-case`);
    if (!info?.description) fail(`finding code ${code} needs a description`);
    if (!SEVERITY_ORDER.includes(info?.severity))
      fail(`finding code ${code} needs a severity (${SEVERITY_ORDER.join(', ')})`);
  }
  if (!z.safeParse(meta.parameters, {}).success) fail('every parameter needs a default (the schema must parse {})');
  return rule;
}
