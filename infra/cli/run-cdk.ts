import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rules } from '../../rules';
import { WardError } from '../../rules/runtime/errors';
import { CONFIG_ENV, CONFIG_FILE, loadWardConfig, parseWardConfig } from '../config/load';
import type { DeployModeType } from '../config/schema';
import { projectRoot } from '../paths';
import { deploymentSuppressions, SUPPRESSIONS_ENV } from '../responder-suppressions';

/** The CDK toolkit could not be started, or the app is not built. */
export class CdkToolkitError extends WardError {}

/** What `ward synth|diff|deploy|destroy` pass to the toolkit. */
export interface CdkRunOptions {
  /** Configuration file; default ./ward.config.json (or WARD_CONFIG). */
  readonly config?: string;
  /** Overrides the configuration's mode. */
  readonly mode?: DeployModeType;
  /** Extra toolkit arguments (after `--` on the ward command line). */
  readonly extraArgs?: readonly string[];
  /** `--suppressions FILE`: the suppressions carried to the responder (default as `ward scan` finds them). */
  readonly suppressions?: string;
  /** Working directory of the toolkit (cdk.out and cdk.context.json go here). @default process.cwd() */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Paths of the compiled CDK app and of the `aws-cdk` toolkit in node_modules (never a global install). */
export function toolkitPaths(root: string = projectRoot()): { app: string; cdk: string } {
  const app = join(root, 'dist', 'infra', 'app.js');
  let cdk: string;
  try {
    cdk = require.resolve('aws-cdk/bin/cdk', { paths: [root] });
  } catch (err) {
    throw new CdkToolkitError('the aws-cdk package is not installed: run `npm ci`', { cause: err });
  }
  return { app, cdk };
}

/** The toolkit's argument list for a command (exported for tests). */
export function cdkArguments(command: string, app: string, args: readonly string[]): string[] {
  // The toolkit runs --app through a shell; quote only paths that need it.
  const q = (p: string) => (/\s/.test(p) ? `'${p}'` : p);
  return [command, '--app', `${q(process.execPath)} ${q(app)}`, ...args];
}

/**
 * The toolkit's environment: the configuration file, when there is one (without a file the app uses the
 * defaults, as the CLI does; naming a file that does not exist would make the app fail), and the mode override.
 */
export function toolkitEnvironment(
  env: NodeJS.ProcessEnv,
  configPath: string | undefined,
  mode: DeployModeType | undefined,
): NodeJS.ProcessEnv {
  return {
    ...env,
    ...(configPath !== undefined ? { [CONFIG_ENV]: configPath } : {}),
    ...(mode ? { WARD_MODE: mode } : {}),
    CDK_DISABLE_VERSION_CHECK: 'true',
  };
}

/**
 * Runs the CDK toolkit on ward's app with the configuration. The configuration is validated here first, so
 * its problems are reported in one message before CDK starts. Returns the toolkit's exit code.
 * @throws WardConfigError, CdkToolkitError
 */
export function runCdk(command: string, args: readonly string[], options: CdkRunOptions = {}): number {
  const env = options.env ?? process.env;
  const named = options.config ?? env[CONFIG_ENV];
  const configPath = resolve(named ?? CONFIG_FILE);
  const config = loadWardConfig(rules, named, env);
  if (options.mode)
    parseWardConfig({ ...config, mode: options.mode }, rules, `${configPath} with --mode ${options.mode}`);
  const cwd = options.cwd ?? process.cwd();
  const suppressionsEnv: NodeJS.ProcessEnv =
    options.suppressions !== undefined ? { [SUPPRESSIONS_ENV]: resolve(cwd, options.suppressions) } : {};
  // The suppressions file is checked here too, so its problem is one line before CDK starts.
  deploymentSuppressions(config, rules, { ...env, ...suppressionsEnv, [CONFIG_ENV]: configPath }, cwd);
  const { app, cdk } = toolkitPaths();
  if (!existsSync(app)) throw new CdkToolkitError(`${app} is missing: run \`npm run build\` first`);
  const result = spawnSync(
    process.execPath,
    [cdk, ...cdkArguments(command, app, [...args, ...(options.extraArgs ?? [])])],
    {
      cwd,
      stdio: 'inherit',
      env: toolkitEnvironment(
        { ...env, ...suppressionsEnv },
        named === undefined && !existsSync(configPath) ? undefined : configPath,
        options.mode,
      ),
    },
  );
  if (result.error)
    throw new CdkToolkitError(`cannot run the CDK toolkit: ${result.error.message}`, { cause: result.error });
  return result.status ?? 1;
}
