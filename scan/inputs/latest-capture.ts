/**
 * An AWSLogs tree as Config delivers it to S3 (`AWSLogs/<account>/Config/<region>/<y>/<m>/<d>/ConfigSnapshot/...`
 * and `.../ConfigHistory/...`) holds every capture of every resource, day after day. Read as the current state,
 * each resource is judged once, from its latest capture across all files (by `configurationItemCaptureTime`),
 * so a resource fixed yesterday is not red today; a resource whose latest item says deleted is NOT_APPLICABLE.
 */

/** True when a path lies in an AWSLogs tree of Config deliveries. */
export function isAwsLogsPath(path: string): boolean {
  return /(^|[\\/])AWSLogs[\\/]\d{12}[\\/]Config[\\/]/.test(path);
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The key of a resource across captures: account, region, type and id. */
export function resourceKey(raw: Record<string, unknown>): string | undefined {
  const type = str(raw.resourceType);
  const id = str(raw.resourceId);
  if (type === '' || id === '') return undefined;
  return `${str(raw.awsAccountId) || str(raw.accountId)}\u0000${str(raw.awsRegion)}\u0000${type}\u0000${id}`;
}

/** The capture time in milliseconds (0 when missing or unreadable: any dated capture wins over it). */
function captureTime(raw: Record<string, unknown>): number {
  const t = Date.parse(str(raw.configurationItemCaptureTime) || str(raw.captureTime));
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Finds the latest capture of each resource in a first pass, then answers for each item of the second pass
 * whether it is that capture. Ties go to the first capture read (files in path order), so exactly one capture
 * of each resource is judged.
 */
export class LatestCaptures {
  private readonly best = new Map<string, { time: number; input: number; index: number }>();
  private skippedCount = 0;
  private byInput: Map<number, Set<number>> | undefined;

  /** Pass 1: notes one item (a parsed JSON object) at `index` of input `input`. */
  consider(input: number, index: number, raw: Record<string, unknown>): void {
    const key = resourceKey(raw);
    if (key === undefined) return;
    const time = captureTime(raw);
    const cur = this.best.get(key);
    if (cur === undefined || time > cur.time) this.best.set(key, { time, input, index });
  }

  /** Pass 2: true when this item is its resource's latest capture (or has no key: it is judged as is). */
  isLatest(input: number, index: number, raw: Record<string, unknown>): boolean {
    const key = resourceKey(raw);
    if (key === undefined) return true;
    const cur = this.best.get(key);
    if (cur === undefined || (cur.input === input && cur.index === index)) return true;
    this.skippedCount++;
    return false;
  }

  /**
   * The items of input `input` that are their resource's latest capture (for judging in worker threads, which
   * see one batch of items each: an item with a resource key is judged only when it is in this set).
   */
  latestOf(input: number): ReadonlySet<number> {
    if (this.byInput === undefined) {
      // Built once, after pass 1 (no capture is considered after the first call).
      this.byInput = new Map();
      for (const best of this.best.values()) {
        let set = this.byInput.get(best.input);
        if (set === undefined) this.byInput.set(best.input, (set = new Set()));
        set.add(best.index);
      }
    }
    return this.byInput.get(input) ?? new Set();
  }

  /** Counts older captures that were left unjudged elsewhere (worker threads). */
  addSkipped(n: number): void {
    this.skippedCount += n;
  }

  /** Older captures not judged. */
  get skipped(): number {
    return this.skippedCount;
  }
}
