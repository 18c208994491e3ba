/**
 * What a scan was asked to judge and did not: the accounting behind exit code 2. Every input adapter, the
 * engine and the live scan add to one list; the report's summary carries it and stderr gets one line each.
 */

/** What kind of work was not done. */
export const NotJudgedKind = {
  /** An input file or stream that could not be read or parsed at all. */
  INPUT: 'input',
  /** One item or row of a readable input. */
  ITEM: 'item',
  /** A resource whose configuration could not be read (NON_COMPLIANT `unreadable-configuration`). */
  RESOURCE: 'resource',
  /** A rule that failed on a resource or as a whole (`evaluation-error`), or could not run. */
  RULE: 'rule',
  /** A region, account or resource type of a live scan that could not be read. */
  SCOPE: 'scope',
} as const;

/** One of {@link NotJudgedKind}. */
export type NotJudgedKindValue = (typeof NotJudgedKind)[keyof typeof NotJudgedKind];

/** One piece of work not done: what, and why, in one line. */
export interface NotJudged {
  readonly kind: NotJudgedKindValue;
  /** The file, item, resource, rule, region or type, as the user would name it. */
  readonly subject: string;
  readonly problem: string;
}

/** Entries kept in the summary (the count is exact). */
const MAX_KEPT = 1000;

/** The list of work not done in one run. */
export class NotJudgedList {
  private readonly kept: NotJudged[] = [];
  private total = 0;

  /** Records one entry; returns its one-line form (`subject: problem`). */
  add(kind: NotJudgedKindValue, subject: string, problem: string): string {
    this.total++;
    if (this.kept.length < MAX_KEPT) this.kept.push({ kind, subject, problem });
    return describeNotJudged({ kind, subject, problem });
  }

  /** How many entries were recorded. */
  get count(): number {
    return this.total;
  }

  /** The entries kept (the first {@link MAX_KEPT}). */
  get entries(): readonly NotJudged[] {
    return this.kept;
  }
}

/** The one-line form of an entry. */
export function describeNotJudged(n: NotJudged): string {
  return n.subject ? `${n.subject}: ${n.problem}` : n.problem;
}
