import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PACKAGED_SUPPRESSIONS_FILE } from '../responder/suppressions';
import { CONFIG_ENV, CONFIG_FILE } from './config/load';
import type { WardConfig } from './config/schema';
import type { AnyRule } from '../rules/runtime/types';
import { findSuppressionsFile, loadSuppressions, type Suppression } from '../scan/findings/suppression';
import type { SuppressionEntry } from '../scan/findings/suppression-match';

/** The environment variable by which `ward synth|diff|deploy --suppressions FILE` names the file to the CDK app. */
export const SUPPRESSIONS_ENV = 'WARD_SUPPRESSIONS';

/** Where the suppressions of a deployment come from (the same precedence as `ward scan`). */
export interface SuppressionsSource {
  /** `--suppressions FILE` (relative to `cwd`). */
  readonly explicit?: string;
  /** The configuration file read, when there is one. */
  readonly configFile?: string;
  /** Its `suppressions` field (relative to the configuration file's folder). */
  readonly configured?: string;
  readonly cwd: string;
}

/**
 * The suppressions file a deployment uses: `--suppressions FILE`, else the one `ward.config.json` names, else
 * `ward.suppressions.json|yaml|yml` in the working directory; undefined when there is none.
 */
export function suppressionsFileFor(source: SuppressionsSource): string | undefined {
  if (source.explicit !== undefined && source.explicit !== '') return resolve(source.cwd, source.explicit);
  if (source.configured !== undefined)
    return resolve(source.configFile ? dirname(resolve(source.cwd, source.configFile)) : source.cwd, source.configured);
  return findSuppressionsFile(source.cwd);
}

/**
 * A copy of a bundled Lambda directory with the suppressions beside its index.js, as `{"suppressions": [...]}`
 * (the format of `ward.suppressions.json`). Packaged with the code rather than put in an environment variable
 * (4 KB shared with the other settings) or read from S3 or Parameter Store at run time (one more permission and
 * a call on every cold start): the function reads a local file, and a change of suppressions is a new code
 * version, recorded by CloudFormation like any deployment.
 */
export function packageSuppressions(bundleDir: string, entries: readonly SuppressionEntry[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ward-responder-'));
  copyFileSync(join(bundleDir, 'index.js'), join(dir, 'index.js'));
  writeFileSync(join(dir, PACKAGED_SUPPRESSIONS_FILE), `${JSON.stringify({ suppressions: entries })}\n`);
  return dir;
}

/**
 * The suppressions a deployment carries to its responder: the entries of the file {@link suppressionsFileFor}
 * picks (`--suppressions` passed as WARD_SUPPRESSIONS, the configuration's `suppressions`, or the working
 * directory's file), validated as `ward scan` validates them; undefined when the responder is not deployed or
 * there is no file.
 * @throws SuppressionFileError with one line naming the file and the first problem.
 */
export function deploymentSuppressions(
  config: { readonly suppressions?: WardConfig['suppressions']; readonly responder: { readonly enabled: boolean } },
  registry: readonly AnyRule[],
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): { file: string; entries: Suppression[] } | undefined {
  if (!config.responder.enabled) return undefined;
  const file = suppressionsFileFor({
    explicit: env[SUPPRESSIONS_ENV],
    configFile: env[CONFIG_ENV] ?? CONFIG_FILE,
    configured: config.suppressions,
    cwd,
  });
  return file === undefined ? undefined : { file, entries: loadSuppressions(file, registry) };
}
