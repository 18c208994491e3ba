import { relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FINGERPRINT_KEY } from '../findings/fingerprint';
import type { ScanReport } from '../findings/report';
import type { ScanEvaluation, ScanFinding } from '../findings/scan-evaluation';
import { SarifResultBudget } from './sarif-budget';
import { type ProjectLinks, SARIF_LEVEL, SECURITY_SEVERITY, sarifRules } from './sarif-rules';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub code scanning's limits: results per run and gzipped upload size. */
export const GITHUB_LIMITS = { results: 25_000, gzipBytes: 10 * 1024 * 1024 } as const;

/** Options of {@link toSarif}. */
export interface SarifOptions {
  readonly version: string;
  readonly links: ProjectLinks;
  /** File URIs are made relative to this directory (the repository root in CI). */
  readonly cwd: string;
  /** `runAutomationDetails.id`: `ward/<inputs or account>/`. */
  readonly automationId: string;
  /** True when evaluations carry a baseline mark (`baselineState` is then set). */
  readonly baselineGiven?: boolean;
  /** Limits to keep to (default GitHub's). */
  readonly limits?: { readonly results: number; readonly gzipBytes: number };
  /**
   * The results kept while the scan ran (its capacity at least `limits.results`); default: the report's
   * NON_COMPLIANT evaluations.
   */
  readonly budget?: SarifResultBudget;
}

/** The log and what was said about it. */
export interface SarifResult {
  readonly log: object;
  /** Warnings (results cut to fit the limits). */
  readonly warnings: readonly string[];
}

/** A path as a repository-relative URI: forward slashes, percent-encoded. */
export function repositoryUri(file: string, cwd: string): string {
  const rel = relative(cwd, file) || file;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

function result(se: ScanEvaluation, f: ScanFinding, ruleIndex: number | undefined, opts: SarifOptions): object {
  const e = se.evaluation;
  const id = se.identity;
  const where = `${e.resourceType} ${id.arn ?? e.resourceId} (account ${id.accountId || 'unknown'}, region ${id.region || 'unknown'})`;
  const loc = se.location;
  return {
    ruleId: `${se.rule.meta.id}/${f.code}`,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: SARIF_LEVEL[f.severity],
    message: { text: `${f.message} ${where}` },
    locations: [
      {
        ...(loc
          ? {
              physicalLocation: {
                artifactLocation: { uri: repositoryUri(loc.file, opts.cwd) },
                region: { startLine: loc.line, ...(loc.column !== undefined ? { startColumn: loc.column } : {}) },
              },
            }
          : {}),
        logicalLocations: [
          {
            name: loc?.logicalId ?? e.resourceId,
            fullyQualifiedName: id.arn ?? `${e.resourceType}/${e.resourceId}`,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.suppressed
      ? {
          suppressions: [
            {
              kind: 'external',
              justification:
                f.suppressed.reason +
                (f.suppressed.expires ? ` (expires ${f.suppressed.expires})` : '') +
                (f.suppressed.owner ? ` (owner ${f.suppressed.owner})` : ''),
            },
          ],
        }
      : {}),
    ...(opts.baselineGiven && se.baseline ? { baselineState: se.baseline } : {}),
    properties: {
      accountId: id.accountId,
      region: id.region,
      ...(id.arn ? { arn: id.arn } : {}),
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      ...(id.resourceName ? { resourceName: id.resourceName } : {}),
      ...(f.path ? { path: f.path } : {}),
      ...(loc?.cdkPath !== undefined ? { cdkPath: loc.cdkPath } : {}),
      ...(loc?.branch !== undefined ? { branch: loc.branch } : {}),
      severity: f.severity,
      'security-severity': SECURITY_SEVERITY[f.severity],
    },
  };
}

/**
 * The SARIF 2.1.0 log of a scan, as GitHub code scanning accepts and displays it: one run, tool driver `ward`
 * whose rules are our finding codes (`<rule-id>/<code>`), one result per finding of each NON_COMPLIANT resource,
 * anchored to the input file and line where the item starts, with the ARN as a logical location, ward's own
 * `ward/v1` fingerprint, a level from the finding's severity, and suppressions. Results past GitHub's limits
 * are cut, most severe kept, with a warning.
 */
export function toSarif(report: ScanReport, opts: SarifOptions): SarifResult {
  const limits = opts.limits ?? GITHUB_LIMITS;
  const driverRules: object[] = [];
  const indexOf = new Map<string, Map<string, number>>();
  for (const rule of report.rules) {
    const codes = new Map<string, number>();
    for (const { code, descriptor } of sarifRules(rule, opts.links)) {
      codes.set(code, driverRules.length);
      driverRules.push(descriptor);
    }
    indexOf.set(rule.meta.id, codes);
  }
  // A scan gives its budget (filled as evaluations came); else the report's kept evaluations fill one now.
  let budget = opts.budget;
  if (budget === undefined) {
    budget = new SarifResultBudget(report.rules, limits.results);
    for (const rule of report.rules) for (const se of report.nonCompliantOf(rule.meta.id)) budget.add(se);
  }
  const warnings: string[] = [];
  let results = budget.sorted().map(({ se, f }) => result(se, f, indexOf.get(se.rule.meta.id)?.get(f.code), opts));
  if (budget.total > limits.results) {
    warnings.push(
      `SARIF: ${budget.total} results exceed the limit of ${limits.results} per run; the ` +
        `${budget.total - limits.results} least severe were left out (use --format json for all)`,
    );
    results = results.slice(0, limits.results);
  }
  const build = (rs: object[]) => ({
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ward',
            version: opts.version,
            semanticVersion: opts.version,
            informationUri: opts.links.home,
            rules: driverRules,
          },
        },
        automationDetails: { id: opts.automationId },
        results: rs,
      },
    ],
  });
  let log = build(results);
  const size = (l: object) => gzipSync(JSON.stringify(l, null, 2)).length;
  if (size(log) > limits.gzipBytes) {
    // Keep the largest prefix (most severe first) that fits.
    let lo = 0;
    let hi = results.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (size(build(results.slice(0, mid))) <= limits.gzipBytes) lo = mid;
      else hi = mid - 1;
    }
    warnings.push(
      `SARIF: the log exceeds ${limits.gzipBytes} bytes gzipped; the ${results.length - lo} least severe results ` +
        'were left out (use --format json for all)',
    );
    log = build(results.slice(0, lo));
  }
  return { log, warnings };
}
