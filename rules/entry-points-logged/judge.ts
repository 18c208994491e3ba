/**
 * Judges one API Gateway stage's logging from its configuration item (pure): access logs on REST (v1) and
 * HTTP/WebSocket (v2) stages, execution logging in a REST stage's method settings.
 */
import type { ConfigurationItem } from '../runtime/configuration-item';
import { judge } from '../runtime/evaluation';
import type { Evaluation, Finding, FindingCodeInfo } from '../runtime/types';
import { unreadable } from '../runtime/unreadable';

/** REST API stage (API Gateway v1). */
export const REST_STAGE = 'AWS::ApiGateway::Stage';
/** HTTP or WebSocket API stage (API Gateway v2). */
export const V2_STAGE = 'AWS::ApiGatewayV2::Stage';

/**
 * The finding codes of this rule, with the description and severity the README and `meta.findingCodes` carry.
 * A wrong-typed field is the runtime's `unreadable-configuration` (thrown, see rules/runtime/unreadable.ts).
 */
export const FINDING_CODES = {
  'access-log-missing': {
    description: 'The stage writes no access log (accessLogSettings.destinationArn is not set).',
    severity: 'medium',
  },
  'execution-log-off': {
    description: 'Execution logging is off for all or some methods of the REST stage (methodSettings).',
    severity: 'low',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

function finding(code: FindingCode, message: string, path: string): Finding {
  return { code, message, path, severity: FINDING_CODES[code].severity };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;

/** Logging levels that write execution logs. */
const LOGGING_ON = new Set(['INFO', 'ERROR']);

/** Access-log findings of a stage of either version. */
function accessLogFindings(config: Record<string, unknown>, stage: string): Finding[] {
  const settings = config.accessLogSettings;
  if (absent(settings)) {
    return [
      finding(
        'access-log-missing',
        `Stage ${stage} has no access log: requests leave no trail; set accessLogSettings.destinationArn to a log group or Firehose stream.`,
        'configuration.accessLogSettings',
      ),
    ];
  }
  if (!isRecord(settings)) unreadable('configuration.accessLogSettings', 'an object', settings);
  const destination = settings.destinationArn;
  if (absent(destination) || destination === '') {
    return [
      finding(
        'access-log-missing',
        `Stage ${stage} has access-log settings but no destination: nothing is written; set accessLogSettings.destinationArn.`,
        'configuration.accessLogSettings.destinationArn',
      ),
    ];
  }
  if (typeof destination !== 'string') {
    unreadable('configuration.accessLogSettings.destinationArn', 'a log group or Firehose ARN', destination);
  }
  return [];
}

/**
 * Execution-logging findings of a REST stage. `methodSettings` maps `resourcePath/httpMethod` (`*\/*` for every
 * method) to settings whose `loggingLevel` is OFF, ERROR or INFO. Logging is on when `*\/*` logs and no method
 * overrides it with OFF; an absent `*\/*` leaves every method not listed unlogged.
 */
function executionLogFindings(config: Record<string, unknown>, stage: string): Finding[] {
  const settings = config.methodSettings;
  if (absent(settings)) {
    return [
      finding(
        'execution-log-off',
        `Stage ${stage} has no method settings: execution logging is off; set loggingLevel ERROR or INFO for */*.`,
        'configuration.methodSettings',
      ),
    ];
  }
  if (!isRecord(settings)) unreadable('configuration.methodSettings', 'an object', settings);
  const out: Finding[] = [];
  const off: string[] = [];
  for (const key of Object.keys(settings).sort()) {
    const s = settings[key];
    const path = `configuration.methodSettings["${key}"]`;
    if (!isRecord(s)) unreadable(path, 'an object', s);
    const level = s.loggingLevel;
    if (!absent(level) && typeof level !== 'string') unreadable(`${path}.loggingLevel`, 'OFF, ERROR or INFO', level);
    if (key === '*/*') continue;
    if (!LOGGING_ON.has(String(level ?? 'OFF').toUpperCase())) off.push(key);
  }
  const all = settings['*/*'];
  const allLevel = isRecord(all) && typeof all.loggingLevel === 'string' ? all.loggingLevel.toUpperCase() : 'OFF';
  if (!LOGGING_ON.has(allLevel)) {
    out.push(
      finding(
        'execution-log-off',
        `Stage ${stage} does not log execution for every method (*/* loggingLevel ${all === undefined ? 'not set' : allLevel}); set ERROR or INFO.`,
        'configuration.methodSettings["*/*"].loggingLevel',
      ),
    );
  } else if (off.length > 0) {
    out.push(
      finding(
        'execution-log-off',
        `Stage ${stage} turns execution logging off for ${off.slice(0, 3).join(', ')}${off.length > 3 ? ` (+${off.length - 3} more)` : ''}.`,
        `configuration.methodSettings["${off[0]}"].loggingLevel`,
      ),
    );
  }
  return out;
}

/** The parameters the judge reads. */
export interface LoggedParams {
  readonly requireExecutionLogging: boolean;
}

/**
 * Judges one stage item: access logs on both versions, and on REST stages execution logging unless
 * `requireExecutionLogging` is false. A wrong-typed field the rule needs is `unreadable-configuration` (thrown).
 */
export function judgeStage(item: ConfigurationItem, params: LoggedParams): Evaluation {
  const ref = { resourceType: item.resourceType, resourceId: item.resourceId };
  const config = item.configuration ?? {};
  const name = typeof config.stageName === 'string' ? config.stageName : (item.resourceName ?? item.resourceId);
  const findings = accessLogFindings(config, name);
  if (item.resourceType === REST_STAGE && params.requireExecutionLogging) {
    findings.push(...executionLogFindings(config, name));
  }
  const what =
    item.resourceType === REST_STAGE && params.requireExecutionLogging ? 'access and execution logs' : 'access logs';
  return judge(ref, findings, `Stage ${name} writes ${what}.`, 'medium');
}
