import type { Readable } from 'node:stream';
import type { RawItem } from './item-splitter';

/** Type id of an item whose resourceType could not be read from its bytes (it is parsed to find out). */
export const UNKNOWN_TYPE = 0;
/** Type id of a scalar where an item was expected. */
export const NOT_AN_OBJECT = 0xffff;

/** One item located by the first pass. */
export interface LocatedItem {
  readonly index: number;
  readonly bytes: Buffer;
  /** The resourceType read while splitting, or undefined. */
  readonly resourceType: string | undefined;
  /** 1-based line of the item's first byte in the (decompressed) input. */
  readonly line: number;
}

/**
 * Counts lines while a stream is read chunk by chunk, so that the line of any offset at or after the last one
 * asked for is known without keeping earlier chunks. Each newline is found once (the next one is remembered),
 * so a file on one line costs no more than a pretty-printed one.
 */
class LineCounter {
  private pos = 0;
  private line = 1;
  /** Absolute offset of the next newline at or after `pos` in the current chunk, -1 when none. */
  private next = -2;

  /** The 1-based line at `target` (an absolute offset in `chunk`, which starts at `base`); moves forward only. */
  at(chunk: Buffer, base: number, target: number): number {
    if (target <= this.pos) return this.line;
    for (;;) {
      if (this.next === -2 || (this.next !== -1 && this.next < this.pos)) {
        const k = chunk.indexOf(0x0a, this.pos - base);
        this.next = k === -1 ? -1 : base + k;
      }
      if (this.next === -1 || this.next >= target) break;
      this.line++;
      this.pos = this.next + 1;
      this.next = -2;
    }
    this.pos = target;
    return this.line;
  }

  /** Counts the rest of a chunk; the next chunk starts fresh. */
  finish(chunk: Buffer, base: number): void {
    this.at(chunk, base, base + chunk.length);
    this.next = -2;
  }
}

/** A typed array twice as long as `a`, starting with its values. */
export function doubled<T extends Float64Array | Uint32Array | Uint16Array>(a: T, make: (n: number) => T): T {
  const b = make(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Where each item of one input lies (byte offset and length in the decompressed stream) and its type, as
 * found by the first pass. The second pass then cuts items at these offsets without running the splitter
 * again, and skips items no rule covers without copying or parsing them. About 22 bytes per item.
 */
export class ItemTable {
  private starts = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private typeIds = new Uint16Array(1024);
  private lines = new Uint32Array(1024);
  private n = 0;
  private unknown = false;
  private readonly typeNames: string[] = [''];
  private readonly ids = new Map<string, number>();

  /** Items recorded. */
  get count(): number {
    return this.n;
  }

  /** True when some object's resourceType could not be read while splitting (it must be parsed). */
  get hasUnknownTypes(): boolean {
    return this.unknown;
  }

  /** The distinct resource types seen. */
  get types(): readonly string[] {
    return this.typeNames.slice(1);
  }

  /** The id of a type name (interned). */
  typeId(name: string | undefined): number {
    if (name === undefined) return UNKNOWN_TYPE;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.typeNames.length;
      if (id >= NOT_AN_OBJECT) return UNKNOWN_TYPE;
      this.typeNames.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** Records the next item (items come in file order). */
  add(item: RawItem): void {
    if (this.n === this.starts.length) {
      this.starts = doubled(this.starts, (k) => new Float64Array(k));
      this.lengths = doubled(this.lengths, (k) => new Uint32Array(k));
      this.typeIds = doubled(this.typeIds, (k) => new Uint16Array(k));
      this.lines = doubled(this.lines, (k) => new Uint32Array(k));
    }
    this.lines[this.n] = item.line;
    this.starts[this.n] = item.start;
    this.lengths[this.n] = item.bytes.length;
    const id = item.object ? this.typeId(item.resourceType) : NOT_AN_OBJECT;
    if (id === UNKNOWN_TYPE) this.unknown = true;
    this.typeIds[this.n] = id;
    this.n++;
  }

  /** The 1-based line where item `k` starts. */
  lineOf(k: number): number {
    return this.lines[k];
  }

  /** True when item `k` was a scalar, not an object. */
  isScalar(k: number): boolean {
    return this.typeIds[k] === NOT_AN_OBJECT;
  }

  /** Objects whose type was read while splitting and for which `wanted(typeName)` is false. */
  countUnwanted(wanted: (type: string) => boolean): number {
    const unwanted = this.typeNames.map((name, id) => id !== UNKNOWN_TYPE && !wanted(name));
    let n = 0;
    for (let k = 0; k < this.n; k++) {
      const id = this.typeIds[k];
      if (id !== NOT_AN_OBJECT && unwanted[id]) n++;
    }
    return n;
  }

  /**
   * Reads `stream` (the same bytes the first pass saw) and hands over, chunk by chunk, the items for which
   * `wanted(typeName)` is true (unknown types are always handed over, scalars never).
   */
  async cut(
    stream: Readable,
    wanted: (type: string | undefined) => boolean,
    onBatch: (items: LocatedItem[]) => Promise<void> | void,
  ): Promise<void> {
    const take = this.typeNames.map((name, id) => id === UNKNOWN_TYPE || wanted(name));
    let k = 0;
    let pos = 0;
    let pieces: Buffer[] = [];
    const lines = new LineCounter();
    // The line of an item that started in an earlier chunk, found when its first piece was kept.
    let pendingLine = 0;
    for await (const data of stream) {
      const chunk = data as Buffer;
      const end = pos + chunk.length;
      const batch: LocatedItem[] = [];
      while (k < this.n) {
        const id = this.typeIds[k];
        if (id === NOT_AN_OBJECT || !take[id]) {
          k++;
          continue;
        }
        const s = this.starts[k];
        const e = s + this.lengths[k];
        if (s >= end) break;
        if (e > end) {
          // The item goes on in the next chunk: keep its part of this one.
          if (s >= pos) pendingLine = lines.at(chunk, pos, s);
          pieces.push(chunk.subarray(Math.max(0, s - pos)));
          break;
        }
        const line = s >= pos ? lines.at(chunk, pos, s) : pendingLine;
        const tail = chunk.subarray(Math.max(0, s - pos), e - pos);
        const bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]);
        pieces = [];
        batch.push({ index: k, bytes, resourceType: id === UNKNOWN_TYPE ? undefined : this.typeNames[id], line });
        k++;
      }
      lines.finish(chunk, pos);
      pos = end;
      if (batch.length > 0) await onBatch(batch);
    }
  }
}
