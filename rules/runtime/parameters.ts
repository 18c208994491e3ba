import { unknownName } from './did-you-mean';
import { RuleParametersError } from './errors';
import type { ParametersSchema } from './types';
import * as z from './zod-mini';

/*
 * Config passes InputParameters as a map of strings ("a,b", "true"). These helpers accept both the string
 * form and native JSON values, so the same schema parses Config's parameters, ward.config.json and tests.
 */

const splitList = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  return t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
};

const toBoolean = (v: unknown): unknown => {
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  return v;
};

/*
 * `z.pipe(z.transform(f), schema)` is what classic zod's `z.preprocess(f, schema)` builds; zod/mini has no
 * preprocess. Descriptions go to zod's global registry, where classic zod's `.description` reads them too.
 */

/** A list of strings; also accepts a comma-separated string or a JSON array string. */
export function stringList(description: string) {
  return z._default(z.pipe(z.transform(splitList), z.array(z.string())), []).check(z.describe(description));
}

/** A boolean; also accepts "true"/"false" (any case). */
export function flag(defaultValue: boolean, description: string) {
  return z._default(z.pipe(z.transform(toBoolean), z.boolean()), defaultValue).check(z.describe(description));
}

/** An optional string; an empty string means unset. */
export function optionalString(description: string) {
  return z
    .pipe(
      z.transform((v: unknown) => (v === '' || v === null ? undefined : v)),
      z.optional(z.string()),
    )
    .check(z.describe(description));
}

/** The description a parameter's schema was given (zod's global registry). */
export function descriptionOf(schema: z.core.$ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.description;
}

const accountId = /^\d{12}$/;

/** Parameters that every rule judging sharing or exemptions takes (design.md section 5). */
export const commonParameters = {
  trustedAccountIds: stringList('Account ids trusted besides the resource owner (comma-separated).').check(
    z.refine((ids) => ids.every((id) => accountId.test(id)), { message: 'every trusted account id must be 12 digits' }),
  ),
  trustedOrganizationIds: stringList('AWS Organization ids (o-...) whose accounts are trusted.'),
  exemptResourceIds: stringList('Resource ids (or ARNs) reported NOT_APPLICABLE as documented exceptions.'),
  exemptTag: optionalString('Tag key, or key=value, that marks a resource as a documented exception.'),
} as const;

/** Only the exemption parameters, for rules that do not judge sharing. */
export const exemptionParameters = {
  exemptResourceIds: commonParameters.exemptResourceIds,
  exemptTag: commonParameters.exemptTag,
} as const;

/** The parameter names of a rule's object schema (empty when the schema is not an object). */
export function parameterNames(schema: ParametersSchema): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Parses `ruleParameters` (a JSON string, an object, or absent) against a rule's schema. An unknown parameter
 * name is an error (a typo such as `trustedAcountIds` would otherwise silently leave the default in force).
 * @throws RuleParametersError naming every invalid parameter, with the intended name where one is close.
 */
export function parseRuleParameters<P extends ParametersSchema>(schema: P, raw: unknown, ruleId: string): z.output<P> {
  let value: unknown = raw;
  if (value === undefined || value === null || value === '') value = {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (err) {
      throw new RuleParametersError(`rule ${ruleId}: ruleParameters is not valid JSON`, { cause: err });
    }
  }
  const problems: string[] = [];
  const known = parameterNames(schema);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && known.length > 0) {
    for (const name of Object.keys(value)) {
      if (!known.includes(name)) problems.push(unknownName('parameter', name, known));
    }
  }
  const result = z.safeParse(schema, value);
  if (!result.success) {
    problems.push(...result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (problems.length > 0 || !result.success) {
    throw new RuleParametersError(`rule ${ruleId}: invalid parameters: ${problems.join('; ')}`);
  }
  return result.data;
}

/** A parameter's name, default and description, for docs and Config InputParameters. */
export interface ParameterDoc {
  readonly name: string;
  readonly description: string;
  readonly default: unknown;
  readonly type: string;
}

/** Describes a rule's object schema for docs, `ward rules` and InputParameters. */
export function describeParameters(schema: ParametersSchema): ParameterDoc[] {
  const shape = (schema as unknown as { shape?: Record<string, z.core.$ZodType> }).shape;
  if (!shape) return [];
  const defaults = z.safeParse(schema, {});
  const defaultValues = (defaults.success ? defaults.data : {}) as Record<string, unknown>;
  return Object.entries(shape).map(([name, field]) => {
    const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as { type?: string };
    return {
      name,
      description: descriptionOf(field) ?? '',
      default: defaultValues[name],
      type: Array.isArray(defaultValues[name])
        ? 'list'
        : typeof defaultValues[name] === 'boolean'
          ? 'boolean'
          : (json.type ?? 'string'),
    };
  });
}

/** Renders a parsed parameter value as Config InputParameters expects (strings only). */
export function toInputParameterValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (value === undefined || value === null) return '';
  return String(value);
}
