/*
 * A hand-written streaming splitter for configuration-item files. It never holds more than one item (plus one
 * read chunk) in memory, so a 1 GB snapshot scans in bounded memory: it tracks string and escape state and the
 * nesting depth byte by byte, and cuts out each top-level item so the caller can JSON.parse it alone.
 *
 * Accepted layouts, detected from the bytes:
 * - `{"fileVersion": ..., "configurationItems": [ {item}, ... ]}`  (Config snapshot delivered to S3, and
 *   get-resource-config-history output) and `{"baseConfigurationItems": [...]}` (batch-get-resource-config);
 * - `[ {item}, ... ]`  (a JSON array of items);
 * - `{item}\n{item}\n...`  (JSON Lines, or a single item: a top-level object without an items array is an item).
 * It only cuts on ASCII structural bytes, so multi-byte UTF-8 characters are never split.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Keys of a wrapper object whose array value holds the items. */
export const ITEM_ARRAY_KEYS = ['configurationItems', 'baseConfigurationItems'] as const;
const ITEM_KEY_BYTES = ITEM_ARRAY_KEYS.map((k) => Buffer.from(k));
const NOT_AN_OBJECT = Buffer.from('null');
/**
 * Keys and type names longer than this are never the ones we look for: no need to remember them. Room for
 * every character written as a JSON escape (`\u0054` is six bytes for one).
 */
const MAX_KEY = 512;
const NEWLINE = 0x0a;
/** The UTF-8 byte-order mark some editors and tools write at the start of a file. */
const BOM = [0xef, 0xbb, 0xbf] as const;
const RESOURCE_TYPE = Buffer.from('resourceType');

/** The raw bytes of one item as cut from the input, and where it was. */
export interface RawItem {
  /** The item's bytes (a JSON value, normally an object). */
  readonly bytes: Buffer;
  /** 0-based position of the item in its file. */
  readonly index: number;
  /** Byte offset of the item's first byte in the (decompressed) input. */
  readonly start: number;
  /** 1-based line of the item's first byte. */
  readonly line: number;
  /** False for a scalar where an item was expected (its bytes are a placeholder). */
  readonly object: boolean;
  /**
   * The item's top-level `resourceType`, read while splitting (no parse needed to route the item), or
   * undefined when absent or not a plain string.
   */
  readonly resourceType?: string;
}

/** What the input looked like, once known. */
export type InputLayout = 'snapshot' | 'array' | 'lines' | 'unknown';

/** The input is not a layout the splitter understands; `offset` is the byte position of the problem. */
export class SplitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'SplitError';
  }
}

function same(region: Buffer, start: number, target: Buffer): boolean {
  for (let k = 0; k < target.length; k++) if (region[start + k] !== target[k]) return false;
  return true;
}

/** The string a JSON string's raw bytes (between the quotes) stand for, or undefined when they are not valid. */
function decodeEscaped(region: Buffer, start: number, end: number): string | undefined {
  try {
    const v: unknown = JSON.parse(`"${region.toString('utf8', start, end)}"`);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function hasByte(region: Buffer, start: number, end: number, byte: number): boolean {
  for (let k = start; k < end; k++) if (region[k] === byte) return true;
  return false;
}

/**
 * Push-based splitter: feed chunks with {@link ItemSplitter.push}, then call {@link ItemSplitter.end}. Each
 * complete item is handed to `onItem` as soon as its last byte arrives.
 */
export class ItemSplitter {
  private depth = 0;
  private inString = false;
  /** The next byte (at the start of the next chunk) is escaped. */
  private escapeNext = false;
  /** Depth at which items sit: 1 in an array, 2 in a wrapper's item array; 0 for top-level objects. */
  private itemDepth = 0;
  /** Inside the current item's bytes. */
  private capturing = false;
  /** A top-level `{` seen at depth 0: it is either a wrapper or an item (JSON Lines). */
  private topObject = false;
  /** Pieces of the item being captured, from earlier chunks. */
  private pieces: Buffer[] = [];
  private captureStart = 0;
  private itemStart = 0;
  /** The last key at item level (depth itemDepth + 1) and what it was; a key string being read. */
  private keyIsResourceType = false;
  private keyIsItemArray = false;
  private keyPieces: Buffer[] = [];
  private keyStart = -1;
  private keyLength = 0;
  private keyIsType = false;
  /** resourceType of the item being captured, when read from its bytes. */
  private itemType: string | undefined;
  private afterColon = false;
  /** Inside the wrapper's item array (items are at depth 2). */
  private inItemArray = false;
  /** A scalar item (not an object) is being read: it is reported as a bad item when it ends. */
  private scalarItem = false;
  private offset = 0;
  /** Newlines seen outside strings so far (valid JSON has none inside strings). */
  private newlines = 0;
  private itemLine = 1;
  /** Bytes of a leading byte-order mark still to skip (checked on the first bytes only). */
  private bomAt = 0;
  /** Inside a JSON Lines row that is not an object: skipped to the end of its line, then reported. */
  private badRow = false;
  /** The first bad row, for the error when no row at all is an object (then the input is not JSON Lines). */
  private firstBadRow: { char: string; offset: number } | undefined;
  private objectRows = 0;
  private count = 0;
  private sawAnything = false;
  private layoutSeen: InputLayout = 'unknown';

  constructor(private readonly onItem: (item: RawItem) => void) {}

  /** The layout detected so far. */
  get layout(): InputLayout {
    return this.layoutSeen;
  }

  /** Items emitted so far. */
  get items(): number {
    return this.count;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.offset;
  }

  /** Feeds the next chunk. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    // A byte-order mark is not JSON, but it is a common way to start a UTF-8 file: skip it.
    while (this.bomAt < BOM.length && this.offset + i === this.bomAt && i < n && chunk[i] === BOM[this.bomAt]) {
      this.bomAt++;
      i++;
    }
    if (this.offset + i > this.bomAt) this.bomAt = BOM.length;
    if (this.escapeNext && n > 0) {
      this.escapeNext = false;
      i = 1;
    }
    while (i < n) {
      if (this.badRow) {
        const end = chunk.indexOf(NEWLINE, i);
        if (end === -1) {
          i = n;
          break;
        }
        this.endBadRow();
        this.newlines++;
        i = end + 1;
        continue;
      }
      if (this.inString) {
        // indexOf (memchr) jumps over string contents; a quote preceded by an odd run of backslashes is escaped.
        const segStart = i;
        let q = chunk.indexOf(QUOTE, i);
        while (q !== -1) {
          let k = q - 1;
          while (k >= segStart && chunk[k] === BACKSLASH) k--;
          if ((q - 1 - k) % 2 === 0) break;
          q = chunk.indexOf(QUOTE, q + 1);
        }
        if (q === -1) {
          // Stopped inside the string; a trailing odd run of backslashes escapes the next chunk's first byte.
          let k = n - 1;
          while (k >= segStart && chunk[k] === BACKSLASH) k--;
          this.escapeNext = (n - 1 - k) % 2 === 1;
          i = n;
          break;
        }
        this.inString = false;
        if (this.keyStart >= 0) this.closeKey(chunk, q);
        i = q + 1;
        continue;
      }
      const c = chunk[i];
      switch (c) {
        case QUOTE:
          if (this.depth <= this.itemDepth) this.beginValue(chunk, i);
          // A string row of JSON Lines is skipped whole to the end of its line.
          if (this.badRow) break;
          this.inString = true;
          if (this.capturing && this.depth === this.itemDepth + 1) {
            // A key of the item (or of the top-level object), or the value of its resourceType.
            if (!this.afterColon) this.openKey(i + 1, false);
            else if (this.keyIsResourceType) this.openKey(i + 1, true);
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          this.open(chunk, i, c);
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.close(chunk, i, c);
          break;
        case COLON:
          if (this.depth === this.itemDepth + 1) this.afterColon = true;
          break;
        case COMMA:
          if (this.scalarItem && this.depth === this.itemDepth) this.endScalar();
          if (this.depth === this.itemDepth + 1) this.afterColon = false;
          break;
        case NEWLINE:
          this.newlines++;
          break;
        case 0x20:
        case 0x0d:
        case 0x09:
          break;
        default:
          // Numbers and literals: only at item level (or top level) do they matter.
          if (this.depth <= this.itemDepth) this.beginValue(chunk, i);
      }
      i++;
    }
    if (this.inString && this.keyStart >= 0) this.carryKey(chunk, n);
    if (this.capturing) {
      this.pieces.push(chunk.subarray(this.captureStart, n));
      this.captureStart = 0;
    }
    this.offset += n;
  }

  /** Signals the end of input. @throws SplitError when the input stopped inside an item or is not JSON. */
  end(): void {
    if (this.badRow) this.endBadRow();
    if (this.firstBadRow && this.objectRows === 0) {
      throw new SplitError(
        `expected a JSON object or array, found '${this.firstBadRow.char}'`,
        this.firstBadRow.offset,
      );
    }
    if (this.scalarItem && this.depth === this.itemDepth) this.endScalar();
    if (this.inString || this.depth !== 0 || this.capturing) {
      throw new SplitError('the input ends inside a JSON value (truncated file?)', this.offset);
    }
    if (!this.sawAnything) throw new SplitError('the input is empty', 0);
  }

  /** A value starts at `i` (string, number, literal): at item depth it is a (bad) scalar item. */
  private beginValue(chunk: Buffer, i: number): void {
    this.sawAnything = true;
    if (this.depth === 0) {
      if (this.startBadRow(chunk, i)) return;
      throw new SplitError(
        `expected a JSON object or array, found '${String.fromCharCode(chunk[i])}'`,
        this.offset + i,
      );
    }
    if (this.itemDepth > 0 && this.depth === this.itemDepth && !this.capturing && !this.scalarItem) {
      this.scalarItem = true;
      this.startCapture(i);
    }
  }

  private open(chunk: Buffer, i: number, c: number): void {
    this.sawAnything = true;
    if (this.depth === 0) {
      if (c === OPEN_BRACKET && this.layoutSeen === 'lines' && this.startBadRow(chunk, i)) return;
      if (c === OPEN_BRACKET) {
        this.layoutSeen = this.layoutSeen === 'unknown' ? 'array' : this.layoutSeen;
        if (this.layoutSeen !== 'array') throw new SplitError('unexpected array after items', this.offset + i);
        this.itemDepth = 1;
      } else {
        // Either a wrapper object or one item of JSON Lines: capture it until we know.
        this.topObject = true;
        this.itemDepth = 0;
        this.startCapture(i);
      }
    } else if (this.topObject && this.depth === 1 && c === OPEN_BRACKET && !this.inItemArray && this.keyIsItemArray) {
      // The wrapper's item array: drop what was captured of the wrapper and cut items at depth 2.
      this.capturing = false;
      this.pieces = [];
      this.inItemArray = true;
      this.itemDepth = 2;
      this.layoutSeen = 'snapshot';
    } else if (this.depth === this.itemDepth && this.itemDepth > 0 && !this.capturing && !this.scalarItem) {
      this.startCapture(i);
    }
    this.depth++;
  }

  private close(chunk: Buffer, i: number, c: number): void {
    if (this.depth === 0) throw new SplitError(`unexpected '${String.fromCharCode(c)}'`, this.offset + i);
    if (this.scalarItem && this.depth === this.itemDepth) this.endScalar();
    this.depth--;
    if (this.capturing && this.itemDepth > 0 && this.depth === this.itemDepth && !this.scalarItem) {
      this.emit(chunk, i + 1);
    }
    if (this.inItemArray && this.depth === 1) {
      this.inItemArray = false;
      this.itemDepth = 0;
    }
    if (this.depth === this.itemDepth + 1) this.afterColon = false;
    if (this.depth === 0) {
      if (this.topObject && this.capturing) {
        // A top-level object without an item array: it is an item itself (JSON Lines or a single item).
        if (this.layoutSeen === 'snapshot') {
          throw new SplitError('unexpected object after the snapshot', this.offset + i);
        }
        this.layoutSeen = 'lines';
        this.objectRows++;
        this.emit(chunk, i + 1);
      }
      this.topObject = false;
      this.capturing = false;
      this.itemDepth = 0;
    }
  }

  /** A key string continues in the next chunk: keep its start, unless it is already too long to matter. */
  private openKey(start: number, isType: boolean): void {
    this.keyStart = start;
    this.keyPieces = [];
    this.keyLength = 0;
    this.keyIsType = isType;
  }

  private carryKey(chunk: Buffer, n: number): void {
    this.keyPieces.push(chunk.subarray(this.keyStart, n));
    this.keyLength += n - this.keyStart;
    this.keyStart = 0;
    if (this.keyLength > MAX_KEY) {
      this.keyPieces = [];
      this.keyStart = -1;
      this.keyIsResourceType = false;
      this.keyIsItemArray = false;
    }
  }

  private closeKey(chunk: Buffer, q: number): void {
    // Compared in place: allocating a Buffer per key would cost more than the whole scan of the key.
    let region = chunk;
    let start = this.keyStart;
    let end = q;
    if (this.keyPieces.length > 0) {
      region = Buffer.concat([...this.keyPieces, chunk.subarray(this.keyStart, q)]);
      start = 0;
      end = region.length;
    }
    const len = end - start;
    if (this.keyIsType) {
      if (len > MAX_KEY) this.itemType = undefined;
      else if (!hasByte(region, start, end, BACKSLASH)) this.itemType = region.toString('latin1', start, end);
      else this.itemType = decodeEscaped(region, start, end);
    } else if (len > RESOURCE_TYPE.length && hasByte(region, start, end, BACKSLASH)) {
      // A key written with JSON escapes ("resource\u0054ype") is the key JSON says it is.
      const key = decodeEscaped(region, start, end);
      this.keyIsResourceType = key === 'resourceType';
      this.keyIsItemArray = key !== undefined && (ITEM_ARRAY_KEYS as readonly string[]).includes(key);
    } else {
      this.keyIsResourceType = len === RESOURCE_TYPE.length && same(region, start, RESOURCE_TYPE);
      this.keyIsItemArray = ITEM_KEY_BYTES.some((k) => len === k.length && same(region, start, k));
    }
    this.keyPieces = [];
    this.keyLength = 0;
    this.keyStart = -1;
  }

  /**
   * A value at the top level of JSON Lines (or before any layout is known) that is not an object: it is skipped
   * to the end of its line and reported as a bad item, and the next rows are read. False when the layout does
   * not allow it (after a snapshot or an array, the input is not JSON Lines).
   */
  private startBadRow(chunk: Buffer, i: number): boolean {
    if (this.layoutSeen !== 'lines' && this.layoutSeen !== 'unknown') return false;
    this.firstBadRow ??= { char: String.fromCharCode(chunk[i]), offset: this.offset + i };
    this.layoutSeen = 'lines';
    this.badRow = true;
    this.itemStart = this.offset + i;
    this.itemLine = this.newlines + 1;
    return true;
  }

  private endBadRow(): void {
    this.badRow = false;
    this.onItem({
      bytes: NOT_AN_OBJECT,
      index: this.count++,
      start: this.itemStart,
      line: this.itemLine,
      object: false,
    });
  }

  private startCapture(i: number): void {
    this.itemStart = this.offset + i;
    this.itemLine = this.newlines + 1;
    this.itemType = undefined;
    this.keyIsResourceType = false;
    this.keyIsItemArray = false;
    this.afterColon = false;
    this.capturing = true;
    this.captureStart = i;
    this.pieces = [];
  }

  private emit(chunk: Buffer, end: number): void {
    const tail = chunk.subarray(this.captureStart, end);
    const bytes = this.pieces.length === 0 ? tail : Buffer.concat([...this.pieces, tail]);
    this.pieces = [];
    this.capturing = false;
    this.onItem({
      bytes,
      index: this.count++,
      start: this.itemStart,
      line: this.itemLine,
      object: true,
      resourceType: this.itemType,
    });
  }

  /** A scalar in the item array ended (at a comma or the closing bracket). */
  private endScalar(): void {
    this.scalarItem = false;
    // The scalar's bytes are not kept precisely (it is an error either way): report a marker.
    this.capturing = false;
    this.pieces = [];
    this.onItem({
      bytes: NOT_AN_OBJECT,
      index: this.count++,
      start: this.itemStart,
      line: this.itemLine,
      object: false,
    });
  }
}
