/**
 * no-privilege-escalation, one row per escalation method: an escalating variant (the method's actions on every
 * resource) and a defused variant (the actions that can defuse it on one named resource), each judged on a role
 * in the event form and in the API form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESCALATION_METHODS, scopeOf } from '../../../rules/no-privilege-escalation/methods';
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import { ACCOUNT, allow, apiForm, codes, doc, methodIds, role, run } from './no-privilege-escalation.fixtures';

const EXPECTED: readonly (readonly [string, string])[] = [
  ['create-policy-version', 'privilege-escalation-policy-edit'],
  ['set-default-policy-version', 'privilege-escalation-policy-edit'],
  ['attach-user-policy', 'privilege-escalation-policy-edit'],
  ['attach-group-policy', 'privilege-escalation-policy-edit'],
  ['attach-role-policy', 'privilege-escalation-policy-edit'],
  ['put-user-policy', 'privilege-escalation-policy-edit'],
  ['put-group-policy', 'privilege-escalation-policy-edit'],
  ['put-role-policy', 'privilege-escalation-policy-edit'],
  ['add-user-to-group', 'privilege-escalation-policy-edit'],
  ['create-access-key', 'privilege-escalation-credentials'],
  ['create-login-profile', 'privilege-escalation-credentials'],
  ['update-login-profile', 'privilege-escalation-credentials'],
  ['update-assume-role-policy', 'privilege-escalation-trust-edit'],
  ['passrole-ec2', 'privilege-escalation-passrole'],
  ['passrole-lambda-invoke', 'privilege-escalation-passrole'],
  ['passrole-lambda-event-source', 'privilege-escalation-passrole'],
  ['passrole-glue-dev-endpoint', 'privilege-escalation-passrole'],
  ['passrole-cloudformation', 'privilege-escalation-passrole'],
  ['passrole-datapipeline', 'privilege-escalation-passrole'],
  ['update-glue-dev-endpoint', 'privilege-escalation-code-edit'],
  ['update-lambda-code', 'privilege-escalation-code-edit'],
  ['passrole-lambda-add-permission', 'privilege-escalation-passrole'],
  ['passrole-apprunner', 'privilege-escalation-passrole'],
  ['passrole-bedrock-code-interpreter', 'privilege-escalation-passrole'],
  ['passrole-cloudformation-stackset', 'privilege-escalation-passrole'],
  ['passrole-cloudformation-update-stackset', 'privilege-escalation-passrole'],
  ['passrole-codebuild', 'privilege-escalation-passrole'],
  ['passrole-codebuild-batch', 'privilege-escalation-passrole'],
  ['passrole-ec2-spot', 'privilege-escalation-passrole'],
  ['passrole-ecs-service', 'privilege-escalation-passrole'],
  ['passrole-ecs-run-task', 'privilege-escalation-passrole'],
  ['passrole-ecs-start-task', 'privilege-escalation-passrole'],
  ['passrole-glue-job', 'privilege-escalation-passrole'],
  ['passrole-glue-job-trigger', 'privilege-escalation-passrole'],
  ['passrole-glue-update-job', 'privilege-escalation-passrole'],
  ['passrole-glue-update-job-trigger', 'privilege-escalation-passrole'],
  ['passrole-sagemaker-notebook', 'privilege-escalation-passrole'],
  ['passrole-sagemaker-training', 'privilege-escalation-passrole'],
  ['passrole-sagemaker-processing', 'privilege-escalation-passrole'],
  ['cloudformation-change-set', 'privilege-escalation-code-edit'],
  ['ec2-user-data', 'privilege-escalation-code-edit'],
  ['ec2-launch-template', 'privilege-escalation-code-edit'],
  ['ec2-instance-connect', 'privilege-escalation-code-edit'],
  ['ecs-execute-command', 'privilege-escalation-code-edit'],
  ['sagemaker-presigned-url', 'privilege-escalation-code-edit'],
  ['sagemaker-lifecycle-config', 'privilege-escalation-code-edit'],
  ['bedrock-code-interpreter-session', 'privilege-escalation-code-edit'],
];

/** One named resource of another principal: never the role under test, never privileged. */
const NAMED = `arn:aws:iam::${ACCOUNT}:role/some-other-role`;

const byId = new Map(ESCALATION_METHODS.map((m) => [m.id, m]));
const forms = (item: Record<string, unknown>) =>
  [
    ['event form', item],
    ['API form', apiForm(item)],
  ] as const;

describe('the escalation method table', () => {
  it('has one expected row per method, and every method has an action that can defuse it', () => {
    expect(EXPECTED.map(([id]) => id).sort()).toEqual(ESCALATION_METHODS.map((m) => m.id).sort());
    const undefusable = ESCALATION_METHODS.filter((m) => m.actions.every((a) => scopeOf(a) === 'any'));
    expect(undefusable).toEqual([]);
  });
});

describe('the rule README', () => {
  const readme = readFileSync(
    join(__dirname, '..', '..', '..', 'rules', 'no-privilege-escalation', 'README.md'),
    'utf8',
  );

  it.each(ESCALATION_METHODS.map((m) => [m.id, m] as const))('lists method %s with its reference', (id, m) => {
    const row = readme.split('\n').find((l) => new RegExp(`^\\|\\s*\`${id}\`\\s*\\|`).test(l));
    expect(row).toContain(m.reference);
    expect(row).toContain(m.name);
  });

  it.each(Object.keys(noPrivilegeEscalation.meta.findingCodes).map((c) => [c]))('documents finding code %s', (code) => {
    expect(readme).toContain(`| \`${code}\``);
  });
});

describe.each(EXPECTED)('method %s', (id, code) => {
  const method = byId.get(id);
  if (!method) throw new Error(`no method ${id}`);

  it.each(forms(role('escalator', { inline: [['escalate', doc(allow([...method.actions], '*'))]] })))(
    `is flagged as ${code} when its actions are allowed on every resource (%s)`,
    (_form, item) => {
      const e = run(item);
      expect(e.compliance).toBe('NON_COMPLIANT');
      expect(methodIds(e)).toContain(id);
      const f = e.findings.find((x) => x.message.includes(`[${id}]`));
      expect(f?.code).toBe(code);
      expect(f?.path).toBe('configuration.rolePolicyList[0].policyDocument');
    },
  );

  const scoped = method.actions.filter((a) => scopeOf(a) !== 'any');
  const rest = method.actions.filter((a) => scopeOf(a) === 'any');
  const defused = doc(allow(scoped, NAMED), ...(rest.length > 0 ? [allow(rest, '*')] : []));

  it.each(forms(role('delegate', { inline: [['scoped', defused]] })))(
    `is defused when ${scoped.join(', ')} is allowed on one named resource only (%s)`,
    (_form, item) => {
      expect(methodIds(run(item))).not.toContain(id);
    },
  );

  it(`is defused by an unconditional Deny of ${scoped[0]} on every resource`, () => {
    const item = role('denied', {
      inline: [
        ['escalate', doc(allow([...method.actions], '*'), { Effect: 'Deny', Action: scoped[0], Resource: '*' })],
      ],
    });
    expect(methodIds(run(item))).not.toContain(id);
  });

  it('is flagged through Allow NotAction that does not exclude its actions', () => {
    const item = role('broad', {
      inline: [['broad', doc({ Effect: 'Allow', NotAction: 'organizations:*', Resource: '*' })]],
    });
    const e = run(item);
    expect(codes(e)).toContain(code);
    expect(methodIds(e)).toContain(id);
  });
});
