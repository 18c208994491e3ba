/*
 * Runs the registry's rules that judge templates over template items, as `ward scan` does, and flattens the
 * non-compliant results to `rule resourceId code line` rows for table tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { rules } from '../../../../rules';
import { createLogger } from '../../../../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../../../../rules/runtime/types';
import type { ItemLocation } from '../../../../scan/findings/location';
import type { EvaluationSource } from '../../../../scan/findings/scan-evaluation';
import type { TemplateItem } from '../../../../scan/inputs/cloudformation';
import { runsOnTemplates } from '../../../../scan/inputs/template-entry-points';
import { judgeTemplateItems } from '../../../../scan/inputs/template-judge';
import { tempDir } from '../scan-harness';

/** An evaluation with the location and source the judge gave it. */
export type LocatedEvaluation = Evaluation & { readonly location?: ItemLocation; readonly source: EvaluationSource };

/** A managed resource of a Terraform plan's `planned_values`, at the address its type and name make. */
export function plannedResource(type: string, name: string, values: Record<string, unknown>) {
  return { address: `${type}.${name}`, mode: 'managed', type, name, values };
}

/**
 * Writes a Terraform plan (the JSON of `terraform show -json`, format 1.2) with these planned resources, resource
 * changes and configuration to a new temporary file; returns its path.
 */
export function writePlanFile(plan: {
  readonly resources: readonly object[];
  readonly changes?: readonly object[];
  readonly configuration?: object;
}): string {
  const path = join(tempDir(), 'plan.json');
  writeFileSync(
    path,
    JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.9.8',
      planned_values: { root_module: { resources: plan.resources } },
      resource_changes: plan.changes ?? [],
      ...(plan.configuration ? { configuration: plan.configuration } : {}),
    }),
  );
  return path;
}

const silent = createLogger({}, { write: () => undefined });

/** Every evaluation of the items, with its rule. */
export async function judgeAll(
  items: readonly TemplateItem[],
  params: Record<string, unknown> = {},
): Promise<{ rule: string; e: LocatedEvaluation }[]> {
  const runnable = rules.filter(runsOnTemplates);
  const parsed = new Map<AnyRule, unknown>(
    runnable.map((r) => [r, z.parse(r.meta.parameters, params[r.meta.id] ?? {})]),
  );
  const out: { rule: string; e: LocatedEvaluation }[] = [];
  await judgeTemplateItems({
    items,
    rules: runnable,
    params: parsed,
    logger: silent,
    onEvaluation: (rule, e, source) =>
      out.push({ rule: rule.meta.id, e: { ...e, location: source.location, source } as LocatedEvaluation }),
  });
  return out;
}

/** The non-compliant findings as sorted rows: `rule resourceId code line`. */
export function findingRows(results: { rule: string; e: LocatedEvaluation }[]): string[] {
  return results
    .filter((r) => r.e.compliance === 'NON_COMPLIANT')
    .flatMap((r) => r.e.findings.map((f) => `${r.rule} ${r.e.resourceId} ${f.code} ${r.e.location?.line ?? '?'}`))
    .sort();
}
