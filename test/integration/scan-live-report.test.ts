import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import Ajv from 'ajv';
import { encryptedAtRest } from '../../rules/encrypted-at-rest/rule';
import type { AnyRule } from '../../rules/runtime/types';
import { runScan, type ScanOptions } from '../../scan/run';
import { tempDir } from '../unit/scan/scan-harness';
import { motoClientConfig, motoRegion, uniqueName, useMotoEnvironment } from '../harness/moto';

/*
 * `ward scan --live` end to end against moto: the JSON report against docs/scan-report.schema.json, and the
 * SARIF of a live scan anchored to the snapshot it saves. moto's Config returns SNS topics readable by SDK v3
 * (moto.md section 1); its S3 items fail to deserialize and are reported as an error, which does not matter here.
 */

const region = motoRegion(__filename);
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'scan-report.schema.json'), 'utf8'));
let restore: () => void;
let topicArn: string;

beforeAll(async () => {
  restore = useMotoEnvironment(region);
  const sns = new SNSClient(motoClientConfig(region));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('ward-live-report') }))).TopicArn as string;
});
afterAll(() => restore());

async function live(options: ScanOptions, cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runScan(
    [],
    { live: true, region, rules: 'encrypted-at-rest', ...options },
    {
      stdin: Readable.from([]),
      stdout,
      stderr,
      env: {},
      registry: [encryptedAtRest as AnyRule],
      cwd,
    },
  );
  return { code, stdout: out, stderr: err };
}

describe('ward scan --live reports', () => {
  it('writes JSON that the published schema validates, with account, region and ARN on each evaluation', async () => {
    const r = await live({ format: 'json' }, tempDir());
    const report = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    const topic = report.evaluations.find((e: { resourceId: string }) => e.resourceId === topicArn);
    expect(topic).toMatchObject({
      accountId: expect.stringMatching(/^\d{12}$/),
      region,
      arn: topicArn,
      location: null,
    });
  });

  it('saves the items it read beside the SARIF file and anchors each result to its line there', async () => {
    const dir = tempDir();
    const out = join(dir, 'ward.sarif');
    const r = await live({ format: 'sarif', output: out }, dir);
    expect(r.stderr).toContain(`the items read were saved to ${join(dir, 'ward.snapshot.json')}`);
    const log = JSON.parse(readFileSync(out, 'utf8'));
    const lines = readFileSync(join(dir, 'ward.snapshot.json'), 'utf8').split('\n');
    const result = log.runs[0].results.find(
      (x: { properties: { resourceId: string } }) => x.properties.resourceId === topicArn,
    );
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('ward.snapshot.json');
    const line = lines[result.locations[0].physicalLocation.region.startLine - 1];
    expect(JSON.parse(line.replace(/,$/, ''))).toMatchObject({ resourceType: 'AWS::SNS::Topic', resourceId: topicArn });
    expect(log.runs[0].automationDetails.id).toMatch(/^ward\/\d{12}\/$/);
    // The saved snapshot is a snapshot ward reads: offline, the topic is judged the same.
    const offline = new PassThrough();
    let text = '';
    offline.on('data', (c: Buffer) => (text += c.toString('utf8')));
    await runScan(
      [join(dir, 'ward.snapshot.json')],
      { format: 'json' },
      {
        stdin: Readable.from([]),
        stdout: offline,
        stderr: new PassThrough(),
        env: {},
        registry: [encryptedAtRest as AnyRule],
        cwd: dir,
      },
    );
    const again = JSON.parse(text).evaluations.find((e: { resourceId: string }) => e.resourceId === topicArn);
    expect(again).toMatchObject({
      compliance: 'NON_COMPLIANT',
      findings: [expect.objectContaining({ code: 'unencrypted' })],
    });
  });
});
