/**
 * No role in any stack can change or delete the responder's audit records: across every stack of the app (rules,
 * responder, ops, recorder, organization), with every rule in auto (the most the responder can ever hold), no
 * Allow statement reaches a tampering action on the audit table unless the same stack denies it there; and the
 * table's own resource policy denies them to every principal.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AUDIT_TABLE_CHANGES, AUDIT_TAMPER_ACTIONS } from '../../../infra/responder-tables';
import { allStacks, GLOBAL_REGION, REGION, synthApp } from './app-fixture';

interface Statement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: unknown;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : ([] as T[]).concat(v));

/** True when an IAM action pattern (with * and ?) matches an action. */
const covers = (pattern: string, action: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(action);

/** Every identity-policy statement of a template (inline role policies, policies, managed policies). */
function statements(template: Template): Statement[] {
  const docs: { Statement: Statement[] }[] = [];
  for (const r of Object.values(template.findResources('AWS::IAM::Policy'))) docs.push(r.Properties.PolicyDocument);
  for (const r of Object.values(template.findResources('AWS::IAM::ManagedPolicy')))
    docs.push(r.Properties.PolicyDocument);
  for (const r of Object.values(template.findResources('AWS::IAM::Role')))
    for (const p of r.Properties.Policies ?? []) docs.push(p.PolicyDocument);
  return docs.flatMap((d) => d.Statement);
}

/** True when a statement's resources may include the audit table (a bare *, a table/* pattern, or the table). */
const mayReachAudit = (s: Statement) =>
  list(s.Resource).some((r) => {
    const text = JSON.stringify(r);
    // ARNs built with Fn::Join keep their pieces apart: ":dynamodb:", region, account, ":table/*".
    return r === '*' || text.includes('AuditLog') || (text.includes('dynamodb') && /table\/\*|:\*"/.test(text));
  });

const TAMPER = [...AUDIT_TAMPER_ACTIONS, ...AUDIT_TABLE_CHANGES];

describe('the audit records', () => {
  const { stacks } = synthApp({
    mode: 'rules',
    regions: [REGION, GLOBAL_REGION],
    recorder: { create: true, createServiceLinkedRole: true },
    responder: { defaultMode: 'auto', remediationKeyArn: `arn:aws:kms:${REGION}:123456789012:key/abcd` },
  });
  const templates = allStacks(stacks).map((s) => ({ name: s.stackName, template: Template.fromStack(s) }));

  it('cannot be changed or deleted by any role of any stack', () => {
    expect(templates.some((t) => t.name.includes('Responder'))).toBe(true);
    const reaching: string[] = [];
    for (const { name, template } of templates) {
      const all = statements(template);
      const denied = (action: string) =>
        all.some(
          (s) =>
            s.Effect === 'Deny' &&
            list(s.Action).some((p) => covers(p, action)) &&
            list(s.Resource).some((r) => JSON.stringify(r).includes('AuditLog')),
        );
      for (const s of all) {
        if (s.Effect !== 'Allow' || !mayReachAudit(s)) continue;
        if (s.NotAction) reaching.push(`${name}: NotAction statement ${JSON.stringify(s.NotAction)}`);
        for (const action of TAMPER)
          if (list(s.Action).some((p) => covers(p, action)) && !denied(action))
            reaching.push(`${name}: ${action} on ${JSON.stringify(s.Resource)}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it('is denied every change and delete by the table itself, whoever asks', () => {
    const responder = templates.find((t) => t.name.startsWith('WardResponder'));
    const tables = Object.values(responder?.template.findResources('AWS::DynamoDB::GlobalTable') ?? {});
    const audit = tables.find((t) => t.Properties.KeySchema.length === 2);
    const deny = audit?.Properties.Replicas[0].ResourcePolicy.PolicyDocument.Statement[0];
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(deny.Action).toEqual(
      expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']),
    );
  });
});
