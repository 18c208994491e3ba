import * as z from '../rules/runtime/zod-mini';
import { ResponderSettingsError } from './errors';
import { deployedRuleName } from './event';

/** What the responder does for a rule: tell people, tell them what it would do, or do it. */
export const ResponseMode = { NOTIFY: 'notify', DRY_RUN: 'dry-run', AUTO: 'auto' } as const;

/** One of {@link ResponseMode}. */
export type ResponseModeType = (typeof ResponseMode)[keyof typeof ResponseMode];

const mode = z.enum(['notify', 'dry-run', 'auto']);

// zod/mini (small, fast-loading Lambda bundle): `z.pipe(z.transform(f), s)` is classic zod's `z.preprocess(f, s)`.
const jsonObject = <T extends z.core.$ZodType>(schema: T) =>
  z.pipe(
    z.transform((v: unknown) =>
      typeof v === 'string' && v.trim() !== '' ? (JSON.parse(v) as unknown) : v === '' ? undefined : v,
    ),
    schema,
  );

const bool = z.pipe(
  z.transform((v: unknown) => (typeof v === 'string' ? ['true', '1', 'on', 'yes'].includes(v.toLowerCase()) : v)),
  z.boolean(),
);

const count = (min: number, defaultValue: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min)), defaultValue);

/** The responder's settings; every field has a safe default (notify, no automation). */
export const responderSettingsSchema = z.object({
  /** Mode per rule: keys are Config rule names (`ward-encrypted-at-rest`) or ward rule ids. */
  modes: z._default(jsonObject(z.record(z.string(), mode)), {}),
  defaultMode: z._default(mode, 'notify'),
  /** When true, nothing is changed anywhere: auto falls back to notify. */
  killSwitch: z._default(bool, false),
  /** Automatic changes per account per hour; past it the responder notifies only. */
  maxAutoChangesPerHour: count(0, 10),
  /** Window within which repeated transitions of one rule and resource are collapsed into one alert. */
  flapWindowMinutes: count(1, 60),
  /** Transitions within the window that are alerted one by one; the next one is a single flapping alert. */
  flapThreshold: count(1, 3),
  /** The responder's own account; resources of other accounts are alerted on, never changed. */
  accountId: z.optional(z.string()),
  auditTable: z.optional(z.string()),
  /** Counters, flapping state, resource locks and the kill switch (kept apart from the append-only audit table). */
  stateTable: z.optional(z.string()),
  alertsTopicArn: z.optional(z.string()),
  /** The customer-managed key runbooks encrypt with. */
  kmsKeyArn: z.optional(z.string()),
  trustedAccountIds: z._default(
    z.pipe(
      z.transform((v: unknown) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
      ),
      z.array(z.string()),
    ),
    [],
  ),
  /** Parameters per ward rule id, as in ward.config.json (used when re-running the rule). */
  ruleParameters: z._default(jsonObject(z.record(z.string(), z.record(z.string(), z.unknown()))), {}),
  /** Titles of the deployed ward rules by id (set by the stack from the registry), for alerts. */
  ruleTitles: z._default(jsonObject(z.record(z.string(), z.string())), {}),
  /**
   * The highest severity of each deployed ward rule's finding codes, by id (set by the stack from the registry):
   * the severity of an alert whose finding codes are not known (notify mode, or a rule the bundle lacks).
   */
  ruleSeverities: z._default(
    jsonObject(z.record(z.string(), z.enum(['critical', 'high', 'medium', 'low', 'informational']))),
    {},
  ),
  /**
   * When true, each compliance change of a ward rule is also imported into Security Hub of the resource's
   * account as an ASFF finding (the one `ward scan --to securityhub` writes).
   */
  forwardToSecurityHub: z._default(bool, false),
  /** Base URL of the runbook playbooks (`<id>.md` is appended); unset: the path in the ward repository. */
  runbookBaseUrl: z.optional(z.string()),
});

/** Parsed responder settings. */
export type ResponderSettings = z.output<typeof responderSettingsSchema>;

/** Environment variable of each setting (the responder stack sets these). */
export const SETTINGS_ENV = {
  modes: 'WARD_MODES',
  defaultMode: 'WARD_DEFAULT_MODE',
  killSwitch: 'WARD_KILL_SWITCH',
  maxAutoChangesPerHour: 'WARD_MAX_AUTO_CHANGES_PER_HOUR',
  flapWindowMinutes: 'WARD_FLAP_WINDOW_MINUTES',
  flapThreshold: 'WARD_FLAP_THRESHOLD',
  accountId: 'WARD_ACCOUNT_ID',
  auditTable: 'WARD_AUDIT_TABLE',
  stateTable: 'WARD_STATE_TABLE',
  alertsTopicArn: 'WARD_ALERTS_TOPIC_ARN',
  kmsKeyArn: 'WARD_REMEDIATION_KEY_ARN',
  trustedAccountIds: 'WARD_TRUSTED_ACCOUNT_IDS',
  ruleParameters: 'WARD_RULE_PARAMETERS',
  ruleTitles: 'WARD_RULE_TITLES',
  ruleSeverities: 'WARD_RULE_SEVERITIES',
  runbookBaseUrl: 'WARD_RUNBOOK_BASE_URL',
  forwardToSecurityHub: 'WARD_FORWARD_TO_SECURITY_HUB',
} as const satisfies Record<keyof ResponderSettings, string>;

/**
 * Parses settings from an object (tests, CLI) or the environment.
 * @throws ResponderSettingsError naming the variable at fault.
 */
export function parseResponderSettings(raw: Record<string, unknown>): ResponderSettings {
  let r;
  try {
    r = z.safeParse(responderSettingsSchema, raw);
  } catch (err) {
    throw new ResponderSettingsError(`responder settings: a JSON setting is not valid JSON`, { cause: err });
  }
  if (!r.success) {
    const problems = r.error.issues
      .map((i) => {
        const key = String(i.path[0] ?? '');
        const env = SETTINGS_ENV[key as keyof ResponderSettings];
        return `${env ?? key}: ${i.message}`;
      })
      .join('; ');
    throw new ResponderSettingsError(`responder settings: ${problems}`);
  }
  return r.data;
}

/** Reads the settings from environment variables ({@link SETTINGS_ENV}). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ResponderSettings {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(SETTINGS_ENV)) if (env[name] !== undefined) raw[key] = env[name];
  return parseResponderSettings(raw);
}

/** The configured mode of a rule (by Config rule name as deployed, then ward id), else the default. */
export function modeFor(settings: ResponderSettings, configRuleName: string): ResponseModeType {
  const name = deployedRuleName(configRuleName);
  const id = name.startsWith('ward-') ? name.slice('ward-'.length) : name;
  return settings.modes[name] ?? settings.modes[id] ?? settings.defaultMode;
}
