import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../../rules';
import { splitInputs, templateKindOf } from '../../../../scan/inputs/template-sources';
import { BASE_ITEMS, scan, snapshotOf, tempDir } from '../scan-harness';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'templates');
const YAML = join(FIXTURES, 'short-form.yaml');
const JSON_TEMPLATE = join(FIXTURES, 'compliant-bucket.json');
const PLAN = join(FIXTURES, 'plan.json');

describe('ward scan on templates', () => {
  it.each([
    ['a YAML template', YAML, 'cloudformation'],
    ['a JSON template', JSON_TEMPLATE, 'cloudformation'],
    ['a Terraform plan', PLAN, 'terraform-plan'],
  ])('tells %s by its content', (_name, path, kind) => {
    expect(templateKindOf(path)).toBe(kind);
  });

  it('leaves a Config snapshot to the snapshot reader, whatever its name', () => {
    const dir = tempDir();
    const snapshot = join(dir, 'template.yaml.json');
    writeFileSync(snapshot, snapshotOf(BASE_ITEMS.slice(0, 2)));
    expect(templateKindOf(snapshot)).toBeUndefined();
  });

  it('splits a directory holding templates and snapshots into both', () => {
    const dir = tempDir();
    copyFileSync(YAML, join(dir, 'stack.yaml'));
    copyFileSync(PLAN, join(dir, 'plan.json'));
    writeFileSync(join(dir, 'snapshot.json'), snapshotOf(BASE_ITEMS.slice(0, 2)));
    const { templates, others } = splitInputs([dir]);
    expect(templates.map((t) => `${t.kind} ${t.path.split('/').pop()}`)).toEqual([
      'terraform-plan plan.json',
      'cloudformation stack.yaml',
    ]);
    expect(others.map((p) => p.split('/').pop())).toEqual(['snapshot.json']);
  });

  it('judges templates and snapshots together, and prints file:line for template findings', async () => {
    const dir = tempDir();
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, snapshotOf(BASE_ITEMS));
    const r = await scan([YAML, snapshot], {}, '', rules);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/AWS::SNS::Topic {2}PlainTopic {2}.*short-form\.yaml:35/);
    expect(r.stdout).toMatch(/AWS::EC2::Volume {2}LogVolume {2}.*short-form\.yaml:92 \(when IsProd=false\)/);
    expect(r.stdout).toMatch(/items from 2 inputs/);
  });

  it('gives every template evaluation a location in --format json', async () => {
    const r = await scan([YAML, PLAN], { format: 'json' }, '', rules);
    const out = JSON.parse(r.stdout) as {
      summary: { inputs: { layout: string }[] };
      evaluations: { resourceId: string; compliance: string; location?: { file: string; line: number } }[];
    };
    expect(out.summary.inputs.map((i) => i.layout)).toEqual(['cloudformation', 'terraform-plan']);
    expect(out.evaluations.length).toBeGreaterThan(10);
    for (const e of out.evaluations) expect(e.location?.line).toBeGreaterThanOrEqual(1);
    expect(
      out.evaluations.find((e) => e.resourceId === 'PlainTopic' && e.compliance === 'NON_COMPLIANT')?.location,
    ).toMatchObject({ line: 35, logicalId: 'PlainTopic' });
  });

  it('points SARIF results at the template file and line', async () => {
    const r = await scan([YAML], { format: 'sarif' }, '', rules);
    const sarif = JSON.parse(r.stdout) as {
      runs: {
        results: {
          locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    const results = sarif.runs[0].results;
    expect(results.length).toBe(7);
    for (const res of results) {
      expect(res.locations[0].physicalLocation?.artifactLocation.uri).toMatch(/short-form\.yaml$/);
      expect(res.locations[0].physicalLocation?.region.startLine).toBeGreaterThan(1);
    }
  });

  it('exits 1 with --fail-on non-compliant when a template has a finding', async () => {
    expect((await scan([YAML], { failOn: 'non-compliant' }, '', rules)).code).toBe(1);
    expect((await scan([JSON_TEMPLATE], { failOn: 'non-compliant' }, '', rules)).code).toBe(0);
  });

  it('exits 2 naming the file and line of a template it cannot read', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [unclosed\n');
    const r = await scan([bad], {}, '', rules);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^ward scan: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: not a readable template`),
    );
  });

  it('exits 2 and says so when part of a template is not judged (an unexpanded SAM transform)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sam'));
    const sam = join(dir, 'sam', 'template.yaml');
    writeFileSync(
      sam,
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n',
    );
    const r = await scan([sam], {}, '', rules);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the AWS::Serverless transform is not expanded');
  });
});

describe('ward scan on a template with a local nested stack', () => {
  it('reads the nested template with the parameters its parent gives it, and points at the nested file', async () => {
    const { loadTemplates } = await import('../../../../scan/inputs/template-sources');
    const parent = join(FIXTURES, 'nested', 'parent.yaml');
    const { items, notes } = loadTemplates([{ kind: 'cloudformation', path: parent }]);
    expect(notes).toEqual([]);
    const jobs = items.find((t) => t.item.resourceId === 'Jobs');
    expect(jobs?.location.file).toMatch(/nested\/storage\.yaml$/);
    expect(jobs?.item.configuration?.KmsMasterKeyId).toBe('arn:aws:kms:us-east-1:123456789012:key/DataKey');
    expect(jobs?.unresolved).toEqual([]);
    const r = await scan([parent], {}, '', rules);
    expect(r.stdout).toMatch(/AWS::SNS::Topic {2}Alerts {2}.*storage\.yaml:10/);
  });
});
