/*
 * Runs the registry's rules that judge templates over template items, as `ward scan` does, and flattens the
 * non-compliant results to `rule resourceId code line` rows for table tests.
 */
import { z } from 'zod';
import { rules } from '../../../../rules';
import { createLogger } from '../../../../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../../../../rules/runtime/types';
import type { ItemLocation } from '../../../../scan/findings/location';
import type { EvaluationSource } from '../../../../scan/findings/scan-evaluation';
import type { TemplateItem } from '../../../../scan/inputs/cloudformation';
import { runsOnTemplates } from '../../../../scan/inputs/template-entry-points';
import { judgeTemplateItems } from '../../../../scan/inputs/template-judge';

/** An evaluation with the location and source the judge gave it. */
export type LocatedEvaluation = Evaluation & { readonly location?: ItemLocation; readonly source: EvaluationSource };

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
