import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ComplianceType, SeverityLevel } from '../../rules/runtime/types';
import { findingControls } from '../findings/control-summary';
import { type ItemLocation, locationJson } from '../findings/location';
import type { ScanSummary } from '../findings/report';
import {
  type BaselineState,
  fullSeverity,
  type ScanEvaluation,
  type SuppressionMark,
} from '../findings/scan-evaluation';

/** Bytes of evaluation JSON buffered before a write to the spool file. */
const FLUSH_AT = 1 << 20;

const q = JSON.stringify;

/** One finding in `ward scan --format json` (schema version 2 added `severity`, `fingerprint`, `suppressed`). */
export interface JsonFinding {
  readonly code: string;
  readonly message: string;
  readonly path: string | null;
  readonly severity: SeverityLevel;
  readonly fingerprint: string;
  readonly suppressed?: SuppressionMark;
  /** Framework controls the finding fails (`aws-fsbp:IAM.1`, ...; rule metadata `controls`). */
  readonly controls: readonly string[];
}

/**
 * One element of `evaluations` in `ward scan --format json` (a stable interface). Schema version 2 added
 * every field after `findings`.
 */
export interface JsonEvaluation {
  readonly rule: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: ComplianceType;
  readonly annotation: string;
  readonly findings: readonly JsonFinding[];
  readonly accountId: string;
  readonly region: string;
  readonly arn: string | null;
  readonly resourceName: string | null;
  readonly severity: SeverityLevel | null;
  readonly location: ItemLocation | null;
  readonly suppressed?: SuppressionMark;
  readonly baseline?: BaselineState;
}

const mark = (m: SuppressionMark): SuppressionMark => ({
  reason: m.reason,
  ...(m.expires !== undefined ? { expires: m.expires } : {}),
  ...(m.owner !== undefined ? { owner: m.owner } : {}),
});

/** The JSON form of one evaluation: exactly the fields of {@link JsonEvaluation}, in that order. */
export function toJsonEvaluation(se: ScanEvaluation): JsonEvaluation {
  const e = se.evaluation;
  const loc = se.location;
  return {
    rule: se.rule.meta.id,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    compliance: e.compliance,
    annotation: e.annotation,
    findings: se.findings.map((f) => ({
      code: f.code,
      message: f.message,
      path: f.path ?? null,
      severity: f.severity,
      fingerprint: f.fingerprint,
      ...(f.suppressed ? { suppressed: mark(f.suppressed) } : {}),
      controls: [...findingControls(se.rule, f.code, e.resourceType)],
    })),
    accountId: se.identity.accountId,
    region: se.identity.region,
    arn: se.identity.arn ?? null,
    resourceName: se.identity.resourceName ?? null,
    severity: fullSeverity(se) ?? null,
    location: loc ? locationJson(loc) : null,
    ...(se.suppressed ? { suppressed: mark(se.suppressed) } : {}),
    ...(se.baseline ? { baseline: se.baseline } : {}),
  };
}

const markJson = (m: SuppressionMark) =>
  `{"reason":${q(m.reason)}${m.expires !== undefined ? `,"expires":${q(m.expires)}` : ''}` +
  `${m.owner !== undefined ? `,"owner":${q(m.owner)}` : ''}}`;

/**
 * The JSON text of one evaluation, written by hand (same fields and order as {@link toJsonEvaluation}; a
 * test keeps them equal): it is the hottest line of a large `--format json` scan.
 */
export function evaluationJson(se: ScanEvaluation): string {
  const e = se.evaluation;
  let findings = '';
  for (const f of se.findings) {
    findings +=
      `${findings ? ',' : ''}{"code":${q(f.code)},"message":${q(f.message)},"path":${f.path === undefined ? 'null' : q(f.path)},` +
      `"severity":"${f.severity}","fingerprint":"${f.fingerprint}"${f.suppressed ? `,"suppressed":${markJson(f.suppressed)}` : ''}` +
      `,"controls":${q(findingControls(se.rule, f.code, e.resourceType))}}`;
  }
  const id = se.identity;
  const loc = se.location;
  const severity = fullSeverity(se);
  return (
    `${head(se.rule.meta.id, e.resourceType)}"resourceId":${q(e.resourceId)},` +
    `"compliance":"${e.compliance}","annotation":${q(e.annotation)},"findings":[${findings}],` +
    `${place(id.accountId, id.region)}"arn":${id.arn === undefined ? 'null' : q(id.arn)},` +
    `"resourceName":${id.resourceName === undefined ? 'null' : q(id.resourceName)},` +
    `"severity":${severity === undefined ? 'null' : `"${severity}"`},"location":${
      loc ? locationText(loc) : 'null'
    }${se.suppressed ? `,"suppressed":${markJson(se.suppressed)}` : ''}${se.baseline ? `,"baseline":"${se.baseline}"` : ''}}`
  );
}

/** The last file name and its JSON text: a snapshot's evaluations all name the same file. */
let lastFile: { file: string; text: string } | undefined;

/** The JSON text of a location; a snapshot item's (file and line only) without building an object. */
function locationText(loc: ItemLocation): string {
  if (
    loc.column !== undefined ||
    loc.logicalId !== undefined ||
    loc.cdkPath !== undefined ||
    loc.branch !== undefined ||
    !Number.isSafeInteger(loc.line)
  ) {
    return JSON.stringify(locationJson(loc));
  }
  if (lastFile?.file !== loc.file) lastFile = { file: loc.file, text: `{"file":${q(loc.file)},"line":` };
  return `${lastFile.text}${loc.line}}`;
}

/** `"accountId":..,"region":..,` once per account and region: the same few strings on every line. */
const PLACES = new Map<string, string>();

function place(accountId: string, region: string): string {
  const key = `${accountId}\u0000${region}`;
  let text = PLACES.get(key);
  if (text === undefined) {
    text = `"accountId":${q(accountId)},"region":${q(region)},`;
    if (PLACES.size < 4096) PLACES.set(key, text);
  }
  return text;
}

/** `{"rule":..,"resourceType":..,` once per rule and type: the same few strings on every line. */
const HEADS = new Map<string, Map<string, string>>();

function head(rule: string, resourceType: string): string {
  let byType = HEADS.get(rule);
  if (byType === undefined) HEADS.set(rule, (byType = new Map()));
  let text = byType.get(resourceType);
  if (text === undefined) {
    text = `{"rule":${q(rule)},"resourceType":${q(resourceType)},`;
    if (byType.size < 4096) byType.set(resourceType, text);
  }
  return text;
}

/** Writes text to a stream, waiting for it to drain (large outputs to a pipe). */
export function writeText(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', resolve);
  });
}

/**
 * The `--format json` writer. Evaluations are spooled to a temp file as they come (one JSON object a line),
 * so the output can start with the summary, which is known only at the end, without holding a million
 * evaluations in memory.
 */
export class JsonSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ward-scan-json-'));
  private readonly path = join(this.dir, 'evaluations.jsonl');
  private readonly fd = openSync(this.path, 'w');
  // Encoded straight into a reused buffer: string concatenation of a million small strings costs more
  // than the evaluation itself.
  private readonly buffer = Buffer.allocUnsafe(FLUSH_AT);
  private used = 0;
  private count = 0;

  /** Spools one evaluation. */
  add(se: ScanEvaluation): void {
    this.write(`${this.count++ === 0 ? '' : ',\n'}${evaluationJson(se)}`);
  }

  /**
   * Spools `count` evaluations whose {@link evaluationJson} texts, joined by `,\n`, are `utf8` (judge workers
   * write them): the bytes are written as they are.
   */
  addRendered(utf8: Uint8Array, count: number): void {
    if (count === 0) return;
    if (this.count > 0) this.write(',\n');
    this.count += count;
    this.flush();
    writeSync(this.fd, utf8);
  }

  private write(text: string): void {
    // A UTF-8 character is at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > FLUSH_AT) this.flush();
    if (text.length * 3 > FLUSH_AT) writeSync(this.fd, text);
    else this.used += this.buffer.write(text, this.used);
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  /** Writes `{"summary": ..., "evaluations": [...]}` to `out` and removes the spool. */
  async finish(out: Writable, summary: ScanSummary): Promise<void> {
    this.flush();
    closeSync(this.fd);
    try {
      const head = JSON.stringify({ summary }, null, 2);
      await writeText(out, `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "evaluations": [\n`);
      for await (const chunk of createReadStream(this.path, { highWaterMark: 1 << 20 })) {
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
      await writeText(out, '\n  ]\n}\n');
    } finally {
      this.dispose();
    }
  }

  /** Removes the spool without writing (on errors). */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
