/**
 * Where an item was read: the input file and the 1-based line where the item starts (for a `.gz` file, the
 * line in the decompressed text). Every input adapter supplies one where it has a file: the snapshot reader
 * from the splitter's byte offsets, template adapters from their parsers (CloudFormation, CDK assemblies,
 * Terraform plans), which also give the logical id, the CDK construct path and the `Fn::If` branch, and point
 * at the property a finding is about where they know its line. SARIF anchors its results here; JSON reports
 * it as `location`; the table prints `file:line`.
 */
export interface ItemLocation {
  /** The file as the user named it (SARIF makes it relative to the working directory). */
  readonly file: string;
  /** 1-based line where the item starts (for a template finding: of the property it is about, where known). */
  readonly line: number;
  /** 1-based column, where a line alone does not place the item (a Terraform plan is often one line). */
  readonly column?: number;
  /** The resource's logical id in a template (a Terraform plan: its address), when the input is one. */
  readonly logicalId?: string;
  /** The construct path (`aws:cdk:path`) of a resource synthesized by the CDK. */
  readonly cdkPath?: string;
  /** The `Fn::If` branch the finding was seen in, as `IsProd=true, HasKey=false`. */
  readonly branch?: string;
}

/** The JSON form of a location: the fields set, in a fixed order (the streaming writer keeps the same). */
export function locationJson(loc: ItemLocation): ItemLocation {
  return {
    file: loc.file,
    line: loc.line,
    ...(loc.column !== undefined ? { column: loc.column } : {}),
    ...(loc.logicalId !== undefined ? { logicalId: loc.logicalId } : {}),
    ...(loc.cdkPath !== undefined ? { cdkPath: loc.cdkPath } : {}),
    ...(loc.branch !== undefined ? { branch: loc.branch } : {}),
  };
}
