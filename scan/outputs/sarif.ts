import { EVALUATION_ERROR_CODE } from '../../rules/runtime/evaluation';
import type { SeverityLevel } from '../../rules/runtime/types';
import { locationOf, type ScanReport } from '../findings/report';

/** SARIF result levels for our severities. */
const LEVEL: Readonly<Record<SeverityLevel, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  informational: 'note',
} as const;

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A template finding's file and line as a SARIF physical location (relative path: GitHub resolves it). */
function physicalLocation(at: ReturnType<typeof locationOf>): object {
  if (!at) return {};
  return {
    physicalLocation: {
      artifactLocation: { uri: at.file.split('\\').join('/') },
      region: { startLine: at.line, ...(at.column ? { startColumn: at.column } : {}) },
    },
  };
}

/**
 * The SARIF 2.1.0 log of a scan: one run, tool driver `ward` whose rules are our finding codes
 * (`<rule-id>/<code>`), one result per finding of each NON_COMPLIANT resource, located logically by
 * resource type and id (there is no source file to point at).
 */
export function toSarif(report: ScanReport, version: string): object {
  const driverRules: object[] = [];
  const results: object[] = [];
  for (const rule of report.rules) {
    const codes: Record<string, string> = {
      ...rule.meta.findingCodes,
      [EVALUATION_ERROR_CODE]: 'ward could not evaluate the resource (fail closed).',
    };
    const indexOf = new Map<string, number>();
    for (const [code, description] of Object.entries(codes)) {
      indexOf.set(code, driverRules.length);
      driverRules.push({
        id: `${rule.meta.id}/${code}`,
        name: code,
        shortDescription: { text: description },
        fullDescription: { text: `${rule.meta.title}. ${rule.meta.rationale}` },
        help: { text: `See rules/${rule.meta.id}/README.md, finding code ${code}.` },
        defaultConfiguration: { level: LEVEL[rule.meta.severity] },
        properties: { rule: rule.meta.id, severity: rule.meta.severity, configRuleName: `ward-${rule.meta.id}` },
      });
    }
    for (const e of report.nonCompliantOf(rule.meta.id)) {
      for (const f of e.findings) {
        results.push({
          ruleId: `${rule.meta.id}/${f.code}`,
          ...(indexOf.has(f.code) ? { ruleIndex: indexOf.get(f.code) } : {}),
          level: LEVEL[f.severity ?? rule.meta.severity],
          message: { text: f.message },
          locations: [
            {
              ...physicalLocation(locationOf(e)),
              logicalLocations: [
                {
                  name: e.resourceId,
                  fullyQualifiedName: locationOf(e)?.cdkPath ?? `${e.resourceType}/${e.resourceId}`,
                  kind: 'resource',
                },
              ],
            },
          ],
          properties: { resourceType: e.resourceType, resourceId: e.resourceId, ...(f.path ? { path: f.path } : {}) },
        });
      }
    }
  }
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ward', version, rules: driverRules } },
        results,
      },
    ],
  };
}
