/**
 * The Lambda runtime table (`runtimes.json`): every runtime identifier with the dates AWS publishes for it, and
 * the day the table was taken. Pure lookups: the clock is always passed in, never read here.
 */
import type { DataTableInfo } from '../runtime/data-table';
import data from './runtimes.json';

/** One runtime as AWS's Lambda runtimes page lists it. Dates are UTC days, `YYYY-MM-DD`. */
export interface RuntimeDates {
  /** The runtime identifier, as in a function's `Runtime` (`nodejs22.x`). */
  readonly id: string;
  readonly name: string;
  /** The day AWS stops applying security patches and support. */
  readonly deprecation: string;
  /** The day new functions can no longer be created with it (null where the page gives none). */
  readonly blockCreate: string | null;
  /** The day existing functions can no longer be updated (null where the page gives none). */
  readonly blockUpdate: string | null;
}

/** The table's provenance, as `ward rules` shows it. */
export const runtimeTableInfo: DataTableInfo = {
  name: 'Lambda runtime table',
  source: data.source,
  takenAt: data.takenAt,
  maxAgeDays: data.maxAgeDays,
  file: 'rules/lambda-runtime-supported/runtimes.json',
};

const BY_ID: ReadonlyMap<string, RuntimeDates> = new Map(
  (data.runtimes as readonly RuntimeDates[]).map((r) => [r.id, r]),
);

/** Every runtime of the table, in the table's order. */
export function runtimeTable(): readonly RuntimeDates[] {
  return [...BY_ID.values()];
}

/** The dates of a runtime identifier, or undefined when ward's table does not know it. */
export function runtimeDates(id: string): RuntimeDates | undefined {
  return BY_ID.get(id);
}
