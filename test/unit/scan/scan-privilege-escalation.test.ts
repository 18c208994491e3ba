/**
 * `ward scan` on a snapshot with no-privilege-escalation: customer-managed policies, groups and passable roles
 * are found among the snapshot's own items (scan/inputs/snapshot-index.ts), never fetched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import type { AnyRule } from '../../../rules/runtime/types';
import { ACCOUNT, allow, apiForm, doc, group, policy, role, user } from '../rules/no-privilege-escalation.fixtures';
import { scan, snapshotOf, tempDir } from './scan-harness';

interface Report {
  evaluations: {
    rule: string;
    resourceType: string;
    resourceId: string;
    compliance: string;
    findings: { code: string; message: string }[];
  }[];
}

const BREAK_GLASS = policy('break-glass', doc(allow('*', '*')));
const OPS = role('ops', {
  attached: [{ policyName: 'break-glass', policyArn: `arn:aws:iam::${ACCOUNT}:policy/break-glass` }],
});
const DEVS = group('devs', {
  inline: [['self-admin', doc(allow('iam:AttachGroupPolicy', `arn:aws:iam::${ACCOUNT}:group/devs`))]],
});
const DEV = { ...user('dev'), configuration: { ...(user('dev').configuration as object), groupList: ['devs'] } };
const DEPLOYER = role('deployer', {
  inline: [
    [
      'deploy',
      doc(
        allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/ops`),
        allow(['lambda:CreateFunction', 'lambda:InvokeFunction'], '*'),
      ),
    ],
  ],
});
const LONELY = role('lonely', {
  attached: [{ policyName: 'missing', policyArn: `arn:aws:iam::${ACCOUNT}:policy/missing` }],
});

async function scanItems(items: unknown[]): Promise<{ code: number; report: Report }> {
  const file = join(tempDir(), 'snapshot.json');
  writeFileSync(file, snapshotOf(items));
  const r = await scan([file], { format: 'json', failOn: 'non-compliant' }, '', [noPrivilegeEscalation as AnyRule]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const verdict = (report: Report, name: string) => {
  const e = report.evaluations.find(
    (x) =>
      x.resourceId.toLowerCase().startsWith(`aroa${name}`) ||
      x.resourceId.toLowerCase().startsWith(`aida${name}`) ||
      x.resourceId.toLowerCase().startsWith(`agpa${name}`) ||
      x.resourceId.toLowerCase().startsWith(`anpa${name}`),
  );
  if (!e) throw new Error(`no evaluation of ${name}`);
  return e;
};

describe('ward scan with no-privilege-escalation', () => {
  it('flags a role whose attached customer-managed policy in the same snapshot is admin, naming the policy', async () => {
    const { code, report } = await scanItems([OPS, BREAK_GLASS]);
    expect(code).toBe(1);
    const ops = verdict(report, 'ops');
    expect(ops.compliance).toBe('NON_COMPLIANT');
    expect(ops.findings.map((f) => f.code)).toEqual(['effective-admin']);
    expect(ops.findings[0]?.message).toContain('break-glass');
  });

  it('reads items in the API form too, in any order', async () => {
    const { report } = await scanItems([apiForm(BREAK_GLASS), apiForm(OPS)]);
    expect(verdict(report, 'ops').findings.map((f) => f.code)).toEqual(['effective-admin']);
  });

  it("judges a user with its group's policies from the group's item", async () => {
    const { report } = await scanItems([DEV, DEVS]);
    const dev = verdict(report, 'dev');
    expect(dev.findings.map((f) => f.code)).toEqual(['privilege-escalation-policy-edit']);
    expect(dev.findings[0]?.message).toContain('group "devs"');
  });

  it('flags PassRole to a named role that the snapshot shows is privileged', async () => {
    const { report } = await scanItems([DEPLOYER, OPS, BREAK_GLASS]);
    const deployer = verdict(report, 'deployer');
    expect(deployer.findings.map((f) => f.code)).toEqual(['privilege-escalation-passrole']);
    expect(deployer.findings[0]?.message).toContain(`arn:aws:iam::${ACCOUNT}:role/ops`);
    // Without the role's item the named role is not known to be privileged, so PassRole to it is defused.
    const alone = await scanItems([DEPLOYER]);
    expect(verdict(alone.report, 'deployer').compliance).toBe('COMPLIANT');
  });

  it('fails closed when an attached customer-managed policy is not in the snapshot', async () => {
    const { code, report } = await scanItems([LONELY]);
    expect(code).toBe(1);
    expect(verdict(report, 'lonely').findings.map((f) => f.code)).toEqual(['unresolved-policy']);
  });

  it("finds a user's group by name when its ARN has a path, among more groups than the parsed-item cache holds", async () => {
    // A group with a path (arn:...:group/team/devs) is not found at the ARN built from its name: its name finds it.
    const pathed = (g: Record<string, unknown>, id: string) => {
      const arn = `arn:aws:iam::${ACCOUNT}:group/team/${String((g.configuration as { groupName: string }).groupName)}`;
      return { ...g, resourceId: id, ARN: arn, configuration: { ...(g.configuration as object), path: '/team/', arn } };
    };
    const others = Array.from({ length: 700 }, (_, i) => pathed(group(`other${i}`), `AGPAOTHER${i}`));
    const devs = pathed(
      group('devs', {
        inline: [['self-admin', doc(allow('iam:AttachGroupPolicy', `arn:aws:iam::${ACCOUNT}:group/team/devs`))]],
      }),
      'AGPADEVSXXXXXXXXXXXXX',
    );
    for (const items of [
      [DEV, ...others, devs, OPS, BREAK_GLASS],
      [apiForm(DEV), ...others.map(apiForm), apiForm(devs), apiForm(OPS), apiForm(BREAK_GLASS)],
    ]) {
      const { report } = await scanItems(items);
      const dev = verdict(report, 'dev');
      expect(dev.findings.map((f) => f.code)).toEqual(['privilege-escalation-policy-edit']);
      expect(dev.findings[0]?.message).toContain('group "devs"');
      // The role whose attached customer-managed policy is admin is still found through the index.
      expect(verdict(report, 'ops').findings.map((f) => f.code)).toEqual(['effective-admin']);
    }
  });

  it('fails closed on a user whose group the snapshot does not hold', async () => {
    const { code, report } = await scanItems([DEV]);
    expect(code).toBe(1);
    const dev = verdict(report, 'dev');
    expect(dev.compliance).toBe('NON_COMPLIANT');
    expect(dev.findings.map((f) => f.code)).toEqual(['unresolved-policy']);
    expect(dev.findings[0]?.message).toContain('no AWS::IAM::Group item');
  });

  it('reports a group item with a wrong-typed field unreadable, and its member unresolved naming the field', async () => {
    const broken = { ...DEVS, configuration: { ...(DEVS.configuration as object), groupPolicyList: { p: 1 } } };
    for (const items of [
      [DEV, broken],
      [apiForm(DEV), apiForm(broken)],
    ]) {
      const { code, report } = await scanItems(items);
      expect(code).toBe(2);
      const devs = verdict(report, 'devs');
      expect(devs.findings.map((f) => [f.code, (f as { path?: string }).path])).toEqual([
        ['unreadable-configuration', 'configuration.groupPolicyList'],
      ]);
      const dev = verdict(report, 'dev');
      expect(dev.compliance).toBe('NON_COMPLIANT');
      expect(dev.findings.map((f) => f.code)).toEqual(['unresolved-policy']);
      expect(dev.findings[0]?.message).toContain('configuration.groupPolicyList');
    }
  });
});
