/**
 * The CDK cloud assembly input (`cdk.out/`): every stack of `manifest.json` (stages' nested assemblies
 * included), each read as a CloudFormation template with its stack's account and region, and every nested
 * stack (`aws:asset:path`) with the parameters its parent gives it. Each item keeps its `aws:cdk:path`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DeployTarget } from './cloudformation-intrinsics';
import { type TemplateItem, templateItems } from './cloudformation';
import { parseTemplate, TemplateParseError } from './cloudformation-parse';

/** What an assembly yielded. */
export interface AssemblyItems {
  readonly items: TemplateItem[];
  readonly notes: string[];
  /** Template files read, relative to the working directory. */
  readonly templates: string[];
}

interface Artifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when a directory is a cloud assembly (has a manifest.json with artifacts). */
export function isCloudAssembly(dir: string): boolean {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) return false;
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as unknown;
    return isRecord(m) && isRecord(m.artifacts) && typeof m.version === 'string';
  } catch {
    return false;
  }
}

/** `aws://123456789012/eu-west-1` -> account and region, leaving out CDK's `unknown-*` placeholders. */
function environment(env: string | undefined): Partial<DeployTarget> {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env ?? '');
  if (!m) return {};
  return {
    ...(/^\d{12}$/.test(m[1]) ? { accountId: m[1] } : {}),
    ...(m[2] !== 'unknown-region' ? { region: m[2] } : {}),
  };
}

/**
 * Reads every stack of an assembly directory.
 * @throws TemplateParseError naming the manifest or template that cannot be read.
 */
export function readCloudAssembly(dir: string, base: Partial<DeployTarget> = {}, depth = 0): AssemblyItems {
  const manifestPath = join(dir, 'manifest.json');
  let manifest: { artifacts?: Record<string, Artifact> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch (err) {
    throw new TemplateParseError(
      `${manifestPath}: not a readable cloud assembly manifest (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  const out: AssemblyItems = { items: [], notes: [], templates: [] };
  for (const [name, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName && depth < 8) {
      const nested = readCloudAssembly(join(dir, artifact.properties.directoryName), base, depth + 1);
      out.items.push(...nested.items);
      out.notes.push(...nested.notes);
      out.templates.push(...nested.templates);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const target = {
      ...base,
      stackName: artifact.properties.stackName ?? name,
      ...environment(artifact.environment),
    };
    readStack(dir, artifact.properties.templateFile, target, {}, out, 0);
  }
  return out;
}

/**
 * The local file of a nested stack template from the asset manifests, when the template metadata has no
 * `aws:asset:path` (an app synthesized without the CLI's asset metadata): its TemplateURL ends in the hash.
 */
function assetTemplate(dir: string, templateUrl: string | undefined): string | undefined {
  const hash = /([0-9a-f]{64})\.json/.exec(templateUrl ?? '')?.[1];
  if (!hash) return undefined;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.assets.json')) continue;
    try {
      const assets = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        files?: Record<string, { source?: { path?: string } }>;
      };
      const path = assets.files?.[hash]?.source?.path;
      if (path) return path;
    } catch {
      // an unreadable asset manifest: try the next one
    }
  }
  return undefined;
}

function readStack(
  dir: string,
  templateFile: string,
  target: Partial<DeployTarget>,
  parameterValues: Readonly<Record<string, unknown>>,
  out: AssemblyItems,
  depth: number,
): void {
  const path = join(dir, templateFile);
  const file = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TemplateParseError(`${file}: cannot read the stack template (${(err as Error).message})`, { cause: err });
  }
  const parsed = parseTemplate(text, file);
  const result = templateItems(parsed, { target, parameterValues });
  out.items.push(...result.items);
  out.notes.push(...result.notes);
  out.templates.push(file);
  for (const nested of result.stacks) {
    const templatePath = nested.templatePath ?? assetTemplate(dir, nested.templateUrl);
    if (!templatePath || depth >= 8) {
      out.notes.push(`${file}:${nested.line}: nested stack ${nested.logicalId} has no local template; not judged`);
      continue;
    }
    readStack(
      dir,
      templatePath,
      { ...target, stackName: `${target.stackName}-${nested.logicalId}` },
      nested.parameters,
      out,
      depth + 1,
    );
  }
}
