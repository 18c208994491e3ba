/**
 * Judges every Lambda function of an account at once (pure): plaintext credentials in each environment, the same
 * credential in several functions, and one execution role across components. Works on {@link FunctionFacts},
 * which hold credential fingerprints and never values.
 */
import {
  type Evaluation,
  type Finding,
  type FindingCodeInfo,
  exemptionReason,
  judge,
  nonCompliant,
  notApplicable,
} from '../runtime';
import { CREDENTIAL_KIND_LABELS, type DetectedCredential } from './detect';

/** The resource type this rule reports. */
export const LAMBDA_FUNCTION = 'AWS::Lambda::Function';

/** The finding codes of this rule, with the description and severity the README and `meta.findingCodes` carry. */
export const FINDING_CODES = {
  'plaintext-credential': {
    description: 'An environment variable holds a credential in plaintext.',
    severity: 'high',
  },
  'shared-credential': {
    description: 'The same credential is in the environment of two or more functions.',
    severity: 'critical',
  },
  'shared-execution-role': {
    description: 'One execution role is used by functions of different components.',
    severity: 'medium',
  },
  'environment-unreadable': {
    description: 'Lambda could not return the environment (for example a KMS decryption error).',
    severity: 'medium',
  },
} as const satisfies Readonly<Record<string, FindingCodeInfo>>;

/** One of the keys of {@link FINDING_CODES}. */
export type FindingCode = keyof typeof FINDING_CODES;

/** A credential found in a function, and where when not in `$LATEST`. */
export interface FunctionCredential extends DetectedCredential {
  /**
   * Set when the credential is only in published versions (their environment is immutable, so removing it
   * from `$LATEST` was not enough): the version numbers.
   */
  readonly publishedOnly?: readonly string[];
}

/** What the rule knows about one function after collection: no environment value survives into it. */
export interface FunctionFacts {
  readonly name: string;
  readonly arn: string;
  /** The execution role ARN. */
  readonly role?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly credentials: readonly FunctionCredential[];
  /** Set when Lambda returned `Environment.Error` instead of the variables (error code only). */
  readonly environmentError?: string;
}

/** The parameters `judgeFunctions` reads. */
export interface JudgeParams {
  readonly componentTagKey: string;
  readonly exemptResourceIds?: readonly string[];
  readonly exemptTag?: string;
}

/** The component a function belongs to: its component tag, or the function itself when it has none. */
export function componentOf(fn: FunctionFacts, tagKey: string): string {
  // Own keys only: a componentTagKey such as "constructor" must not read Object.prototype's member.
  const tag = Object.hasOwn(fn.tags, tagKey) ? fn.tags[tagKey] : undefined;
  return typeof tag === 'string' && tag !== '' ? tag : `function ${fn.name}`;
}

function names(values: readonly string[], max = 3): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} (+${values.length - max} more)` : shown;
}

function finding(code: FindingCode, message: string, path?: string): Finding {
  return { code, message, severity: FINDING_CODES[code].severity, ...(path ? { path } : {}) };
}

/**
 * One evaluation per function, in the order given. Exempt functions are NOT_APPLICABLE with the reason;
 * sharing is still judged against them, so a non-exempt function that shares a credential with an exempt one
 * is reported.
 */
export function judgeFunctions(functions: readonly FunctionFacts[], params: JudgeParams): Evaluation[] {
  const byFingerprint = new Map<string, Set<string>>();
  const byRole = new Map<string, FunctionFacts[]>();
  for (const fn of functions) {
    for (const c of fn.credentials) {
      const set = byFingerprint.get(c.fingerprint) ?? new Set<string>();
      set.add(fn.name);
      byFingerprint.set(c.fingerprint, set);
    }
    if (fn.role) byRole.set(fn.role, [...(byRole.get(fn.role) ?? []), fn]);
  }

  return functions.map((fn) => {
    const ref = { resourceType: LAMBDA_FUNCTION, resourceId: fn.name };
    const exempt = exemptionReason(params, { resourceId: fn.name, arn: fn.arn, tags: fn.tags });
    if (exempt) return notApplicable(ref, exempt);

    const findings: Finding[] = [];
    if (fn.environmentError) {
      findings.push(
        finding(
          'environment-unreadable',
          `Lambda returned ${fn.environmentError} instead of the environment of ${fn.name}: ward cannot check it for credentials.`,
          'Environment.Error',
        ),
      );
    }
    const reported = new Set<string>();
    for (const c of fn.credentials) {
      const path = `Environment.Variables.${c.variable}`;
      const where = c.publishedOnly
        ? ` in published ${c.publishedOnly.length === 1 ? 'version' : 'versions'} ${names(c.publishedOnly)} only (rotate it and delete ${c.publishedOnly.length === 1 ? 'that version' : 'those versions'})`
        : '';
      findings.push(
        finding(
          'plaintext-credential',
          `${c.variable} holds ${CREDENTIAL_KIND_LABELS[c.kind]} in plaintext${where}; keep it in Secrets Manager or SSM and pass a reference.`,
          path,
        ),
      );
      if (reported.has(c.fingerprint)) continue;
      reported.add(c.fingerprint);
      const others = [...(byFingerprint.get(c.fingerprint) ?? [])].filter((n) => n !== fn.name).sort();
      if (others.length > 0) {
        findings.push(
          finding(
            'shared-credential',
            `The credential in ${c.variable} is also in ${others.length === 1 ? 'function' : 'functions'} ${names(others)}.`,
            path,
          ),
        );
      }
    }
    if (fn.role) {
      const mine = componentOf(fn, params.componentTagKey);
      const foreign = (byRole.get(fn.role) ?? []).filter((o) => componentOf(o, params.componentTagKey) !== mine);
      if (foreign.length > 0) {
        const components = [...new Set(foreign.map((o) => componentOf(o, params.componentTagKey)))].sort();
        findings.push(
          finding(
            'shared-execution-role',
            `Execution role ${fn.role.split('/').pop()} is also used by ${names(components)}; give each component its own role.`,
            'Role',
          ),
        );
      }
    }
    if (findings.length > 0) return nonCompliant(ref, findings as [Finding, ...Finding[]], { ruleSeverity: 'high' });
    return judge(
      ref,
      findings,
      'No plaintext credential in the environment; the role is not shared across components.',
    );
  });
}
