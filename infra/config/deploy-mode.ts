/*
 * The deploy modes on their own, without the configuration schema (and zod): the CLI validates `--mode` with
 * them before it loads anything heavier.
 */

/** How ward is deployed: individual Config rules, one conformance pack, or across an organization. */
export const DeployMode = { RULES: 'rules', PACK: 'pack', ORGANIZATION: 'organization' } as const;

/** One of {@link DeployMode}. */
export type DeployModeType = (typeof DeployMode)[keyof typeof DeployMode];

/** The default configuration file name, looked up in the current directory. */
export const CONFIG_FILE = 'ward.config.json';
