/**
 * Tells template inputs from snapshots by their content, so `ward scan` takes any mix: CloudFormation
 * templates (JSON or YAML), CDK cloud assemblies (a directory with manifest.json) and Terraform plans (JSON),
 * next to Config snapshots. Directories are walked; a file is a template by what it starts with, not its name.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeError } from '../../rules/runtime/errors';
import { type TemplateItem, templateItems } from './cloudformation';
import { parseTemplate, TemplateParseError } from './cloudformation-parse';
import { isCloudAssembly, readCloudAssembly } from './cdk-assembly';
import { terraformPlanItems } from './terraform-plan';

/** The kinds of template input. */
export type TemplateKind = 'cloudformation' | 'cdk-assembly' | 'terraform-plan';

/** One template input. */
export interface TemplateSource {
  readonly kind: TemplateKind;
  readonly path: string;
}

/** The top-level keys a CloudFormation template may start with. */
const SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
]);

const TEMPLATE_FILE = /\.(json|ya?ml|template|jsonl|ndjson|json\.gz|jsonl\.gz)$/i;
const YAML_SECTION =
  /^(AWSTemplateFormatVersion|Description|Metadata|Parameters|Mappings|Conditions|Transform|Resources)\s*:/m;

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return '';
    return buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/** The template kind of a file, or undefined when it is not a template (a snapshot, or unreadable). */
export function templateKindOf(path: string): TemplateKind | undefined {
  let text: string;
  try {
    text = head(path);
  } catch {
    return undefined;
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const first = /^\{\s*"((?:[^"\\]|\\.)*)"/.exec(trimmed)?.[1];
    if (first === undefined) return undefined;
    if (SECTIONS.has(first)) return 'cloudformation';
    if (first === 'format_version' && /"(planned_values|resource_changes|terraform_version)"/.test(trimmed)) {
      return 'terraform-plan';
    }
    return undefined;
  }
  if (trimmed.startsWith('[') || trimmed === '') return undefined;
  return YAML_SECTION.test(trimmed) ? 'cloudformation' : undefined;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (isCloudAssembly(p)) out.push(p);
      else walk(p, out);
    } else if (entry.isFile() && TEMPLATE_FILE.test(entry.name)) out.push(p);
  }
}

/** Splits the command-line inputs into templates and everything else (left to the snapshot reader). */
export function splitInputs(args: readonly string[]): { templates: TemplateSource[]; others: string[] } {
  const templates: TemplateSource[] = [];
  const others: string[] = [];
  for (const arg of args) {
    let stat;
    try {
      stat = arg === '-' ? undefined : statSync(arg);
    } catch {
      stat = undefined;
    }
    if (!stat) {
      others.push(arg);
      continue;
    }
    if (stat.isDirectory()) {
      if (isCloudAssembly(arg)) {
        templates.push({ kind: 'cdk-assembly', path: arg });
        continue;
      }
      const files: string[] = [];
      walk(arg, files);
      const found = files.map((f) => ({
        path: f,
        kind: statSync(f).isDirectory() ? ('cdk-assembly' as const) : templateKindOf(f),
      }));
      if (!found.some((f) => f.kind)) {
        others.push(arg);
        continue;
      }
      for (const f of found) {
        if (f.kind) templates.push({ kind: f.kind, path: f.path });
        // Files that are neither templates nor snapshots by content are left to the snapshot reader.
        else if (!/\.(ya?ml|template)$/i.test(f.path)) others.push(f.path);
      }
      continue;
    }
    const kind = templateKindOf(arg);
    if (kind) templates.push({ kind, path: arg });
    else others.push(arg);
  }
  return { templates, others };
}

/**
 * Reads a CloudFormation template and, recursively, each nested stack whose `TemplateURL` is a local path
 * (before `aws cloudformation package`), relative to the template, with the parameters its parent gives it.
 */
function readTemplateFile(
  path: string,
  parameterValues: Readonly<Record<string, unknown>>,
  captureTime: string,
  out: LoadedTemplates,
  depth: number,
): void {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const r = templateItems(parseTemplate(text, path), { captureTime, parameterValues });
  out.items.push(...r.items);
  out.notes.push(...r.notes);
  for (const nested of r.stacks) {
    const local = nested.templatePath ? join(dirname(path), nested.templatePath) : undefined;
    if (!local || depth >= 8 || !existsSync(local)) {
      out.notes.push(`${path}:${nested.line}: nested stack ${nested.logicalId} has no local template; not judged`);
      continue;
    }
    readTemplateFile(local, nested.parameters, captureTime, out, depth + 1);
  }
}

/** What the template inputs yielded. */
export interface LoadedTemplates {
  readonly items: TemplateItem[];
  /** Resources (or nested stacks) of readable inputs that could not be judged, one line each. */
  readonly notes: string[];
  /** Inputs that could not be read at all, by name: nothing of them was judged; the other inputs were. */
  readonly problems: { label: string; problem: string }[];
  readonly summaries: { file: string; layout: TemplateKind; items: number }[];
}

/**
 * Reads every template input into located configuration items. An input that cannot be read or parsed is
 * listed in `problems` (with the line where the parser stopped) and loses nothing of the other inputs; the
 * items it yielded before the failure (a nested stack read before a broken one) are dropped with it, so an
 * input is judged whole or not at all.
 */
export function loadTemplates(
  sources: readonly TemplateSource[],
  captureTime = new Date().toISOString(),
): LoadedTemplates {
  const out: LoadedTemplates = { items: [], notes: [], problems: [], summaries: [] };
  for (const source of sources) {
    const itemsBefore = out.items.length;
    const notesBefore = out.notes.length;
    try {
      if (source.kind === 'cdk-assembly') {
        const a = readCloudAssembly(source.path);
        out.items.push(...a.items);
        out.notes.push(...a.notes);
        out.summaries.push({ file: source.path, layout: source.kind, items: a.items.length });
        continue;
      }
      if (source.kind === 'terraform-plan') {
        const text = readFileSync(source.path, 'utf8').replace(/^\uFEFF/, '');
        const r = terraformPlanItems(text, source.path, { captureTime });
        out.items.push(...r.items);
        out.notes.push(...r.notes);
        out.summaries.push({ file: source.path, layout: source.kind, items: r.items.length });
        continue;
      }
      const before = out.items.length;
      readTemplateFile(source.path, {}, captureTime, out, 0);
      out.summaries.push({ file: source.path, layout: source.kind, items: out.items.length - before });
    } catch (err) {
      out.items.length = itemsBefore;
      out.notes.length = notesBefore;
      const message = err instanceof TemplateParseError ? err.message : describeError(err);
      // A message naming the input (and its line) keeps that as its subject: `file:12: problem`.
      const named = message.startsWith(`${source.path}:`)
        ? /^(.*?):\s(.*)$/s.exec(message.slice(source.path.length))
        : null;
      out.problems.push(
        named
          ? { label: `${source.path}${named[1]}`, problem: named[2] }
          : { label: source.path, problem: `cannot read the ${source.kind} input (${message})` },
      );
    }
  }
  return out;
}
