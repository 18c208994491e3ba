import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { PassThrough, Readable } from 'node:stream';
import { PutConfigurationAggregatorCommand, ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { rules as registry } from '../../rules';
import type { ScopeRow } from '../../scan/inputs/live-scope';
import { readerPolicy, scannerPolicy } from '../../scan/inputs/live-reader-policy';
import { runScan, type ScanOptions } from '../../scan/run';
import { startPrivateMoto, type PrivateMoto } from '../harness/private-moto';
import { tempDir } from '../unit/scan/scan-harness';

/*
 * `ward scan` across accounts against a moto server of this file's own, with moto's IAM authorization turned
 * on after the setup (/moto-api/reset-auth): every call the scan makes is checked against the policies of
 * docs/organizations.md (readerPolicy in each member's ward-reader role, scannerPolicy plus readerPolicy for
 * the identity that runs the scan), so a missing permission fails these tests.
 *
 * What moto lacks, and where that path is covered instead:
 * - account:ListRegions is not implemented (HTTP 500): `--region all` here takes the ec2:DescribeRegions
 *   fallback; ListRegions itself is covered by test/unit/scan/live-regions.test.ts on its recorded shape.
 * - SelectAggregateResourceConfig is not implemented: the aggregator test sees the "tags not read" path; the
 *   tags query is covered by test/unit/scan/live-aggregator.test.ts on a recorded real response.
 * - moto's aggregator holds only the aggregator account's own resources (it ignores source accounts) and
 *   lists one region per call (the Region filter, which the scan sends with --regions).
 * - moto's Config lists only S3, IAM and SNS types, and only SNS CIs deserialize in SDK v3 (moto.md): the
 *   resources judged here are SNS topics.
 */

const R1 = 'eu-west-1';
const R2 = 'ap-southeast-2';
const MANAGEMENT = '123456789012';
const ROLE = 'ward-reader';

let moto: PrivateMoto;
const members: string[] = [];
const topics = new Map<string, string[]>(); // account -> topic ARNs
let scanner: { accessKeyId: string; secretAccessKey: string };
const saved: Record<string, string | undefined> = {};

const base = (region: string) => ({
  region,
  endpoint: moto.endpoint,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  maxAttempts: 1,
});

beforeAll(async () => {
  moto = await startPrivateMoto();
  const orgs = new OrganizationsClient(base('us-east-1'));
  await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (const name of ['member-a', 'member-b', 'member-no-role']) {
    const out = await orgs.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
    members.push(out.CreateAccountStatus?.AccountId as string);
  }
  // Members a and b get the reader role and a topic in each region; the third has no role (it fails).
  const sts = new STSClient(base('us-east-1'));
  for (const account of members.slice(0, 2)) {
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'setup',
      }),
    );
    const c = assumed.Credentials;
    const credentials = {
      accessKeyId: c?.AccessKeyId as string,
      secretAccessKey: c?.SecretAccessKey as string,
      sessionToken: c?.SessionToken,
    };
    const iam = new IAMClient({ ...base('us-east-1'), credentials });
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE,
        PolicyName: 'reader',
        PolicyDocument: JSON.stringify(readerPolicy(registry)),
      }),
    );
    // --to securityhub imports each member's findings through its role (docs/reports.md lists the actions).
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE,
        PolicyName: 'hub',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['securityhub:BatchImportFindings', 'securityhub:GetFindings'],
              Resource: '*',
            },
          ],
        }),
      }),
    );
    await new SecurityHubClient({ ...base(R1), credentials }).send(new EnableSecurityHubCommand({}));
    const arns: string[] = [];
    for (const region of [R1, R2]) {
      const sns = new SNSClient({ ...base(region), credentials });
      arns.push((await sns.send(new CreateTopicCommand({ Name: `t-${account}-${region}` }))).TopicArn as string);
    }
    topics.set(account, arns);
  }
  // The management account: the scanning user, a topic per region and an aggregator over its regions.
  const arns: string[] = [];
  for (const region of [R1, R2]) {
    arns.push(
      (await new SNSClient(base(region)).send(new CreateTopicCommand({ Name: `t-mgmt-${region}` }))).TopicArn as string,
    );
  }
  topics.set(MANAGEMENT, arns);
  await new ConfigServiceClient(base(R1)).send(
    new PutConfigurationAggregatorCommand({
      ConfigurationAggregatorName: 'org',
      AccountAggregationSources: [{ AccountIds: [MANAGEMENT], AllAwsRegions: true }],
    }),
  );
  const iam = new IAMClient(base('us-east-1'));
  await iam.send(new CreateUserCommand({ UserName: 'ward-scanner' }));
  const policy = scannerPolicy(ROLE);
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'ward-scanner',
      PolicyName: 'scanner',
      PolicyDocument: JSON.stringify({
        ...policy,
        Statement: [...policy.Statement, ...readerPolicy(registry).Statement],
      }),
    }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ward-scanner' }))).AccessKey;
  scanner = { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string };
  // From here on, moto checks every request against IAM.
  await moto.enforceIam(0);
  for (const k of [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_MAX_ATTEMPTS',
    'AWS_REGION',
  ]) {
    saved[k] = process.env[k];
  }
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_ACCESS_KEY_ID = scanner.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = scanner.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  process.env.AWS_MAX_ATTEMPTS = '1';
}, 120_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await moto?.stop();
});

interface JsonReport {
  summary: {
    errors: string[];
    warnings: string[];
    notJudged: { count: number; entries: { kind: string; subject: string; problem: string }[] };
    scope?: ScopeRow[];
    skippedRules: { rule: string }[];
  };
  evaluations: {
    rule: string;
    resourceId: string;
    compliance: string;
    annotation: string;
    accountId: string;
    region: string;
  }[];
}

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'scan-report.schema.json'), 'utf8'));

async function run(
  inputs: string[],
  options: ScanOptions,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runScan(inputs, options, {
    stdin: Readable.from([]),
    stdout,
    stderr,
    env: { AWS_REGION: R1 },
    ...(cwd ? { cwd } : {}),
  });
  return { code, stdout: out, stderr: err };
}

async function scan(options: ScanOptions): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runScan(
    [],
    { format: 'json', ...options },
    {
      stdin: Readable.from([]),
      stdout,
      stderr,
      env: { AWS_REGION: R1 },
    },
  );
  return { code, report: JSON.parse(out) as JsonReport, stderr: err };
}

const topicEvaluations = (r: JsonReport) =>
  r.evaluations
    .filter((e) => e.resourceId.startsWith('arn:aws:sns:'))
    .map((e) => [e.accountId, e.region, e.resourceId, e.compliance])
    .sort();

const expected = (accounts: string[]) =>
  accounts.flatMap((a) => (topics.get(a) ?? []).map((arn) => [a, arn.split(':')[3], arn, 'NON_COMPLIANT'])).sort();

const authFailure = /AccessDenied|not authorized|InvalidClientTokenId|UnrecognizedClient/i;

describe('ward scan across an organization (moto, IAM enforced)', () => {
  it('scans every active account of the organization through the reader role in two regions, and exits 2 for the account it cannot read', async () => {
    const { code, report } = await scan({
      org: true,
      roleName: ROLE,
      region: `${R1},${R2}`,
      rules: 'encrypted-at-rest',
    });
    expect(topicEvaluations(report)).toEqual(expected([MANAGEMENT, members[0], members[1]]));
    const failing = members[2];
    // moto's AssumeRole does not check that the role exists (AWS refuses it, see live-org.test.ts): here the
    // account fails on its first reads, every one denied, which is reported per region and type.
    expect(report.summary.errors.length).toBeGreaterThan(0);
    expect(report.summary.errors.filter((e) => !e.startsWith(`${failing} `))).toEqual([]);
    const scope = report.summary.scope ?? [];
    for (const region of [R1, R2]) {
      expect(scope.find((r) => r.accountId === failing && r.region === region)).toMatchObject({
        status: 'incomplete',
      });
    }
    // What its periodic part could not read is judged NON_COMPLIANT (fail closed), never COMPLIANT.
    const ofFailing = report.evaluations.filter((e) => e.accountId === failing);
    expect(ofFailing.every((e) => e.compliance === 'NON_COMPLIANT')).toBe(true);
    for (const account of [MANAGEMENT, members[0], members[1]]) {
      for (const region of [R1, R2]) {
        expect(scope.find((r) => r.accountId === account && r.region === region)).toMatchObject({
          status: 'scanned',
          nonCompliant: expect.any(Number),
        });
      }
    }
    // The failing account is work not done, in the summary's not-judged list; the report is the published schema.
    expect(report.summary.notJudged.count).toBeGreaterThan(0);
    // Regions and types it could not read, and resources its rules could not judge: each names the account.
    for (const n of report.summary.notJudged.entries) {
      if (n.kind === 'scope') expect(n.problem.startsWith(`${failing} `)).toBe(true);
      else expect(n.subject).toMatch(new RegExp(`^encrypted-at-rest ${failing} (${R1}|${R2}) `));
    }
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(code).toBe(2);
  }, 120_000);

  it('writes SARIF for two member accounts in two regions: each result points at its own account and region in the saved snapshot', async () => {
    const dir = tempDir();
    const arns = members.slice(0, 2).map((a) => `arn:aws:iam::${a}:role/${ROLE}`);
    const r = await run(
      [],
      {
        roleArn: arns.join(','),
        region: `${R1},${R2}`,
        rules: 'encrypted-at-rest',
        format: 'sarif',
        output: join(dir, 'org.sarif'),
        saveSnapshot: join(dir, 'org.snapshot.json'),
      },
      dir,
    );
    expect(r.code).toBe(0);
    const log = JSON.parse(readFileSync(join(dir, 'org.sarif'), 'utf8'));
    const lines = readFileSync(join(dir, 'org.snapshot.json'), 'utf8').split('\n');
    type Result = {
      properties: { resourceId: string; accountId: string; region: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    };
    const results = (log.runs[0].results as Result[]).filter((x) => x.properties.resourceId.startsWith('arn:aws:sns:'));
    expect(results.map((x) => [x.properties.accountId, x.properties.region, x.properties.resourceId]).sort()).toEqual(
      expected(members.slice(0, 2)).map(([a, region, arn]) => [a, region, arn]),
    );
    for (const x of results) {
      const at = x.locations[0].physicalLocation;
      expect(at.artifactLocation.uri).toBe('org.snapshot.json');
      expect(JSON.parse(lines[at.region.startLine - 1].replace(/,$/, ''))).toMatchObject({
        resourceId: x.properties.resourceId,
        awsAccountId: x.properties.accountId,
        awsRegion: x.properties.region,
      });
    }
    expect(log.runs[0].automationDetails.id).toBe(`ward/${[...members.slice(0, 2)].sort().join('+')}/`);
    // The saved snapshot holds every account's items: read offline, each keeps its account and region.
    const offline = await run([join(dir, 'org.snapshot.json')], { format: 'json', rules: 'encrypted-at-rest' }, dir);
    expect(topicEvaluations(JSON.parse(offline.stdout) as JsonReport)).toEqual(expected(members.slice(0, 2)));
  }, 120_000);

  it('scans the accounts given by role ARN with --region all: every enabled region, disabled ones noted', async () => {
    const arns = members.slice(0, 2).map((a) => `arn:aws:iam::${a}:role/${ROLE}`);
    const { code, report } = await scan({
      roleArn: arns.join(','),
      region: 'all',
      rules: 'encrypted-at-rest',
      concurrency: '16',
    });
    expect(report.summary.errors).toEqual([]);
    expect(topicEvaluations(report)).toEqual(expected(members.slice(0, 2)));
    // moto's ec2:DescribeRegions marks opt-in regions not-opted-in (account:ListRegions is missing in moto).
    expect(report.summary.warnings).toEqual(
      expect.arrayContaining([`account ${members[0]} me-south-1: region not enabled (not-opted-in); skipped`]),
    );
    const scanned = (report.summary.scope ?? []).filter((r) => r.accountId === members[0] && r.status === 'scanned');
    expect(scanned.map((r) => r.region)).toEqual(expect.arrayContaining([R1, R2, 'us-east-1']));
    expect(scanned.map((r) => r.region)).not.toContain('me-south-1');
    expect(code).toBe(0);
  }, 180_000);

  it('reads an aggregator in two regions; tags it cannot read are said so in the annotation, never taken as absent', async () => {
    const dir = tempDir();
    writeFileSync(`${dir}/params.json`, JSON.stringify({ 'encrypted-at-rest': { exemptTag: 'ward:exempt' } }));
    const { code, report } = await scan({
      aggregator: 'org',
      regions: `${R1},${R2}`,
      rules: 'encrypted-at-rest',
      params: `${dir}/params.json`,
    });
    expect(report.summary.errors).toEqual([]);
    expect(topicEvaluations(report)).toEqual(expected([MANAGEMENT]));
    for (const e of report.evaluations.filter((x) => x.compliance === 'NON_COMPLIANT')) {
      expect(e.annotation).toContain('The exemptTag ward:exempt was not checked');
    }
    expect(report.summary.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SelectAggregateResourceConfig failed [\s\S]*tags were not read/),
        expect.stringMatching(/^encrypted-at-rest: judged from the aggregator's configuration items only/),
      ]),
    );
    expect(code).toBe(0);
  }, 120_000);

  it("imports each member account's findings into its own Security Hub through its role (--to securityhub)", async () => {
    const arns = members.slice(0, 2).map((a) => `arn:aws:iam::${a}:role/${ROLE}`);
    const r = await run([], {
      roleArn: arns.join(','),
      region: R1,
      rules: 'encrypted-at-rest',
      format: 'json',
      to: 'securityhub',
    });
    expect(r.stderr).toMatch(/Security Hub: \d+ findings imported/);
    expect(r.stderr).not.toMatch(/not imported|failed [^0]/);
    expect(r.code).toBe(0);
    for (const account of members.slice(0, 2)) {
      // Read back as the scan would: the scanner assumes the member's reader role (IAM is enforced now).
      const c = (
        await new STSClient({ region: R1, endpoint: moto.endpoint, credentials: scanner }).send(
          new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE}`, RoleSessionName: 'check' }),
        )
      ).Credentials;
      const hub = new SecurityHubClient({
        region: R1,
        endpoint: moto.endpoint,
        credentials: {
          accessKeyId: c?.AccessKeyId as string,
          secretAccessKey: c?.SecretAccessKey as string,
          sessionToken: c?.SessionToken,
        },
      });
      const found = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
      const mine = (topics.get(account) ?? []).filter((t) => t.split(':')[3] === R1);
      expect(found.map((f) => f.AwsAccountId)).toEqual(found.map(() => account));
      expect(found.flatMap((f) => (f.Resources ?? []).map((x) => x.Id))).toEqual(expect.arrayContaining(mine));
    }
  }, 120_000);

  it('the reader policy of docs/organizations.md is enough for every rule: no call is denied', async () => {
    const { report } = await scan({ roleArn: `arn:aws:iam::${members[0]}:role/${ROLE}`, region: R1 });
    // Other errors are moto's missing operations; none may be an authorization failure.
    expect(report.summary.errors.filter((e) => authFailure.test(e))).toEqual([]);
    expect(report.summary.skippedRules).toEqual([]);
    expect(topicEvaluations(report).length).toBeGreaterThan(0);
  }, 180_000);
});
