/**
 * Where an item was read: the input file and the 1-based line where the item starts (for a `.gz` file, the
 * line in the decompressed text). Every input adapter supplies one where it has a file: the snapshot reader
 * from the splitter's byte offsets, template adapters from their parsers (with the template's logical id).
 * SARIF anchors its results here; JSON reports it as `location`.
 */
export interface ItemLocation {
  /** The file as the user named it (SARIF makes it relative to the working directory). */
  readonly file: string;
  /** 1-based line where the item starts. */
  readonly line: number;
  /** The resource's logical id in a template, when the input is one. */
  readonly logicalId?: string;
}
