import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../rules';
import { CONTROL_TITLES } from '../../../rules/runtime/control-catalogue';
import { controlRefs, ENGINE_CODES, FRAMEWORK_KEYS, ruleControls } from '../../../rules/runtime/controls';
import { parseFrameworks } from '../../../scan/findings/control-summary';
import { scan } from '../scan/scan-harness';
import { judgesTemplateType } from '../../../scan/inputs/template-entry-points';

const ROOT = join(__dirname, '..', '..', '..');
const SAMPLE = join(ROOT, 'examples', 'config-snapshot.json');

describe('compliance framework mappings in rule metadata', () => {
  it.each(rules.map((r) => [r.meta.id, r] as const))(
    '%s maps every finding code and only its own codes',
    (_id, rule) => {
      const mapped = Object.keys(rule.meta.controls ?? {}).sort();
      expect(mapped).toEqual(Object.keys(rule.meta.findingCodes).sort());
    },
  );

  it.each(rules.map((r) => [r.meta.id, r] as const))(
    '%s fails every control it covers on a type when the engine could not judge the resource',
    (_id, rule) => {
      for (const type of [...rule.meta.resourceTypes, ...(rule.meta.periodicResourceTypes ?? [])]) {
        const covered = ruleControls(rule.meta.controls, type);
        for (const code of ENGINE_CODES) {
          expect([...controlRefs(rule.meta.controls, code, type)].sort()).toEqual([...covered].sort());
        }
      }
    },
  );

  it.each(rules.map((r) => [r.meta.id, r] as const))('%s names only controls with a published title', (_id, rule) => {
    for (const ref of ruleControls(rule.meta.controls)) expect(Object.keys(CONTROL_TITLES)).toContain(ref);
  });

  it.each(rules.map((r) => [r.meta.id, r] as const))(
    '%s keys its mappings by resource types it judges',
    (_id, rule) => {
      const types = new Set(['*', ...rule.meta.resourceTypes, ...(rule.meta.periodicResourceTypes ?? [])]);
      // Or a type it judges only in templates (entry-points-authenticated's methods, routes and function URLs).
      for (const byType of Object.values(rule.meta.controls ?? {})) {
        for (const t of Object.keys(byType)) expect(types.has(t) || judgesTemplateType(rule, t)).toBe(true);
      }
    },
  );

  it.each(rules.map((r) => [r.meta.id, r] as const))('%s cites its FSBP and CIS controls in its README', (id, rule) => {
    const readme = readFileSync(join(ROOT, 'rules', id, 'README.md'), 'utf8');
    expect(readme).toContain('## Compliance controls');
    for (const ref of ruleControls(rule.meta.controls)) expect(readme).toContain(ref.slice(ref.indexOf(':') + 1));
  });

  it('maps a customer-managed "*:*" policy to IAM.1, CIS v3.0.0 1.16 and NIST AC-6, and an inline one to NIST only', () => {
    const rule = rules.find((r) => r.meta.id === 'no-wildcard-actions');
    expect(controlRefs(rule?.meta.controls, 'full-admin', 'AWS::IAM::Policy')).toEqual(
      expect.arrayContaining(['aws-fsbp:IAM.1', 'cis-aws-3.0.0:1.16', 'nist-800-53-r5:AC-6']),
    );
    const inline = controlRefs(rule?.meta.controls, 'full-admin', 'AWS::IAM::Role');
    expect(inline.filter((r) => !r.startsWith('nist-800-53-r5:'))).toEqual([]);
  });

  it('maps the same code to the control of each store type (RDS.3 on an instance, SQS.1 on a queue)', () => {
    const rule = rules.find((r) => r.meta.id === 'encrypted-at-rest');
    expect(controlRefs(rule?.meta.controls, 'unencrypted', 'AWS::RDS::DBInstance')).toContain('aws-fsbp:RDS.3');
    expect(controlRefs(rule?.meta.controls, 'unencrypted', 'AWS::RDS::DBInstance')).toContain('cis-aws-3.0.0:2.3.1');
    expect(controlRefs(rule?.meta.controls, 'unencrypted', 'AWS::SQS::Queue')).toContain('aws-fsbp:SQS.1');
    expect(controlRefs(rule?.meta.controls, 'unencrypted', 'AWS::SQS::Queue')).not.toContain('aws-fsbp:RDS.3');
  });

  it('accepts the framework names and versions, and names an unknown one', () => {
    expect(parseFrameworks('aws-fsbp,cis-aws,nist-800-53')).toEqual({ ok: true, keys: [...FRAMEWORK_KEYS] });
    expect(parseFrameworks('pci')).toEqual({ ok: false, message: expect.stringContaining('unknown --framework pci') });
  });
});

describe('ward scan --framework', () => {
  it('adds a per-control summary whose failed counts equal the resources with a finding failing that control', async () => {
    const r = await scan([SAMPLE], { format: 'json', framework: 'aws-fsbp,cis-aws,nist-800-53' }, '', rules);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const summary = report.summary.controls;
    expect(summary.frameworks).toEqual(['aws-fsbp', 'cis-aws-3.0.0', 'nist-800-53-r5']);
    for (const c of summary.controls as { control: string; failed: number; suppressed: number }[]) {
      const failing = new Set(
        (
          report.evaluations as {
            accountId: string;
            region: string;
            resourceType: string;
            resourceId: string;
            findings: { controls: string[] }[];
          }[]
        )
          .filter((e) => e.findings.some((f) => f.controls.includes(c.control)))
          .map((e) => `${e.accountId}/${e.region}/${e.resourceType}/${e.resourceId}`),
      );
      expect(c.failed + c.suppressed).toBe(failing.size);
    }
    const iam1 = summary.controls.find((c: { control: string }) => c.control === 'aws-fsbp:IAM.1');
    expect(iam1).toMatchObject({
      title: expect.stringContaining('administrative privileges'),
      failed: expect.any(Number),
    });
    expect(iam1.failed).toBeGreaterThan(0);
    expect(iam1.passed).toBeGreaterThan(0);
  });

  it('carries controls on every finding of the JSON report', async () => {
    const r = await scan([SAMPLE], { format: 'json' }, '', rules);
    const report = JSON.parse(r.stdout);
    const findings = report.evaluations.flatMap((e: { findings: unknown[] }) => e.findings);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(Array.isArray(f.controls)).toBe(true);
    expect(findings.some((f: { controls: string[] }) => f.controls.includes('aws-fsbp:IAM.1'))).toBe(true);
    expect(report.summary.controls).toBeUndefined();
  });

  it('adds the summary to the table and to SARIF run properties', async () => {
    const table = await scan([SAMPLE], { framework: 'cis-aws' }, '', rules);
    expect(table.stdout).toMatch(/Controls \(cis-aws-3\.0\.0\)[\s\S]*cis-aws-3\.0\.0:1\.16/);
    expect(table.stdout).not.toContain('aws-fsbp:');
    const sarif = await scan([SAMPLE], { format: 'sarif', framework: 'nist-800-53' }, '', rules);
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.properties.controls.controls.every((c: { framework: string }) => c.framework === 'nist-800-53-r5')).toBe(
      true,
    );
  });

  it('refuses an unknown framework with exit 2 and a one-line reason', async () => {
    const r = await scan([SAMPLE], { framework: 'pci-dss' }, '', rules);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ward scan: unknown --framework pci-dss/);
  });
});
