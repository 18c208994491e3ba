/**
 * What `gather` learnt from an offline lookup (a snapshot's index, a template set), kept for the rest of the scan.
 * Such a lookup answers from items fixed before the first rule runs, so the same question gets the same answer
 * for every principal: a customer-managed policy attached to many roles is read and parsed back from the file
 * once per scan, not once per role. Kept per lookup object (a WeakMap: a new scan, a new lookup, nothing shared),
 * never for the Lambda's IAM reads (IAM can change between invocations). Bounded: an organization-sized
 * snapshot holds tens of thousands of policies; the least recently used answer is dropped first.
 */
import type { ResourceLookup } from '../runtime/context';

/** Answers kept per lookup and kind (about 6 MB of policy documents at the bench's average of 1.5 KB). */
export const LOOKUP_MEMO_SIZE = 4096;

/** A bounded map, least recently used dropped first (Map keeps insertion order; a hit is moved to the end). */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly limit: number = LOOKUP_MEMO_SIZE) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
  }

  get size(): number {
    return this.map.size;
  }
}

/** The memos of one kind of answer, one per offline lookup. */
export class LookupMemos<V> {
  private readonly byLookup = new WeakMap<ResourceLookup, BoundedMemo<V>>();

  constructor(private readonly limit: number = LOOKUP_MEMO_SIZE) {}

  /** The memo of `lookup`, created on first use. */
  of(lookup: ResourceLookup): BoundedMemo<V> {
    let memo = this.byLookup.get(lookup);
    if (memo === undefined) this.byLookup.set(lookup, (memo = new BoundedMemo<V>(this.limit)));
    return memo;
  }
}
