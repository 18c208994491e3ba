/**
 * Reading Terraform plan values (`terraform show -json`): nested blocks are lists of one object, values unknown
 * until apply are already replaced by `{{unresolved: ...}}` markers, and each argument's references come from the
 * plan's `configuration` expressions. Shared by the adapters that build items from a plan.
 */

/** One planned resource, its unknowns already replaced. */
export interface PlanResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
  /** `module.a.module.b.` or ''. */
  readonly modulePrefix: string;
  /** Its `configuration` expressions (references of each argument). */
  readonly expressions: Record<string, unknown>;
}

/** A JSON object (not an array, not null). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value as an object; `{}` for anything else. */
export const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** A nested block: a list of one object in plan JSON. */
export const block = (v: unknown): Record<string, unknown> => rec(Array.isArray(v) ? v[0] : v);

/** A non-empty string, else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A non-empty string known before apply. */
export const known = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('{{unresolved:');

/** A policy argument as JSON text (`jsonencode` gives text; an object is written out). */
export const json = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** The addresses `r`'s argument `arg` refers to, with `r`'s module prefix. */
export function references(r: PlanResource, arg: string): string[] {
  const list = rec(r.expressions[arg]).references;
  return Array.isArray(list)
    ? list.filter((x): x is string => typeof x === 'string').map((x) => `${r.modulePrefix}${x}`)
    : [];
}
