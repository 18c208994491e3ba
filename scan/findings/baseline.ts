import { readFileSync } from 'node:fs';
import { WardError } from '../../rules/runtime/errors';
import { Compliance } from '../../rules/runtime/types';
import type { BaselineSummary, FixedEvaluation } from './report';
import type { ScanEvaluation } from './scan-evaluation';

/** A baseline file that cannot be used: exit 2 (judging "new" against a wrong baseline would mislead). */
export class BaselineFileError extends WardError {}

interface PreviousEvaluation {
  readonly rule: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string | null;
  readonly region: string | null;
  readonly codes: ReadonlySet<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** Key of an evaluation without account and region (reports of schema version 1 have neither). */
const shortKey = (rule: string, type: string, id: string) => `${rule}\u0000${type}\u0000${id}`;
const fullKey = (rule: string, type: string, id: string, account: string | null, region: string | null) =>
  `${shortKey(rule, type, id)}\u0000${account ?? ''}\u0000${region ?? ''}`;

/**
 * Reads an earlier `ward scan --format json` report (schema version 1 or 2) as a baseline.
 * @throws BaselineFileError naming the file and what is wrong with it.
 */
export function loadBaseline(path: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BaselineFileError(`--baseline ${path}: cannot read it as JSON (${(err as Error).message})`, {
      cause: err,
    });
  }
  if (!isRecord(raw) || !isRecord(raw.summary) || !Array.isArray(raw.evaluations)) {
    throw new BaselineFileError(
      `--baseline ${path}: not a ward scan --format json report (no summary and evaluations)`,
    );
  }
  const previous: PreviousEvaluation[] = [];
  for (const [i, e] of raw.evaluations.entries()) {
    if (
      !isRecord(e) ||
      typeof e.rule !== 'string' ||
      typeof e.resourceType !== 'string' ||
      typeof e.resourceId !== 'string'
    ) {
      throw new BaselineFileError(`--baseline ${path}: evaluations[${i}] has no rule, resourceType or resourceId`);
    }
    if (e.compliance !== Compliance.NON_COMPLIANT) continue;
    const findings = Array.isArray(e.findings) ? e.findings : [];
    previous.push({
      rule: e.rule,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      accountId: str(e.accountId),
      region: str(e.region),
      codes: new Set(findings.filter(isRecord).map((f) => String(f.code))),
    });
  }
  return new Baseline(path, previous);
}

/**
 * Compares a scan with an earlier report. A NON_COMPLIANT evaluation is `unchanged` when the baseline had the
 * same rule and resource (same account and region when the baseline records them) NON_COMPLIANT with every
 * finding code it has now, and `new` otherwise (a new resource, or a new kind of finding on a known one).
 * Baseline evaluations of the rules that ran which are no longer NON_COMPLIANT are listed as fixed.
 */
export class Baseline {
  private readonly byKey = new Map<string, PreviousEvaluation>();
  private readonly stillFailing = new Set<PreviousEvaluation>();
  private readonly rulesRan = new Set<string>();
  private newCount = 0;
  private unchangedCount = 0;

  constructor(
    readonly file: string,
    private readonly previous: readonly PreviousEvaluation[],
  ) {
    for (const p of previous) {
      const key =
        p.accountId === null
          ? shortKey(p.rule, p.resourceType, p.resourceId)
          : fullKey(p.rule, p.resourceType, p.resourceId, p.accountId, p.region);
      this.byKey.set(key, p);
    }
  }

  /** Sets `se.baseline` on a NON_COMPLIANT evaluation. */
  mark(se: ScanEvaluation): void {
    const rule = se.rule.meta.id;
    this.rulesRan.add(rule);
    if (se.evaluation.compliance !== Compliance.NON_COMPLIANT) return;
    const { resourceType, resourceId } = se.evaluation;
    const prev =
      this.byKey.get(fullKey(rule, resourceType, resourceId, se.identity.accountId, se.identity.region)) ??
      this.byKey.get(shortKey(rule, resourceType, resourceId));
    if (prev) this.stillFailing.add(prev);
    const unchanged = prev !== undefined && se.findings.every((f) => prev.codes.has(f.code));
    se.baseline = unchanged ? 'unchanged' : 'new';
    if (unchanged) this.unchangedCount++;
    else this.newCount++;
  }

  /** New, unchanged and fixed evaluations. */
  summary(): BaselineSummary {
    const fixed: FixedEvaluation[] = this.previous
      .filter((p) => this.rulesRan.has(p.rule) && !this.stillFailing.has(p))
      .map((p) => ({
        rule: p.rule,
        resourceType: p.resourceType,
        resourceId: p.resourceId,
        accountId: p.accountId,
        region: p.region,
      }));
    return { file: this.file, new: this.newCount, unchanged: this.unchangedCount, fixed };
  }
}
