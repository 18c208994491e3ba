import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTable } from '../../../scan/outputs/table';
import { ScanReport } from '../../../scan/findings/report';
import { toScanEvaluation } from '../../../scan/findings/scan-evaluation';
import { evaluationJson, toJsonEvaluation } from '../../../scan/outputs/json';
import { baseItem, lookupRule, scan, snapshotOf, tempDir, TEST_RULES, topicKeyRule } from './scan-harness';
import type { AnyRule, Evaluation } from '../../../rules/runtime/types';

const ROLE = baseItem('AWS::IAM::Role', 'AROAYSAMPLEAPPROLE01');
const POLICY = baseItem('AWS::IAM::Policy', 'ANPAYSAMPLEAPPREAD01');
const KEY = baseItem('AWS::KMS::Key');
const ALIAS = baseItem('AWS::KMS::Alias');
const BUCKET_KMS = baseItem('AWS::S3::Bucket', 'ward-sample-app-data-111122223333');
const BUCKET_GONE = baseItem('AWS::S3::Bucket', 'ward-sample-old-uploads-111122223333');
const TOPIC_PLAIN = baseItem('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:111122223333:ward-sample-build-notices');
const TOPIC_KMS = baseItem('AWS::SNS::Topic', 'arn:aws:sns:us-east-1:111122223333:ward-sample-order-events');

// Referencing items first, the items they refer to last: the index pass must make the order irrelevant.
const ITEMS = [ROLE, BUCKET_KMS, BUCKET_GONE, TOPIC_PLAIN, TOPIC_KMS, POLICY, KEY, ALIAS];

const dir = tempDir();
const SNAPSHOT = join(dir, 'snapshot.json');
writeFileSync(SNAPSHOT, snapshotOf(ITEMS));

/** The start of an ANSI escape sequence. */
const ESC = '\u001b[';

const JSON_KEYS = [
  'rule',
  'resourceType',
  'resourceId',
  'compliance',
  'annotation',
  'findings',
  'accountId',
  'region',
  'arn',
  'resourceName',
  'severity',
  'location',
];

describe('ward scan on a snapshot', () => {
  it('resolves attached policies and KMS keys from items anywhere in the snapshot', async () => {
    const r = await scan([SNAPSHOT], { format: 'json', rules: 'lookup-example' });
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.evaluations.map((e: { resourceId: string }) => [e.resourceId, e]));
    expect(byId.AROAYSAMPLEAPPROLE01.compliance).toBe('COMPLIANT');
    expect(byId['ward-sample-app-data-111122223333'].findings).toEqual([
      {
        code: 'key-seen',
        message: 'key manager CUSTOMER',
        path: null,
        severity: 'low',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        controls: [],
      },
    ]);
    expect(byId['ward-sample-old-uploads-111122223333'].compliance).toBe('NOT_APPLICABLE');
  });

  it('says when an attached policy is not in the snapshot', async () => {
    const file = join(dir, 'no-policy.json');
    writeFileSync(file, snapshotOf([ROLE]));
    const report = JSON.parse((await scan([file], { format: 'json', rules: 'lookup-example' })).stdout);
    expect(report.evaluations[0].findings).toEqual([
      {
        code: 'policy-missing',
        message: 'arn:aws:iam::111122223333:policy/ward-sample-app-read',
        path: null,
        severity: 'low',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        controls: [],
      },
    ]);
  });

  it('prints exactly one JSON object with the stable fields', async () => {
    const r = await scan([SNAPSHOT], { format: 'json' });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['summary', 'evaluations']);
    for (const e of report.evaluations) {
      expect(Object.keys(e)).toEqual(JSON_KEYS);
      for (const f of e.findings)
        expect(Object.keys(f)).toEqual(['code', 'message', 'path', 'severity', 'fingerprint', 'controls']);
    }
    expect(report.summary).toMatchObject({
      schemaVersion: 2,
      mode: 'snapshot',
      itemsRead: ITEMS.length,
      evaluations: 5,
      compliance: { COMPLIANT: 2, NON_COMPLIANT: 2, NOT_APPLICABLE: 1 },
      rules: {
        'topic-key-example': { COMPLIANT: 1, NON_COMPLIANT: 1, NOT_APPLICABLE: 0 },
        'lookup-example': { COMPLIANT: 1, NON_COMPLIANT: 1, NOT_APPLICABLE: 1 },
        'periodic-only-example': { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
      },
      badItems: { count: 0, problems: [] },
      inputs: [{ file: SNAPSHOT, layout: 'snapshot', items: ITEMS.length }],
      errors: [],
    });
  });

  it('lists a periodic-only rule as skipped with the reason, never silently', async () => {
    const report = JSON.parse((await scan([SNAPSHOT], { format: 'json' })).stdout);
    expect(report.summary.skippedRules).toEqual([
      { rule: 'periodic-only-example', reason: expect.stringMatching(/^periodic-only rule: .*ward scan --live/) },
    ]);
    const table = (await scan([SNAPSHOT])).stdout;
    expect(table).toMatch(/Skipped rules\n {2}periodic-only-example: periodic-only rule/);
  });

  it('exits 0 when a periodic-only rule is skipped by default, 2 when it was asked for by name', async () => {
    expect((await scan([SNAPSHOT], { format: 'json' })).code).toBe(0);
    const named = await scan([SNAPSHOT], { format: 'json', rules: 'topic-key-example,periodic-only-example' });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^ward scan: periodic-only-example not run: periodic-only rule/);
    expect(JSON.parse(named.stdout).summary.notJudged.entries).toEqual([
      expect.objectContaining({ kind: 'rule', subject: 'periodic-only-example' }),
    ]);
  });

  describe('--rules', () => {
    it('runs only the rules named', async () => {
      const report = JSON.parse((await scan([SNAPSHOT], { format: 'json', rules: 'topic-key-example' })).stdout);
      expect(new Set(report.evaluations.map((e: { rule: string }) => e.rule))).toEqual(new Set(['topic-key-example']));
      expect(Object.keys(report.summary.rules)).toEqual(['topic-key-example']);
    });

    it('exits 2 naming an unknown rule id', async () => {
      const r = await scan([SNAPSHOT], { rules: 'topic-key-example,no-such-rule' });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^ward scan: unknown rule "no-such-rule" in --rules \(known: topic-key-example, /);
    });
  });

  describe('--fail-on', () => {
    it('exits 1 when a resource is NON_COMPLIANT', async () => {
      expect((await scan([SNAPSHOT], { failOn: 'non-compliant' })).code).toBe(1);
    });

    it('exits 0 when every resource passes', async () => {
      const file = join(dir, 'good-only.json');
      writeFileSync(file, snapshotOf([TOPIC_KMS]));
      expect((await scan([file], { failOn: 'non-compliant', rules: 'topic-key-example' })).code).toBe(0);
    });

    it('exits 0 by default even with NON_COMPLIANT resources', async () => {
      expect((await scan([SNAPSHOT])).code).toBe(0);
    });

    it('rejects an unknown level', async () => {
      const r = await scan([SNAPSHOT], { failOn: 'warning' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown --fail-on warning/);
    });
  });

  describe('--params', () => {
    it('passes parameters to the rule (exemptions)', async () => {
      const params = join(dir, 'params.json');
      writeFileSync(params, JSON.stringify({ 'topic-key-example': { exemptResourceIds: TOPIC_PLAIN.resourceId } }));
      const report = JSON.parse(
        (await scan([SNAPSHOT], { format: 'json', params, rules: 'topic-key-example' })).stdout,
      );
      expect(report.summary.rules['topic-key-example']).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 0, NOT_APPLICABLE: 1 });
    });

    it.each([
      ['not JSON', 'nope', /--params .*params-bad\.json: /],
      ['an unknown rule', '{"nope": {}}', /--params .*: unknown rule id "nope"/],
      [
        'invalid parameters',
        '{"topic-key-example": {"exemptResourceIds": 5}}',
        /rule topic-key-example: invalid parameters/,
      ],
    ])('exits 2 on %s', async (_name, text, message) => {
      const params = join(dir, 'params-bad.json');
      writeFileSync(params, text);
      const r = await scan([SNAPSHOT], { params });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    const out = join(dir, 'report.json');
    const r = await scan([SNAPSHOT], { format: 'json', output: out });
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.itemsRead).toBe(ITEMS.length);
  });

  it('--output to a path that cannot be written exits 2 before scanning', async () => {
    const r = await scan([SNAPSHOT], { output: join(dir, 'no-such-dir', 'report.json') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ward scan: --output .*no-such-dir\/report\.json: cannot write/);
  });

  it('rejects an unknown --format', async () => {
    const r = await scan([SNAPSHOT], { format: 'xml' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown --format xml/);
  });

  it('--format sarif writes SARIF 2.1.0 with finding codes as rules and NON_COMPLIANT findings as results', async () => {
    const sarif = JSON.parse((await scan([SNAPSHOT], { format: 'sarif' })).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('ward');
    const ids = driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'topic-key-example/no-kms-key',
        'lookup-example/policy-missing',
        'lookup-example/key-seen',
      ]),
    );
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(2);
    const topic = results.find((r: { ruleId: string }) => r.ruleId === 'topic-key-example/no-kms-key');
    expect(topic).toMatchObject({
      level: 'error',
      message: {
        text: `SNS topic has no KmsMasterKeyId. AWS::SNS::Topic ${TOPIC_PLAIN.resourceId} (account 111122223333, region us-east-1)`,
      },
      locations: [
        {
          physicalLocation: { region: { startLine: 1 } },
          logicalLocations: [
            {
              name: TOPIC_PLAIN.resourceId,
              fullyQualifiedName: TOPIC_PLAIN.resourceId,
              kind: 'resource',
            },
          ],
        },
      ],
    });
    expect(driver.rules[topic.ruleIndex].id).toBe(topic.ruleId);
    const low = results.find((r: { ruleId: string }) => r.ruleId === 'lookup-example/key-seen');
    expect(low.level).toBe('note');
  });
});

describe('the table', () => {
  it('groups by rule, non-compliant rules first, with findings under each resource and a summary line', async () => {
    const r = await scan([SNAPSHOT]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('topic-key-example  [high]  SNS topics are encrypted with KMS');
    expect(lines[1]).toBe('  1 non-compliant, 1 compliant, 0 not applicable');
    expect(lines[2]).toBe(`  ✗ [high] AWS::SNS::Topic  ${TOPIC_PLAIN.resourceId}  ${SNAPSHOT}:1`);
    expect(lines[3]).toBe('      no-kms-key (high): SNS topic has no KmsMasterKeyId.  (configuration.KmsMasterKeyId)');
    expect(lines).toContain('lookup-example  [low]  Referenced policies and keys are in the snapshot');
    expect(lines.indexOf('lookup-example  [low]  Referenced policies and keys are in the snapshot')).toBeGreaterThan(3);
    expect(lines.at(-1)).toBe(
      `ward scan: ${ITEMS.length} items from 1 input: 2 non-compliant (1 high, 1 low), 2 compliant, 1 not applicable (3 rules); ` +
        '0 bad items, 1 rule skipped',
    );
    expect(r.stdout.includes(ESC)).toBe(false);
  });

  it('puts rules without NON_COMPLIANT resources after the others, whatever the registry order', () => {
    const report = new ScanReport([lookupRule as AnyRule, topicKeyRule as AnyRule], { keepPerRule: 100 });
    report.add(
      toScanEvaluation(
        lookupRule as AnyRule,
        {
          resourceType: 'AWS::IAM::Role',
          resourceId: 'r',
          compliance: 'COMPLIANT',
          annotation: 'ok',
          findings: [],
        } as Evaluation,
        { accountId: '111122223333', region: 'us-east-1' },
      ),
    );
    report.add(
      toScanEvaluation(
        topicKeyRule as AnyRule,
        {
          resourceType: 'AWS::SNS::Topic',
          resourceId: 't',
          compliance: 'NON_COMPLIANT',
          annotation: 'x',
          findings: [{ code: 'no-kms-key', message: 'm' }],
        } as Evaluation,
        { accountId: '111122223333', region: 'us-east-1' },
      ),
    );
    const text = renderTable(report, report.summary('snapshot'), false);
    expect(text.indexOf('topic-key-example')).toBeLessThan(text.indexOf('lookup-example'));
  });

  it('is coloured only when asked (a TTY without NO_COLOR)', () => {
    const report = new ScanReport(TEST_RULES, { keepPerRule: 100 });
    report.add(
      toScanEvaluation(
        topicKeyRule as AnyRule,
        {
          resourceType: 'AWS::SNS::Topic',
          resourceId: 't',
          compliance: 'NON_COMPLIANT',
          annotation: 'x',
          findings: [{ code: 'no-kms-key', message: 'm' }],
        } as Evaluation,
        { accountId: '111122223333', region: 'us-east-1' },
      ),
    );
    expect(renderTable(report, report.summary('snapshot'), true).includes(`${ESC}31m`)).toBe(true);
    expect(renderTable(report, report.summary('snapshot'), false).includes(ESC)).toBe(false);
  });
});

describe('evaluationJson', () => {
  it.each([
    [
      'a compliant evaluation',
      { resourceType: 'AWS::SNS::Topic', resourceId: 't', compliance: 'COMPLIANT', annotation: 'ok', findings: [] },
    ],
    [
      'findings with and without a path, and characters JSON must escape',
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'b"\\\n',
        compliance: 'NON_COMPLIANT',
        annotation: 'é ✓ "x"',
        findings: [
          { code: 'no-kms-key', message: 'm\t"', path: 'a.b[0]' },
          { code: 'no-kms-key', message: 'n' },
        ],
      },
    ],
  ])('writes exactly what JSON.stringify(toJsonEvaluation) writes for %s', (_name, e) => {
    const evaluation = e as unknown as Evaluation;
    const se = toScanEvaluation(topicKeyRule as AnyRule, evaluation, {
      accountId: '111122223333',
      region: 'us-east-1',
      location: { file: 'a "b".json', line: 7 },
    });
    expect(evaluationJson(se)).toBe(JSON.stringify(toJsonEvaluation(se)));
    if (se.findings[0]) se.findings[0].suppressed = { reason: 'accepted "x"', expires: '2027-01-01' };
    se.suppressed = se.findings[0]?.suppressed;
    se.baseline = 'new';
    expect(evaluationJson(se)).toBe(JSON.stringify(toJsonEvaluation(se)));
  });
});

describe('--output on a failed scan', () => {
  it('still writes the report when an input is bad, its summary naming the input not read', async () => {
    const out = join(dir, 'partial-report.json');
    const missing = join(dir, 'missing.json');
    const r = await scan([missing, SNAPSHOT], { format: 'json', output: out });
    expect(r.code).toBe(2);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.summary.notJudged.entries).toEqual([
      { kind: 'input', subject: missing, problem: 'no such file or directory' },
    ]);
    expect(report.evaluations.length).toBeGreaterThan(0);
  });

  it('lists in the table what was not judged, and says so in the summary line', async () => {
    const missing = join(dir, 'missing-too.json');
    const r = await scan([missing, SNAPSHOT]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`Not judged (1)\n  ${missing}: no such file or directory`);
    expect(r.stdout).toMatch(/; 1 not judged \(exit code 2\)\n$/);
  });

  it('gives SARIF results of unreadable items a rule of their own', async () => {
    const item = JSON.parse(readFileSync(SNAPSHOT, 'utf8')).configurationItems.find(
      (i: { resourceType: string }) => i.resourceType === 'AWS::SNS::Topic',
    );
    const file = join(dir, 'unreadable.json');
    writeFileSync(file, JSON.stringify([{ ...item, configuration: '[]' }]));
    const r = await scan([file], { format: 'sarif', rules: 'topic-key-example' });
    expect(r.code).toBe(2);
    const run = JSON.parse(r.stdout).runs[0];
    const [result] = run.results;
    expect(result.ruleId).toBe('topic-key-example/unreadable-configuration');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('leaves no report file behind a usage error', async () => {
    const out = join(dir, 'failed-report.json');
    const r = await scan([SNAPSHOT], { format: 'json', output: out, rules: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ward scan: --rules names no rule/);
    expect(existsSync(out)).toBe(false);
  });
});
