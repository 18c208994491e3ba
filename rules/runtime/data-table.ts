/**
 * Knowledge that changes over time lives in data tables beside the rule that reads it (design.md section 5):
 * each says where it came from and the day it was taken, and a run whose clock is too far past that day says
 * so, so that a table cannot silently rot.
 */

/** The provenance of one data table a rule reads. */
export interface DataTableInfo {
  /** What the table holds, e.g. "Lambda runtime table". */
  readonly name: string;
  /** Where it was read from (a URL). */
  readonly source: string;
  /** The UTC day it was read, `YYYY-MM-DD`. */
  readonly takenAt: string;
  /** A run more than this many days past `takenAt` warns. */
  readonly maxAgeDays: number;
  /** The file to update, relative to the repository root. */
  readonly file: string;
}

const DAY_MS = 86_400_000;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole days from UTC day `from` to UTC day `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The one-line warning for a table the clock `now` is more than `maxAgeDays` past, or undefined while it is
 * fresh enough. `ruleId` names the rule that reads it.
 */
export function staleTableWarning(ruleId: string, table: DataTableInfo, now: Date): string | undefined {
  const age = daysBetween(table.takenAt, utcDay(now));
  if (!(age > table.maxAgeDays)) return undefined;
  return (
    `${ruleId}: the ${table.name} was taken on ${table.takenAt}, ${age} days before this run ` +
    `(more than ${table.maxAgeDays}); what its source changed since is not known to ward ` +
    `(update ${table.file} from ${table.source})`
  );
}

/** Every stale-table warning of the given rules at `now`, in rule order. */
export function staleTableWarnings(
  rules: readonly { readonly meta: { readonly id: string; readonly dataTables?: readonly DataTableInfo[] } }[],
  now: Date,
): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    for (const table of rule.meta.dataTables ?? []) {
      const warning = staleTableWarning(rule.meta.id, table, now);
      if (warning) out.push(warning);
    }
  }
  return out;
}
