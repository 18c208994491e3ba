import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runCli } from '../../../bin/cli';
import { bundleLambda } from '../../../infra/bundling';
import { runCdk } from '../../../infra/cli/run-cdk';
import { ResponderStack, responderEntry } from '../../../infra/responder-stack';
import {
  deploymentSuppressions,
  packageSuppressions,
  suppressionsFileFor,
} from '../../../infra/responder-suppressions';
import { loadResponderSuppressions } from '../../../responder/suppressions';
import { rules } from '../../../rules';
import { tempDir } from '../scan/scan-harness';

const entry = { rule: 'no-public-principals', resource: 'arn:aws:s3:::site-*', reason: 'public website' };
const enabled = { responder: { enabled: true } } as const;

function dirWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('which suppressions file a deployment carries to the responder', () => {
  it('takes --suppressions, else the file ward.config.json names (beside it), else ward.suppressions.* here', () => {
    const dir = dirWith({ 'ward.suppressions.yaml': 'suppressions: []\n' });
    expect(suppressionsFileFor({ explicit: 'x.json', configured: 'y.json', cwd: dir })).toBe(join(dir, 'x.json'));
    expect(suppressionsFileFor({ configured: 'y.json', configFile: '/etc/ward/ward.config.json', cwd: dir })).toBe(
      '/etc/ward/y.json',
    );
    expect(suppressionsFileFor({ cwd: dir })).toBe(join(dir, 'ward.suppressions.yaml'));
    expect(suppressionsFileFor({ cwd: tempDir() })).toBeUndefined();
  });

  it('validates the file as ward scan does and gives the responder the same entries', () => {
    const dir = dirWith({
      'ward.suppressions.yaml':
        'suppressions:\n  - rule: no-public-principals\n    resource: "arn:aws:s3:::site-*"\n    reason: public website\n',
    });
    expect(deploymentSuppressions(enabled, rules, {}, dir)).toEqual({
      file: join(dir, 'ward.suppressions.yaml'),
      entries: [entry],
    });
    expect(deploymentSuppressions({ responder: { enabled: false } }, rules, {}, dir)).toBeUndefined();
  });

  it.each([
    ['an entry without a reason', { suppressions: [{ rule: 'no-public-principals', resource: '*' }] }, /reason/],
    ['an unknown rule', { suppressions: [{ ...entry, rule: 'no-such-rule' }] }, /unknown rule no-such-rule/],
    ['an expiry that is no date', { suppressions: [{ ...entry, expires: '2027-02-31' }] }, /not a real date/],
  ])('refuses %s with one line naming the file', (_what, doc, problem) => {
    const dir = dirWith({ 'bad.json': JSON.stringify(doc) });
    const run = () => deploymentSuppressions(enabled, rules, { WARD_SUPPRESSIONS: join(dir, 'bad.json') }, dir);
    expect(run).toThrow(problem);
    expect(run).toThrow(new RegExp(`^suppressions ${join(dir, 'bad.json')}: [^\\n]+$`));
  });

  it('ward synth --suppressions with an invalid file exits 2 with one line naming it, before CDK starts', async () => {
    const dir = dirWith({ 'bad.json': '{"suppressions": [' });
    const lines: string[] = [];
    const stderr = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await runCli(['node', 'ward', 'synth', '--suppressions', 'bad.json'], stderr)).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^ward: suppressions ${join(dir, 'bad.json')}: cannot read it.*\\n$`)),
    ]);
    expect(lines[0].trimEnd()).not.toContain('\n');
    expect(() => runCdk('diff', [], { suppressions: 'bad.json', cwd: dir, env: {} })).toThrow(/bad\.json/);
  });
});

describe('the suppressions packaged with the responder', () => {
  it('copies the bundle and writes the entries beside it in the ward.suppressions.json format', () => {
    const bundle = bundleLambda(responderEntry());
    const dir = packageSuppressions(bundle, [entry]);
    expect(readFileSync(join(dir, 'index.js'))).toEqual(readFileSync(join(bundle, 'index.js')));
    expect(loadResponderSuppressions({ WARD_SUPPRESSIONS_FILE: 'suppressions.json', LAMBDA_TASK_ROOT: dir })).toEqual({
      entries: [entry],
      file: join(dir, 'suppressions.json'),
    });
    expect(existsSync(join(bundle, 'suppressions.json'))).toBe(false);
  });

  it('names the packaged file in the environment only when the deployment has suppressions', () => {
    const env = (props: object) => {
      const stack = new ResponderStack(new App(), 'R', {
        env: { account: '123456789012', region: 'eu-west-1' },
        ...props,
      });
      const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      return Object.values(fns)[0].Properties.Environment.Variables as Record<string, unknown>;
    };
    expect(env({ suppressions: [entry] }).WARD_SUPPRESSIONS_FILE).toBe('suppressions.json');
    const plain = env({});
    expect(plain.WARD_SUPPRESSIONS_FILE).toBeUndefined();
    // Alerts of rules the responder bundle lacks take their severity from here: each rule's highest code.
    const severities = JSON.parse(plain.WARD_RULE_SEVERITIES as string) as Record<string, string>;
    expect(Object.keys(severities).sort()).toEqual(rules.map((r) => r.meta.id).sort());
    expect(severities['encrypted-at-rest']).toBe('high');
    // Lambda allows 4 KB of environment in all: the suppressions are packaged, so they never count here.
    const size = Object.entries(plain).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
    expect(size).toBeLessThan(4096);
  });
});

describe('the CDK app carries the configured suppressions to the responder', () => {
  const { main } = jest.requireActual('../../../infra/app') as typeof import('../../../infra/app');
  const config = (dir: string, suppressions: string) =>
    writeFileSync(
      join(dir, 'ward.config.json'),
      JSON.stringify({ account: '123456789012', regions: ['eu-west-1'], suppressions }),
    );

  it('packages the file ward.config.json names (relative to it) in the responder code asset', () => {
    const dir = dirWith({ 'supp.json': JSON.stringify({ suppressions: [entry] }) });
    config(dir, 'supp.json');
    const assembly = main({ WARD_CONFIG: join(dir, 'ward.config.json') }).synth();
    const stack = assembly.getStackByName('WardResponder-eu-west-1');
    interface Fn {
      Type: string;
      Properties: { Environment?: { Variables?: Record<string, string> }; Code: { S3Key: string } };
    }
    const fn = Object.values(stack.template.Resources as Record<string, Fn>).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.WARD_AUDIT_TABLE,
    );
    expect(fn?.Properties.Environment?.Variables?.WARD_SUPPRESSIONS_FILE).toBe('suppressions.json');
    const assetPath = fn?.Properties.Code.S3Key.replace(/\.zip$/, '');
    const asset = join(assembly.directory, `asset.${assetPath}`);
    expect(JSON.parse(readFileSync(join(asset, 'suppressions.json'), 'utf8'))).toEqual({ suppressions: [entry] });
  });

  it('refuses to synthesize with an invalid configured file, in one line naming it', () => {
    const dir = dirWith({ 'supp.json': JSON.stringify({ suppressions: [{ ...entry, reason: ' ' }] }) });
    config(dir, 'supp.json');
    expect(() => main({ WARD_CONFIG: join(dir, 'ward.config.json') })).toThrow(
      new RegExp(`^suppressions ${join(dir, 'supp.json')}: suppressions\\.0\\.reason: reason is required[^\\n]*$`),
    );
  });
});
