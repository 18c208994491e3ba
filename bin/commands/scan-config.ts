import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CONFIG_FILE, loadWardConfig, resolveRules } from '../../infra/config/load';
import type { AnyRule } from '../../rules/runtime/types';

/** What `ward scan` takes from `ward.config.json`. */
export interface ScanConfig {
  /** The file read. */
  readonly file: string;
  /** Ids of the enabled rules, in registry order. */
  readonly enabledRules: readonly string[];
  /** Parsed parameters per rule (trusted accounts and organizations merged in). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The suppressions file it names, resolved against the configuration file's folder. */
  readonly suppressions?: string;
}

/**
 * Reads the configuration `ward scan` uses: `--config FILE`, else `./ward.config.json` when present, else
 * nothing (`--no-config` also gives nothing). The same file `ward deploy` reads, so a scan judges with the
 * parameters the deployed rules have.
 * @throws WardConfigError naming the file and every problem in it.
 */
export function loadScanConfig(
  registry: readonly AnyRule[],
  options: { config?: string | false; cwd?: string },
): ScanConfig | undefined {
  if (options.config === false) return undefined;
  const cwd = options.cwd ?? process.cwd();
  const file = options.config !== undefined ? resolve(cwd, options.config) : resolve(cwd, CONFIG_FILE);
  if (options.config === undefined && !existsSync(file)) return undefined;
  const config = loadWardConfig(registry, file, {});
  const resolved = resolveRules(config, registry);
  return {
    file,
    enabledRules: resolved.map((r) => r.rule.meta.id),
    params: Object.fromEntries(resolved.map((r) => [r.rule.meta.id, r.parameters])),
    ...(config.suppressions ? { suppressions: resolve(dirname(file), config.suppressions) } : {}),
  };
}
