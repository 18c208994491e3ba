import { join } from 'node:path';
import { rules } from '../../../rules';
import { OCSF_VERSION } from '../../../scan/outputs/ocsf';
import { scan } from '../scan/scan-harness';
import { complianceFindingAttrs, complianceFindingUid, validate } from './ocsf-schema';

const SAMPLE = join(__dirname, '..', '..', '..', 'examples', 'config-snapshot.json');

describe('ward scan --format ocsf', () => {
  let lines: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON events read back
  let json: {
    summary: { evaluations: number };
    evaluations: { findings: { fingerprint: string }[]; compliance: string; arn: string | null }[];
  };

  beforeAll(async () => {
    const r = await scan([SAMPLE], { format: 'ocsf' }, '', rules);
    expect(r.code).toBe(0);
    lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    json = JSON.parse((await scan([SAMPLE], { format: 'json' }, '', rules)).stdout);
  });

  it('writes one JSON line per evaluation', () => {
    expect(lines).toHaveLength(json.summary.evaluations);
  });

  it('validates every event against the OCSF 1.4.0 Compliance Finding class', () => {
    const attrs = complianceFindingAttrs();
    const problems = lines.flatMap((l, i) => validate(l, attrs).map((p) => `line ${i + 1}${p}`));
    expect(problems).toEqual([]);
    expect(lines.every((l) => l.class_uid === complianceFindingUid() && l.class_uid === 2003)).toBe(true);
  });

  it('sets the class, type, version, product, status and standards the issue names', () => {
    for (const l of lines) {
      expect(l).toMatchObject({ category_uid: 2, type_uid: 200301, activity_id: 1 });
      expect(l.metadata).toMatchObject({ version: OCSF_VERSION, product: { name: 'ward' } });
      expect(l.compliance.standards.length).toBeGreaterThan(0);
      expect([1, 3, undefined]).toContain(l.compliance.status_id);
      if (l.compliance.status_id === undefined) expect(l.compliance.status).toBe('Not applicable');
      expect(l.severity_id).toBeGreaterThanOrEqual(1);
      expect(l.severity_id).toBeLessThanOrEqual(5);
      expect(l.cloud.account.uid).toMatch(/^\d{12}$/);
    }
  });

  it('keys failed events by the SARIF fingerprint, with their controls as requirements', () => {
    const failed = lines.filter((l) => l.compliance.status_id === 3);
    const fingerprints = json.evaluations
      .filter((e) => e.compliance === 'NON_COMPLIANT')
      .map((e) => e.findings[0].fingerprint);
    expect(failed.map((l) => l.finding_info.uid).sort()).toEqual(fingerprints.sort());
    const iam1 = failed.find((l) => (l.compliance.requirements ?? []).includes('aws-fsbp:IAM.1'));
    expect(iam1?.compliance.standards).toContain('AWS Foundational Security Best Practices 1.0.0');
    expect(iam1?.resources[0].uid).toMatch(/^arn:aws:iam::/);
    expect(lines.filter((l) => l.compliance.status_id === 1).every((l) => l.status_id === 4)).toBe(true);
  });

  it('is checked by a validator that rejects a missing required field, a wrong type and an unknown attribute', () => {
    const attrs = complianceFindingAttrs();
    const bad = JSON.parse(JSON.stringify(lines[0]));
    delete bad.finding_info.uid;
    bad.severity_id = 'high';
    bad.resources[0].colour = 'red';
    expect(validate(bad, attrs)).toEqual(
      expect.arrayContaining([
        '.finding_info.uid: required',
        '.severity_id: not a integer_t',
        '.resources[0].colour: not an attribute here',
      ]),
    );
  });
});
