/**
 * Credential detection in environment variables: pure, no I/O. Decides whether a value is a credential (by its
 * format, or by a secret-like variable name plus high entropy), and fingerprints it with SHA-256 so that the
 * value itself never leaves this module: callers keep the kind and the fingerprint, never the value.
 *
 * The order of the checks is the specification (see the rule README):
 * 1. references to a secret store are never credentials (Secrets Manager / SSM ARNs and names, `{{resolve:...}}`);
 * 2. well-known formats are credentials under any name (AWS access key ids, PEM private keys, GitHub, Slack,
 *    Stripe live, Google API keys, signed JWTs, URLs with a password); an unsigned JWT never is;
 * 3. a 40-character AWS secret access key is a credential under an AWS-ish name or beside an access key id;
 * 4. under a secret-like name (`*SECRET*`, `*TOKEN*`, `*PASSWORD*`, `*API_KEY*`, ...) a high-entropy value is one.
 */
import { createHash } from 'node:crypto';

/** The kinds of credential {@link detectCredential} recognises. */
export const CredentialKind = {
  AWS_ACCESS_KEY_ID: 'aws-access-key-id',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-access-key',
  PRIVATE_KEY: 'private-key',
  GITHUB_TOKEN: 'github-token',
  SLACK_TOKEN: 'slack-token',
  STRIPE_LIVE_KEY: 'stripe-live-key',
  GOOGLE_API_KEY: 'google-api-key',
  JWT: 'jwt',
  URL_PASSWORD: 'url-password',
  NAMED_SECRET: 'named-secret',
} as const;

/** One of {@link CredentialKind}. */
export type CredentialKindType = (typeof CredentialKind)[keyof typeof CredentialKind];

/** Human-readable names of the kinds, for finding messages. */
export const CREDENTIAL_KIND_LABELS: Readonly<Record<CredentialKindType, string>> = {
  'aws-access-key-id': 'an AWS access key id',
  'aws-secret-access-key': 'an AWS secret access key',
  'private-key': 'a PEM private key',
  'github-token': 'a GitHub token',
  'slack-token': 'a Slack token or webhook',
  'stripe-live-key': 'a Stripe live key',
  'google-api-key': 'a Google API key',
  jwt: 'a signed JWT',
  'url-password': 'a URL with an embedded password',
  'named-secret': 'a high-entropy secret',
};

/** A detected credential: what it is and its fingerprint; never the value. */
export interface DetectedCredential {
  /** The environment variable name. */
  readonly variable: string;
  readonly kind: CredentialKindType;
  /** Hex SHA-256 of the secret part of the value (the password of a URL, else the whole trimmed value). */
  readonly fingerprint: string;
}

/** Minimum length and Shannon entropy (bits per character) of a secret under a secret-like name. */
export const NAMED_SECRET_THRESHOLD = { minLength: 12, minEntropy: 3.0 } as const;

/** Hex SHA-256 of a value: how values are compared without being kept. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const ARN_REFERENCE = /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):[a-z0-9-]*:\d{12}:/;
const RESOLVE_REFERENCE = /\{\{resolve:(secretsmanager|ssm|ssm-secure):/;
/** An SSM parameter path or a Secrets Manager name: word-like segments separated by slashes. */
const PATH_REFERENCE = /^\/?[A-Za-z0-9_.@-]+(\/[A-Za-z0-9_.@-]+)+\/?$/;
const WORD_SEGMENT = /^[A-Za-z][a-z0-9]*([_.@-][A-Za-z0-9]+)*$|^[A-Z0-9_]+$|^\d+$/;

/** True when the value refers to a secret kept elsewhere rather than holding one. */
export function isSecretReference(value: string): boolean {
  const v = value.trim();
  if (ARN_REFERENCE.test(v) || RESOLVE_REFERENCE.test(v)) return true;
  if (/^(ssm|secretsmanager):/.test(v)) return true;
  // A path counts only when every segment reads as a word, so that a base64 secret with a "/" is not one.
  return PATH_REFERENCE.test(v) && v.split('/').every((s) => s === '' || WORD_SEGMENT.test(s));
}

interface FormatRule {
  readonly kind: CredentialKindType;
  readonly pattern: RegExp;
}

const AWS_ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/** Well-known formats, credentials under any variable name. */
const FORMATS: readonly FormatRule[] = [
  { kind: CredentialKind.PRIVATE_KEY, pattern: /-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { kind: CredentialKind.AWS_ACCESS_KEY_ID, pattern: AWS_ACCESS_KEY_ID },
  { kind: CredentialKind.GITHUB_TOKEN, pattern: /^(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})$/ },
  {
    kind: CredentialKind.SLACK_TOKEN,
    pattern: /^(xox[abposr]-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/\w+)$/,
  },
  { kind: CredentialKind.STRIPE_LIVE_KEY, pattern: /^(sk|rk)_live_[A-Za-z0-9]{24,}$/ },
  { kind: CredentialKind.GOOGLE_API_KEY, pattern: /^AIza[0-9A-Za-z_-]{35}$/ },
  { kind: CredentialKind.JWT, pattern: /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}$/ },
];

const UNSIGNED_JWT = /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.$/;
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
const AWS_SECRET_NAME = /(^|_)AWS_|SECRET_ACCESS_KEY|SECRET_KEY$/;
/** Parts of names that say the variable holds a secret. */
const SECRET_NAME =
  /SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|(^|_)PWD($|_)|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY|SIGNING_?KEY|(^|_)DSN$/;
/** Suffixes that say the variable names or describes a secret rather than holding it. */
const REFERENCE_NAME =
  /_(ARN|NAME|ID|PARAM|PARAMETER|PATH|KEY_ID|TTL|EXPIRY|EXPIRES|LENGTH|HEADER|ENDPOINT|REGION|FILE)$/;

function classes(v: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
}

/** True when the value looks random enough to be a secret (length, entropy, and mixed characters). */
export function isHighEntropy(value: string): boolean {
  const v = value.trim();
  if (v.length < NAMED_SECRET_THRESHOLD.minLength || /\s/.test(v)) return false;
  if (/^\d+$/.test(v) || /^(true|false|null|none|changeme|placeholder)$/i.test(v)) return false;
  if (/^https?:\/\//i.test(v)) return false;
  return classes(v) >= 2 && shannonEntropy(v) >= NAMED_SECRET_THRESHOLD.minEntropy;
}

/** The password of a URL with userinfo (`scheme://user:password@host`), or undefined. */
function urlPassword(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@\s/]+)@[^\s]+$/i.exec(value);
  if (!m) return undefined;
  const password = decodeURIComponent(m[1]);
  return password.startsWith('${') || password === '' ? undefined : password;
}

/** What the rest of the environment says about one variable. */
export interface VariableContext {
  /** True when some variable of the same environment holds an AWS access key id. */
  readonly besideAccessKeyId?: boolean;
}

/**
 * Whether one environment value is a credential, and which kind. Returns the kind and the fingerprint of the
 * secret part, or undefined.
 */
export function detectCredential(
  name: string,
  rawValue: string,
  context: VariableContext = {},
): { kind: CredentialKindType; fingerprint: string } | undefined {
  const value = rawValue.trim();
  if (value === '' || isSecretReference(value)) return undefined;
  const found = (kind: CredentialKindType, secret = value) => ({ kind, fingerprint: fingerprint(secret) });
  for (const f of FORMATS) if (f.pattern.test(value)) return found(f.kind);
  // An unsigned JWT (`alg: none`, empty signature) proves nothing: anyone can mint one.
  if (UNSIGNED_JWT.test(value)) return undefined;
  const password = urlPassword(value);
  if (password !== undefined) return found(CredentialKind.URL_PASSWORD, password);
  const upper = name.toUpperCase();
  if (AWS_SECRET_KEY.test(value) && (AWS_SECRET_NAME.test(upper) || context.besideAccessKeyId)) {
    return found(CredentialKind.AWS_SECRET_ACCESS_KEY);
  }
  if (SECRET_NAME.test(upper) && !REFERENCE_NAME.test(upper) && isHighEntropy(value)) {
    return found(CredentialKind.NAMED_SECRET);
  }
  return undefined;
}

/**
 * Every credential in an environment, in variable-name order. Values are read here and nowhere else. A value
 * that is not a string (never sent by Lambda, but a malformed response must not fail the whole run) is skipped.
 */
export function detectCredentials(variables: Readonly<Record<string, unknown>>): DetectedCredential[] {
  const values = Object.values(variables);
  const besideAccessKeyId = values.some((v) => typeof v === 'string' && AWS_ACCESS_KEY_ID.test(v.trim()));
  const out: DetectedCredential[] = [];
  for (const name of Object.keys(variables).sort()) {
    const value = variables[name];
    if (typeof value !== 'string') continue;
    const hit = detectCredential(name, value, { besideAccessKeyId });
    if (hit) out.push({ variable: name, ...hit });
  }
  return out;
}
