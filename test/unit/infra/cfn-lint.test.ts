import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectedPackFiles } from '../../../infra/packs/files';
import { projectRoot } from '../../../infra/paths';
import { rules } from '../../../rules';
import { allStacks, GLOBAL_REGION, MEMBERS, ORG_ID, OU, REGION, synthApp } from './app-fixture';

/** cfn-lint from the project's .venv (scripts/test.sh installs it), else from PATH. */
function findCfnLint(): string | undefined {
  const local = join(projectRoot(), '.venv', 'bin', 'cfn-lint');
  if (existsSync(local)) return local;
  const which = spawnSync('which', ['cfn-lint'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

const cfnLint = findCfnLint();
if (!cfnLint)
  // Loud on purpose: a missing linter must not look like a pass.
  console.warn('*** cfn-lint not found (.venv/bin or PATH): SKIPPING cfn-lint of the templates and packs ***');
const maybe = cfnLint ? it : it.skip;

describe('cfn-lint', () => {
  maybe('passes on every synthesized template (all modes), the member-role StackSet template and every pack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-cfn-lint-'));
    const files: string[] = [];
    const write = (name: string, body: string) => {
      const file = join(dir, name);
      writeFileSync(file, body);
      files.push(file);
    };
    const configs: Record<string, unknown>[] = [
      {
        mode: 'rules',
        recorder: { create: true, createServiceLinkedRole: true },
        regions: [REGION, GLOBAL_REGION],
        hook: { enabled: true },
      },
      { mode: 'pack', regions: [REGION, GLOBAL_REGION], responder: { enabled: false } },
      {
        mode: 'organization',
        regions: [GLOBAL_REGION],
        organization: { organizationId: ORG_ID, targetOrganizationalUnitIds: [OU], memberAccountIds: MEMBERS },
      },
    ];
    for (const raw of configs) {
      const { stacks } = synthApp(raw);
      for (const stack of allStacks(stacks) as Stack[]) {
        const template = Template.fromStack(stack).toJSON();
        write(`${raw.mode}-${stack.stackName}.json`, JSON.stringify(template));
        for (const [id, r] of Object.entries(
          template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
        )) {
          if (r.Type === 'AWS::CloudFormation::StackSet')
            write(`${stack.stackName}-${id}-stackset.json`, String(r.Properties.TemplateBody));
          if (r.Type.endsWith('ConformancePack'))
            write(`${stack.stackName}-${id}-pack.yaml`, String(r.Properties.TemplateBody));
        }
      }
    }
    for (const [file, text] of expectedPackFiles(rules)) write(`committed-${file}`, text);

    // W3005 (redundant DependsOn) is CDK's own ordering of a Lambda after its role's policy: not ours to drop.
    const args = ['--format', 'parseable', '--ignore-checks', 'W3005', '--', ...files];
    const result = spawnSync(cfnLint as string, args, { encoding: 'utf8' });
    // Exit code bits: 2 errors, 4 warnings, 8 informational. Errors and warnings both fail.
    expect({ status: result.status, output: `${result.stdout}${result.stderr}`.trim() }).toEqual({
      status: 0,
      output: '',
    });
    expect(files.filter((f) => f.endsWith('-pack.yaml')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('-stackset.json')).length).toBe(1);
    // The hook stack (AWS::CloudFormation::LambdaHook, its function and roles) is among the linted templates.
    const hook = files.filter((f) => /rules-WardHook-/.test(f));
    expect(hook.length).toBeGreaterThan(0);
    expect(hook.some((f) => readFileSync(f, 'utf8').includes('AWS::CloudFormation::LambdaHook'))).toBe(true);
  });
});
