import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { WardError } from '../../rules/runtime/errors';
import { closestName } from '../../rules/runtime/did-you-mean';
import { describeParameters, toInputParameterValue } from '../../rules/runtime/parameters';

/** ` (did you mean "x"?)` when a known name is close to a mistyped one. */
function hintFor(name: string, known: Iterable<string>): string {
  const hint = closestName(name, known);
  return hint ? ` (did you mean "${hint}"?)` : '';
}
import type { AnyRule } from '../../rules/runtime/types';
import { parseJsonc } from './jsonc';
import { type WardConfig, wardConfigSchema } from './schema';

import { CONFIG_FILE } from './deploy-mode';

export { CONFIG_FILE };

/** The environment variable that names the configuration file (the CLI sets it for the CDK app). */
export const CONFIG_ENV = 'WARD_CONFIG';

/** The configuration is invalid; `problems` lists every problem found, not only the first. */
export class WardConfigError extends WardError {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`, options);
  }
}

/** One rule as it will be deployed: the rule, its parsed parameters and their Config InputParameters form. */
export interface ResolvedRule {
  readonly rule: AnyRule;
  /** Parameters after the rule's schema (defaults applied, trusted ids merged). */
  readonly parameters: Record<string, unknown>;
  /** Config InputParameters: strings only; empty values are left out (the rule then uses its default). */
  readonly inputParameters: Record<string, string>;
  readonly remediation?: 'notify' | 'dry-run' | 'auto';
}

/**
 * Validates a raw configuration object against the schema and the registry: unknown rule ids, unknown
 * parameter names and parameter values the rule's own schema rejects are all reported together.
 * @throws WardConfigError listing every problem.
 */
export function parseWardConfig(raw: unknown, registry: readonly AnyRule[], source = CONFIG_FILE): WardConfig {
  const parsed = wardConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new WardConfigError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const config = parsed.data;
  const problems: string[] = [];
  const ids = new Set(registry.map((r) => r.meta.id));
  for (const [id, settings] of Object.entries(config.rules)) {
    const rule = registry.find((r) => r.meta.id === id);
    if (!rule) {
      const hint = closestName(id, ids);
      problems.push(
        `rules.${id}: no such rule${hint ? ` (did you mean "${hint}"?)` : ''} (known: ${[...ids].join(', ') || 'none'})`,
      );
      continue;
    }
    const known = new Set(describeParameters(rule.meta.parameters).map((p) => p.name));
    for (const name of Object.keys(settings.parameters))
      if (!known.has(name))
        problems.push(
          `rules.${id}.parameters.${name}: unknown parameter${hintFor(name, known)} (known: ${[...known].join(', ') || 'none'})`,
        );
    const result = z.safeParse(rule.meta.parameters, mergedParameters(config, rule));
    if (!result.success)
      for (const i of result.error.issues)
        problems.push(`rules.${id}.parameters.${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  if (problems.length > 0) throw new WardConfigError(source, problems);
  return config;
}

/** The rule's configured parameters with the top-level trusted ids merged in where the rule takes them. */
function mergedParameters(config: WardConfig, rule: AnyRule): Record<string, unknown> {
  const names = new Set(describeParameters(rule.meta.parameters).map((p) => p.name));
  const own = config.rules[rule.meta.id]?.parameters ?? {};
  const merged: Record<string, unknown> = {};
  if (names.has('trustedAccountIds') && config.trustedAccountIds.length > 0)
    merged.trustedAccountIds = config.trustedAccountIds;
  if (names.has('trustedOrganizationIds') && config.trustedOrganizationIds.length > 0)
    merged.trustedOrganizationIds = config.trustedOrganizationIds;
  for (const [k, v] of Object.entries(own)) {
    // A rule's own list extends the global trust list instead of replacing it.
    const base = merged[k];
    merged[k] = Array.isArray(base) && Array.isArray(v) ? [...new Set([...base, ...v])] : v;
  }
  return merged;
}

/** The enabled rules with parameters resolved, in registry order. */
export function resolveRules(config: WardConfig, registry: readonly AnyRule[]): ResolvedRule[] {
  return registry
    .filter((rule) => config.rules[rule.meta.id]?.enabled ?? true)
    .map((rule) => {
      const parameters = z.parse(rule.meta.parameters, mergedParameters(config, rule)) as Record<string, unknown>;
      const inputParameters: Record<string, string> = {};
      for (const p of describeParameters(rule.meta.parameters)) {
        const value = toInputParameterValue(parameters[p.name]);
        if (value !== '') inputParameters[p.name] = value;
      }
      return { rule, parameters, inputParameters, remediation: config.rules[rule.meta.id]?.remediation };
    });
}

/**
 * Reads and validates a configuration file. A missing file at the default location means all defaults; a
 * missing file that was named explicitly is an error.
 * @throws WardConfigError
 */
export function loadWardConfig(
  registry: readonly AnyRule[],
  path?: string,
  env: NodeJS.ProcessEnv = process.env,
): WardConfig {
  const named = path ?? env[CONFIG_ENV];
  const file = resolve(named ?? CONFIG_FILE);
  if (!existsSync(file)) {
    if (named) throw new WardConfigError(file, ['file not found (run `ward init` to write one)']);
    return parseWardConfig({}, registry, '(defaults)');
  }
  let raw: unknown;
  try {
    raw = parseJsonc(readFileSync(file, 'utf8'), file);
  } catch (err) {
    throw new WardConfigError(file, [err instanceof Error ? err.message : String(err)], { cause: err });
  }
  return parseWardConfig(raw, registry, file);
}
