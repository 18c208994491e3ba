import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import type { ConfigurationItem } from '../../rules/runtime/configuration-item';
import type { Evaluation } from '../../rules/runtime/types';
import type { ItemLocation } from '../findings/location';
import type { EvaluationSource } from '../findings/scan-evaluation';
import { identityOf } from '../findings/identity';

/** Where `--live` saves its snapshot by default: beside the report (`ward.sarif` -> `ward.snapshot.json`). */
export function defaultSnapshotPath(output: string | undefined, cwd: string): string {
  if (output === undefined || output === '-') return join(cwd, 'ward-live.snapshot.json');
  const p = parse(output);
  return join(dirname(output), `${p.name}.snapshot.json`);
}

/** A configuration item in the form Config writes to S3 snapshots (what `ward scan` reads back). */
function snapshotForm(item: ConfigurationItem): Record<string, unknown> {
  return {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: item.captureTime || null,
    configurationItemStatus: item.status,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName ?? null,
    ARN: item.arn ?? null,
    awsAccountId: item.accountId,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone ?? null,
    resourceCreationTime: item.resourceCreationTime ?? null,
    tags: item.tags,
    relationships: item.relationships.map((r) => ({
      resourceType: r.resourceType ?? null,
      resourceId: r.resourceId ?? null,
      resourceName: r.resourceName ?? null,
      name: r.name,
    })),
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration,
  };
}

/**
 * Writes the items a live scan read as a Config snapshot, one item a line, and gives each evaluation the line
 * of its resource there: live results get a file to point at (GitHub rejects a result without one). A resource
 * judged only by a periodic rule (no configuration item) gets a line of its own with status
 * `ResourceNotRecorded` and no configuration, which a later offline scan reports NOT_APPLICABLE, not judged.
 */
export class LiveSnapshotWriter {
  private readonly fd: number;
  private line = 1;
  private count = 0;
  private readonly lines = new Map<string, number>();

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, '{"fileVersion":"1.0","configurationItems":[');
  }

  /** The location of an evaluation's resource, writing its item (or a reference line) the first time. */
  locate(e: Evaluation, source: EvaluationSource): ItemLocation {
    const key = `${e.resourceType}\u0000${e.resourceId}`;
    let at = this.lines.get(key);
    if (at === undefined) {
      const item =
        source.item?.resourceType === e.resourceType && source.item.resourceId === e.resourceId
          ? source.item
          : undefined;
      let record: Record<string, unknown>;
      if (item) record = snapshotForm(item);
      else {
        const id = identityOf(e, source);
        record = {
          configurationItemStatus: 'ResourceNotRecorded',
          resourceType: e.resourceType,
          resourceId: e.resourceId,
          ARN: id.arn ?? null,
          awsAccountId: id.accountId,
          awsRegion: id.region,
          configuration: null,
        };
      }
      writeSync(this.fd, `${this.count++ === 0 ? '' : ','}\n${JSON.stringify(record)}`);
      at = ++this.line;
      this.lines.set(key, at);
    }
    return { file: this.path, line: at };
  }

  /** Ends the JSON document and closes the file (idempotent). */
  async close(): Promise<void> {
    if (this.count < 0) return;
    writeSync(this.fd, '\n]}\n');
    closeSync(this.fd);
    this.count = -1;
  }
}
