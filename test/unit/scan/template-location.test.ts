import { rules } from '../../../rules';
import type { Evaluation } from '../../../rules/runtime/types';
import { ScanReport } from '../../../scan/findings/report';
import { toScanEvaluation } from '../../../scan/findings/scan-evaluation';
import { toJsonEvaluation } from '../../../scan/outputs/json';
import { projectLinks } from '../../../scan/outputs/project-links';
import { toSarif } from '../../../scan/outputs/sarif';

/*
 * Any input adapter supplies a location with its items: a template adapter gives the template file, the line of
 * the resource and its logical id, and every output reads them from the finding model, not from the splitter.
 */
describe('a location supplied by an input adapter', () => {
  const rule = rules.find((r) => r.meta.id === 'encrypted-at-rest');
  if (!rule) throw new Error('no encrypted-at-rest');
  const e = {
    resourceType: 'AWS::SNS::Topic',
    resourceId: 'OrdersTopic',
    compliance: 'NON_COMPLIANT',
    annotation: 'x',
    findings: [
      {
        code: 'unencrypted',
        message: 'SNS topic OrdersTopic has no KmsMasterKeyId.',
        path: 'configuration.KmsMasterKeyId',
      },
    ],
  } as unknown as Evaluation;
  const se = toScanEvaluation(rule, e, {
    accountId: '111122223333',
    region: 'eu-west-1',
    location: { file: '/repo/infra/template.yaml', line: 42, logicalId: 'OrdersTopic' },
  });

  it('anchors SARIF at the template line, named by the logical id', () => {
    const report = new ScanReport([rule], { keepPerRule: Infinity });
    report.add(se);
    const log = toSarif(report, { version: '0', links: projectLinks(), cwd: '/repo', automationId: 'ward/t/' }).log as {
      runs: { results: { locations: object[] }[] }[];
    };
    expect(log.runs[0].results[0].locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'infra/template.yaml' }, region: { startLine: 42 } },
      logicalLocations: [{ name: 'OrdersTopic', fullyQualifiedName: 'AWS::SNS::Topic/OrdersTopic', kind: 'resource' }],
    });
  });

  it('reports the location with its logical id in JSON', () => {
    expect(toJsonEvaluation(se).location).toEqual({
      file: '/repo/infra/template.yaml',
      line: 42,
      logicalId: 'OrdersTopic',
    });
  });
});
