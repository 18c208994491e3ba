import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import { locationOf, type ScanSummary } from '../findings/report';

/** Bytes of evaluation JSON buffered before a write to the spool file. */
const FLUSH_AT = 1 << 20;

const q = JSON.stringify;

/**
 * The JSON text of one evaluation, written by hand (same fields and order as `toJsonEvaluation` in
 * report.ts; a test keeps them equal): it is the hottest line of a large `--format json` scan.
 */
export function evaluationJson(rule: AnyRule, e: Evaluation): string {
  let findings = '';
  for (const f of e.findings) {
    findings += `${findings ? ',' : ''}{"code":${q(f.code)},"message":${q(f.message)},"path":${f.path === undefined ? 'null' : q(f.path)}}`;
  }
  return (
    `${head(rule.meta.id, e.resourceType)}"resourceId":${q(e.resourceId)},` +
    `"compliance":"${e.compliance}","annotation":${q(e.annotation)},"findings":[${findings}]` +
    `${locationOf(e) ? `,"location":${q(locationOf(e))}` : ''}}`
  );
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
  add(rule: AnyRule, e: Evaluation): void {
    const text = `${this.count++ === 0 ? '' : ',\n'}${evaluationJson(rule, e)}`;
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
