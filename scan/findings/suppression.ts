import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WardError } from '../../rules/runtime/errors';
import type { AnyRule } from '../../rules/runtime/types';
import type { ScanEvaluation, SuppressionMark } from './scan-evaluation';
import { describeSuppression, entryMatches, isExpired } from './suppression-match';

/** A suppressions file that cannot be used: the scan stops with exit 2 (a silent partial suppression is worse). */
export class SuppressionFileError extends WardError {}

/** File names looked for in the working directory, in this order. */
export const SUPPRESSION_FILES = ['ward.suppressions.json', 'ward.suppressions.yaml', 'ward.suppressions.yml'];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

/** True for a date that exists (Date.parse rolls 2027-02-31 over to March 3rd instead of refusing it). */
function isRealDate(v: string): boolean {
  const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  return !Number.isNaN(t) && (v.length !== 10 || new Date(t).toISOString().slice(0, 10) === v);
}

const entrySchema = z.strictObject({
  rule: z.string().min(1),
  code: z.string().min(1).optional(),
  resource: z.string().min(1),
  account: z
    .string()
    .regex(/^\d{12}$/, 'an account id is 12 digits')
    .optional(),
  region: z.string().min(1).optional(),
  reason: z.string().trim().min(1, 'reason is required: say why the finding is accepted'),
  expires: z
    .string()
    .regex(ISO_DATE, 'expires is an ISO date (YYYY-MM-DD)')
    .refine(isRealDate, 'expires is not a real date')
    .optional(),
  owner: z.string().min(1).optional(),
});

const fileSchema = z.strictObject({ suppressions: z.array(entrySchema) });

/** One suppression entry, as written in the file. */
export type Suppression = z.infer<typeof entrySchema>;

/** The suppressions file in `cwd`, if there is one. */
export function findSuppressionsFile(cwd: string): string | undefined {
  return SUPPRESSION_FILES.map((f) => join(cwd, f)).find((p) => existsSync(p));
}

/**
 * Reads and checks a suppressions file (JSON, or YAML by extension): `{"suppressions": [...]}`, every entry
 * with a rule the registry knows, a resource (id, ARN or glob) and a reason.
 * @throws SuppressionFileError naming the file and the first problem (entry index and field).
 */
export function loadSuppressions(path: string, registry: readonly AnyRule[]): Suppression[] {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new SuppressionFileError(`suppressions ${path}: cannot read it (${(err as Error).message})`, { cause: err });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new SuppressionFileError(`suppressions ${path}: ${where}: ${issue.message}`);
  }
  for (const [i, s] of parsed.data.suppressions.entries()) {
    const rule = registry.find((r) => r.meta.id === s.rule);
    if (!rule) throw new SuppressionFileError(`suppressions ${path}: suppressions.${i}.rule: unknown rule ${s.rule}`);
    if (s.code !== undefined && !(s.code in rule.meta.findingCodes) && s.code !== 'evaluation-error') {
      throw new SuppressionFileError(
        `suppressions ${path}: suppressions.${i}.code: ${s.rule} has no finding code ${s.code}`,
      );
    }
  }
  return parsed.data.suppressions;
}

/**
 * Applies suppressions to evaluations. An entry matches a finding when the rule, the code (when given),
 * the account and region (when given) match and the resource pattern matches the resource id, ARN or name.
 * An expired entry (its `expires` day is over) suppresses nothing and is warned about; so is an entry that
 * matched nothing.
 */
export class SuppressionMatcher {
  private readonly active: { entry: Suppression; used: boolean }[] = [];
  private readonly expired: Suppression[] = [];

  constructor(entries: readonly Suppression[], now: Date) {
    for (const entry of entries) {
      if (isExpired(entry, now)) this.expired.push(entry);
      else this.active.push({ entry, used: false });
    }
  }

  /** Marks the findings of `se` that an active entry matches; the evaluation when all of them are. */
  apply(se: ScanEvaluation): void {
    if (se.findings.length === 0 || this.active.length === 0) return;
    const names = [se.evaluation.resourceId, se.identity.arn, se.identity.resourceName].filter(
      (v): v is string => v !== undefined,
    );
    for (const f of se.findings) {
      const target = {
        rule: se.rule.meta.id,
        code: f.code,
        accountId: se.identity.accountId,
        region: se.identity.region,
        names,
      };
      const hit = this.active.find((a) => entryMatches(a.entry, target));
      if (hit) {
        hit.used = true;
        f.suppressed = markOf(hit.entry);
      }
    }
    if (se.findings.every((f) => f.suppressed)) se.suppressed = se.findings[0].suppressed;
  }

  /** Warnings for the end of the scan: expired entries by name, and entries that matched nothing. */
  warnings(): string[] {
    return [
      ...this.expired.map(
        (s) => `suppression expired on ${s.expires}: ${describeSuppression(s)} (its findings count again)`,
      ),
      ...this.active.filter((a) => !a.used).map((a) => `suppression matched nothing: ${describeSuppression(a.entry)}`),
    ];
  }
}

function markOf(s: Suppression): SuppressionMark {
  return {
    reason: s.reason,
    ...(s.expires !== undefined ? { expires: s.expires } : {}),
    ...(s.owner !== undefined ? { owner: s.owner } : {}),
  };
}
