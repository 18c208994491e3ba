import { GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import { gatherManagedPolicies, type PolicyReader } from '../../../rules/no-wildcard-actions/gather';
import { noWildcardActions } from '../../../rules/no-wildcard-actions/rule';
import {
  type ConfigurationItem,
  evaluateItem,
  normalizeConfigurationItem,
  parseRuleParameters,
  type ResourceLookup,
  type RuleContext,
} from '../../../rules/runtime';
import { createLogger } from '../../../rules/runtime/logger';
import { allow, deepFreeze, doc, policy, rfc3986, role } from './no-wildcard-actions.fixtures';

const NEW_ARN = 'arn:aws:iam::aws:policy/BrandNewPolicy';
const NEW = { policyName: 'BrandNewPolicy', policyArn: NEW_ARN };
const ADMIN = { policyName: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
const CUSTOMER = { policyName: 'Admins', policyArn: 'arn:aws:iam::111122223333:policy/Admins' };

const item = (raw: Record<string, unknown>) => normalizeConfigurationItem(deepFreeze(raw));
const params = parseRuleParameters(noWildcardActions.meta.parameters, {}, noWildcardActions.meta.id);

function silentLogger() {
  // The fail-closed test makes the engine log an error on purpose; keep the test output clean.
  const previous = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'silent';
  try {
    return createLogger();
  } finally {
    if (previous === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = previous;
  }
}

/** A fake IAM client answering GetPolicy/GetPolicyVersion from a table, recording the calls. */
function fakeIam(documents: Record<string, string>, fail?: Error): PolicyReader & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async send(command) {
      if (fail) throw fail;
      if (command instanceof GetPolicyCommand) {
        const arn = command.input.PolicyArn ?? '';
        calls.push(`GetPolicy ${arn}`);
        if (!(arn in documents)) throw Object.assign(new Error('not found'), { name: 'NoSuchEntityException' });
        return { Policy: { Arn: arn, DefaultVersionId: 'v4' } };
      }
      if (command instanceof GetPolicyVersionCommand) {
        calls.push(`GetPolicyVersion ${command.input.PolicyArn} ${command.input.VersionId}`);
        return { PolicyVersion: { Document: documents[command.input.PolicyArn ?? ''], VersionId: 'v4' } };
      }
      throw new Error('unexpected command');
    },
  };
}

function context(options: { offline: boolean; iam?: PolicyReader; resources?: ResourceLookup }): RuleContext {
  return {
    mode: options.offline ? 'snapshot' : 'lambda',
    accountId: '111122223333',
    region: 'us-east-1',
    logger: silentLogger(),
    offline: options.offline,
    client: <T>() => {
      if (!options.iam) throw new Error('no client in this test');
      return options.iam as T;
    },
    keys: { describe: async () => undefined },
    resources: options.resources,
    invokedAt: new Date('2026-11-23T00:00:00Z'),
  };
}

describe('gather of no-wildcard-actions', () => {
  it('fetches only attached AWS-managed policies missing from the catalogue, through iam:GetPolicy/GetPolicyVersion', async () => {
    const iam = fakeIam({ [NEW_ARN]: rfc3986(doc(allow('*'))) });
    const facts = await gatherManagedPolicies(
      item(role('r', { attached: [ADMIN, CUSTOMER, NEW, NEW] })),
      context({ offline: false }),
      [],
      iam,
    );
    expect(iam.calls).toEqual([`GetPolicy ${NEW_ARN}`, `GetPolicyVersion ${NEW_ARN} v4`]);
    expect(facts).toEqual({
      fetched: { [NEW_ARN]: { document: rfc3986(doc(allow('*'))), versionId: 'v4', source: 'iam' } },
      unchecked: {},
    });
  });

  it('does not fetch exempt policies, nor anything for a managed policy item', async () => {
    const iam = fakeIam({});
    await gatherManagedPolicies(item(role('r', { attached: [NEW] })), context({ offline: false }), [NEW_ARN], iam);
    await gatherManagedPolicies(item(policy('p', doc(allow('*')))), context({ offline: false }), [], iam);
    expect(iam.calls).toEqual([]);
  });

  it('records a policy IAM says does not exist as unchecked', async () => {
    const facts = await gatherManagedPolicies(
      item(role('r', { attached: [NEW] })),
      context({ offline: false }),
      [],
      fakeIam({}),
    );
    expect(facts.unchecked).toEqual({ [NEW_ARN]: 'IAM says it does not exist' });
  });

  it('fails closed when IAM refuses: the resource gets an evaluation error, not COMPLIANT', async () => {
    const denied = Object.assign(new Error('not authorized to perform iam:GetPolicy'), { name: 'AccessDenied' });
    const ctx = context({ offline: false, iam: fakeIam({}, denied) });
    const [e] = await evaluateItem(noWildcardActions, item(role('r', { attached: [NEW] })), params, ctx);
    expect(e.compliance).toBe('NON_COMPLIANT');
    expect(e.findings[0]?.code).toBe('evaluation-error');
    expect(e.annotation).toContain('iam:GetPolicy failed for arn:aws:iam::aws:policy/BrandNewPolicy');
  });

  it('uses the IAM client from the context in the Lambda and judges what it fetched', async () => {
    const iam = fakeIam({ [NEW_ARN]: JSON.stringify(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })) });
    const [e] = await evaluateItem(
      noWildcardActions,
      item(role('r', { attached: [NEW] })),
      params,
      context({ offline: false, iam }),
    );
    expect(e.findings.map((f) => f.code)).toEqual(['attached-admin-policy']);
  });

  it('offline, reads an unknown managed policy from the snapshot and states what it could not read', async () => {
    const other = 'arn:aws:iam::aws:policy/AnotherNewPolicy';
    const snapshotPolicy = item({
      ...policy('BrandNewPolicy', doc(allow('*'))),
      ARN: NEW_ARN,
    });
    const resources: ResourceLookup = {
      get: async () => undefined,
      findByArn: async (type: string, arn: string): Promise<ConfigurationItem | undefined> =>
        type === 'AWS::IAM::Policy' && arn === NEW_ARN ? snapshotPolicy : undefined,
    };
    const ctx = context({ offline: true, resources });
    const attached = [NEW, { policyName: 'AnotherNewPolicy', policyArn: other }];
    const facts = await gatherManagedPolicies(item(role('r', { attached })), ctx, []);
    expect(Object.keys(facts.fetched)).toEqual([NEW_ARN]);
    expect(facts.unchecked).toEqual({ [other]: expect.stringContaining('IAM is not read when scanning a snapshot') });

    const [e] = await evaluateItem(noWildcardActions, item(role('r', { attached })), params, ctx);
    expect(e.findings.map((f) => f.code)).toEqual(['attached-admin-policy']);
    const [clean] = await evaluateItem(noWildcardActions, item(role('r', { attached: [attached[1]] })), params, ctx);
    expect(clean.compliance).toBe('COMPLIANT');
    expect(clean.annotation).toMatch(/^Not checked: AnotherNewPolicy/);
  });

  it('declares the IAM permissions gather uses', () => {
    expect(noWildcardActions.meta.permissions).toEqual(['iam:GetPolicy', 'iam:GetPolicyVersion']);
  });
});
