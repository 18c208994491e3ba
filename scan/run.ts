import { closeSync, createWriteStream, openSync, readFileSync, rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { rules as registry } from '../rules';
import { describeError, WardError } from '../rules/runtime/errors';
import { createLogger, type Logger } from '../rules/runtime/logger';
import { parseRuleParameters } from '../rules/runtime/parameters';
import type { AnyRule } from '../rules/runtime/types';
import { resolveInputs, ScanInputError } from './inputs/resolve';
import { JsonSpool, writeText } from './outputs/json';
import { createProgress } from './progress';
import { ScanReport } from './findings/report';
import { toSarif } from './outputs/sarif';
import { type InputSummary, scanSnapshots } from './inputs/snapshot';
import { loadTemplates, splitInputs } from './inputs/template-sources';
import { judgeTemplateItems } from './inputs/template-judge';
import { renderTable, TABLE_LIMIT, useColor } from './outputs/table';

/** Output formats of `ward scan`. */
export const SCAN_FORMATS = ['table', 'json', 'sarif'] as const;

/** One of {@link SCAN_FORMATS}. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** Exit codes of `ward scan`. */
export const ExitCode = { OK: 0, NON_COMPLIANT: 1, USAGE: 2 } as const;

/** A command-line mistake (unknown rule, bad option, bad --params file): exit 2 with the message. */
export class ScanUsageError extends WardError {}

/** Options of `ward scan`, as commander parses them. */
export interface ScanOptions {
  readonly rules?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOn?: string;
  readonly params?: string;
  readonly live?: boolean;
  readonly region?: string;
}

/** Where `ward scan` reads and writes (tests pass their own). */
export interface ScanIo {
  readonly stdin: Readable;
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream | (Writable & { isTTY?: boolean });
  readonly env: NodeJS.ProcessEnv;
  /** The rules to choose from (default: the registry). */
  readonly registry?: readonly AnyRule[];
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The rules `--rules` selects, in registry order. @throws ScanUsageError naming unknown ids. */
export function selectRules(all: readonly AnyRule[], spec: string | undefined): AnyRule[] {
  const wanted = list(spec);
  if (wanted.length === 0) return [...all];
  const unknown = wanted.filter((id) => !all.some((r) => r.meta.id === id));
  if (unknown.length > 0) {
    throw new ScanUsageError(
      `unknown rule ${unknown.join(', ')} in --rules (known: ${all.map((r) => r.meta.id).join(', ')})`,
    );
  }
  return all.filter((r) => wanted.includes(r.meta.id));
}

/** Reads `--params FILE` (a JSON map rule id -> parameters). @throws ScanUsageError naming the problem. */
export function readParamsFile(path: string | undefined, all: readonly AnyRule[]): Record<string, unknown> {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScanUsageError(`--params ${path}: ${describeError(err)}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScanUsageError(`--params ${path}: expected a JSON object mapping rule ids to parameters`);
  }
  const unknown = Object.keys(parsed).filter((id) => !all.some((r) => r.meta.id === id));
  if (unknown.length > 0) throw new ScanUsageError(`--params ${path}: unknown rule ${unknown.join(', ')}`);
  return parsed as Record<string, unknown>;
}

function scanLogger(env: NodeJS.ProcessEnv, stderr: Writable): Logger {
  // Logs go to stderr so stdout stays one JSON document; quiet unless LOG_LEVEL asks (findings carry errors).
  const logger = createLogger({ command: 'scan' }, stderr);
  logger.level = env.LOG_LEVEL ?? 'silent';
  return logger;
}

/**
 * `ward scan`: evaluates the rules on snapshot files (or live with `--live`) and prints the result. Returns
 * the exit code: 0, 1 with `--fail-on non-compliant` and a NON_COMPLIANT resource, 2 on bad input or usage
 * (the one-line reason goes to stderr).
 */
export async function runScan(inputs: readonly string[], options: ScanOptions, io: ScanIo): Promise<number> {
  let outFd: number | undefined;
  const fail = (message: string) => {
    if (outFd !== undefined) {
      // Leave no empty report behind a failed scan.
      closeSync(outFd);
      rmSync(options.output as string, { force: true });
      outFd = undefined;
    }
    io.stderr.write(`ward scan: ${message}\n`);
    return ExitCode.USAGE;
  };
  const format = (options.format ?? 'table') as ScanFormat;
  if (!SCAN_FORMATS.includes(format)) return fail(`unknown --format ${options.format} (use table, json or sarif)`);
  const failOn = options.failOn ?? 'none';
  if (failOn !== 'none' && failOn !== 'non-compliant') {
    return fail(`unknown --fail-on ${failOn} (use non-compliant or none)`);
  }
  if (options.live && inputs.length > 0) return fail('--live reads AWS Config; do not pass input files with it');

  const all = io.registry ?? registry;
  let selected: AnyRule[];
  let rawParams: Record<string, unknown>;
  try {
    selected = selectRules(all, options.rules);
    rawParams = readParamsFile(options.params, all);
  } catch (err) {
    return fail((err as Error).message);
  }

  if (options.output !== undefined && options.output !== '-') {
    try {
      // Opened now so a bad path fails before a long scan, not after it.
      outFd = openSync(options.output as string, 'w');
    } catch (err) {
      return fail(`--output ${options.output}: cannot write (${describeError(err)})`);
    }
  }

  const logger = scanLogger(io.env, io.stderr);
  const spool = format === 'json' ? new JsonSpool() : undefined;
  const report = new ScanReport(
    selected,
    format === 'sarif' ? Number.POSITIVE_INFINITY : TABLE_LIMIT,
    spool ? (rule, e) => spool.add(rule, e) : undefined,
  );
  // Set when part of an input could not be judged (a template resource ward cannot read): exit 2.
  let incomplete = false;
  const progress = createProgress(io.stderr as NodeJS.WriteStream, options.live ? 'ward scan --live' : 'ward scan');
  try {
    if (options.live) {
      const regions = list(options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION);
      if (regions.length === 0) throw new ScanUsageError('--live needs --region (or AWS_REGION)');
      // Loaded only here: the AWS SDK clients stay out of the startup path of offline scans.
      const { scanLive } = await import('./inputs/live');
      await scanLive({
        rules: selected,
        regions,
        paramsFor: (rule) => rawParams[rule.meta.id],
        logger,
        onEvaluation: (rule, e) => report.add(rule, e),
        onError: (message) => {
          report.error(message);
          io.stderr.write(`ward scan: ${message}\n`);
        },
        onSkipped: (rule, reason) => report.skip(rule, reason),
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.stop();
      await emit(report.summary('live', regions));
    } else {
      const params = new Map<AnyRule, unknown>();
      const runnable: AnyRule[] = [];
      for (const rule of selected) {
        try {
          params.set(rule, parseRuleParameters(rule.meta.parameters, rawParams[rule.meta.id], rule.meta.id));
        } catch (err) {
          throw new ScanUsageError(`--params: ${(err as Error).message}`, { cause: err });
        }
        if (rule.meta.trigger.onChange) runnable.push(rule);
        else {
          report.skip(
            rule,
            'periodic-only rule: it lists resources through AWS APIs, which a snapshot file does not have; ' +
              'run `ward scan --live` to include it',
          );
        }
      }
      // Templates (CloudFormation, CDK assemblies, Terraform plans) are told apart by content; the rest are snapshots.
      const { templates, others } = splitInputs(inputs);
      const summaries: InputSummary[] = [];
      if (templates.length > 0) {
        const loaded = loadTemplates(templates);
        for (const note of loaded.notes) {
          report.error(note);
          io.stderr.write(`ward scan: ${note}\n`);
        }
        incomplete = loaded.notes.length > 0;
        await judgeTemplateItems({
          items: loaded.items,
          rules: runnable,
          params,
          logger,
          onEvaluation: (rule, e) => report.add(rule, e),
        });
        summaries.push(...loaded.summaries);
      }
      const resolved =
        others.length > 0 || templates.length === 0
          ? await resolveInputs(others, io.stdin)
          : { inputs: [], cleanup: () => undefined };
      try {
        summaries.push(
          ...(await scanSnapshots({
            inputs: resolved.inputs,
            rules: runnable,
            params,
            logger,
            onEvaluation: (rule, e) => report.add(rule, e),
            onBadItem: (bad) => {
              io.stderr.write(`ward scan: skipped bad item: ${report.badItem(bad)}\n`);
            },
            onProgress: (done, total) => progress.update(done, total),
          })),
        );
        report.setInputs(summaries);
      } finally {
        resolved.cleanup();
        progress.stop();
      }
      await emit(report.summary('snapshot'));
    }
  } catch (err) {
    progress.stop();
    spool?.dispose();
    if (err instanceof ScanInputError || err instanceof ScanUsageError) return fail(err.message);
    throw err;
  }
  if (incomplete) return ExitCode.USAGE;
  return failOn === 'non-compliant' && report.hasNonCompliant ? ExitCode.NON_COMPLIANT : ExitCode.OK;

  async function emit(summary: ReturnType<ScanReport['summary']>): Promise<void> {
    const out: Writable & { isTTY?: boolean } = outFd !== undefined ? createWriteStream('', { fd: outFd }) : io.stdout;
    if (spool) await spool.finish(out, summary);
    else if (format === 'sarif') {
      await writeText(out, `${JSON.stringify(toSarif(report, packageVersion()), null, 2)}\n`);
    } else {
      await writeText(out, renderTable(report, summary, outFd === undefined && useColor(io.stdout, io.env)));
    }
    if (outFd !== undefined) {
      await new Promise<void>((resolve, reject) => {
        out.on('error', reject);
        out.end(resolve);
      });
    }
  }
}

function packageVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return (require('../package.json') as { version: string }).version;
  }
}
