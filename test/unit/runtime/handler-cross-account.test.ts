import { KMSClient } from '@aws-sdk/client-kms';
import { z } from 'zod';
import {
  type AssumeRoleClient,
  CrossAccountError,
  createMemberCredentials,
} from '../../../rules/runtime/cross-account';
import { defineRule } from '../../../rules/runtime/define-rule';
import { compliant } from '../../../rules/runtime/evaluation';
import { type AccountTarget, createConfigRuleHandler, type HandlerConfigClient } from '../../../rules/runtime/handler';
import type { AnyRule } from '../../../rules/runtime/types';
import {
  changeEvent,
  LAMBDA_CONTEXT,
  MEMBER_ACCOUNT,
  OWN_ACCOUNT,
  snsTopicItem,
} from '../../fixtures/events/config-events';
import { awsError, captureLogger, FakeClient } from '../../fixtures/events/fakes';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN';

function fakeSts(expiresAt = new Date(Date.now() + 3600_000)) {
  let n = 0;
  return new FakeClient({
    AssumeRole: () => ({
      Credentials: {
        AccessKeyId: `ASIAMEMBER${++n}`,
        SecretAccessKey: SECRET,
        SessionToken: SESSION,
        Expiration: expiresAt,
      },
    }),
  });
}

/** A rule whose gather reports which credentials its SDK clients carry. */
function credentialProbe(seen: string[]): AnyRule {
  return defineRule({
    meta: {
      id: 'test-credentials',
      title: 'Test',
      rationale: 'Test rule.',
      severity: 'low',
      resourceTypes: ['AWS::SNS::Topic'],
      trigger: { onChange: true },
      parameters: z.object({}),
      permissions: [],
      findingCodes: {},
    },
    async gather(_item, ctx) {
      const kms = ctx.client(KMSClient);
      const creds = await kms.config.credentials();
      seen.push(`${ctx.accountId}:${creds.accessKeyId}`);
      return undefined;
    },
    evaluate: ({ item }) => [compliant(item, 'ok')],
  }) as AnyRule;
}

function setup(rule: AnyRule, sts: FakeClient, memberRoleName?: string) {
  const targets: AccountTarget[] = [];
  const config = new FakeClient({ PutEvaluations: () => ({ FailedEvaluations: [] }) });
  const log = captureLogger();
  const handler = createConfigRuleHandler(rule, {
    logger: log.logger,
    configClient: (t) => {
      targets.push(t);
      return config as unknown as HandlerConfigClient;
    },
    stsClient: () => sts as unknown as AssumeRoleClient,
    memberRoleName,
  });
  return { handler, targets, config, log };
}

describe('createConfigRuleHandler: organization rules', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAOWNACCOUNT';
    process.env.AWS_SECRET_ACCESS_KEY = 'own-secret';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it("assumes ward-member in the member account and uses it for gather's clients and for PutEvaluations", async () => {
    const sts = fakeSts();
    const seen: string[] = [];
    const { handler, targets, config } = setup(credentialProbe(seen), sts);
    await handler(changeEvent(snsTopicItem({ accountId: MEMBER_ACCOUNT })), LAMBDA_CONTEXT);
    expect(sts.inputs('AssumeRole')).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER_ACCOUNT}:role/ward-member`,
        RoleSessionName: 'ward-test-credentials',
        DurationSeconds: 3600,
      },
    ]);
    expect(seen).toEqual([`${MEMBER_ACCOUNT}:ASIAMEMBER1`]);
    expect(targets.map((t) => t.accountId)).toEqual([MEMBER_ACCOUNT]);
    expect(await targets[0].credentials?.()).toEqual(expect.objectContaining({ accessKeyId: 'ASIAMEMBER1' }));
    expect(config.inputs('PutEvaluations')).toHaveLength(1);
  });

  it('reuses the member credentials across invocations until shortly before they expire', async () => {
    const sts = fakeSts();
    const { handler } = setup(credentialProbe([]), sts);
    await handler(changeEvent(snsTopicItem({ accountId: MEMBER_ACCOUNT })), LAMBDA_CONTEXT);
    await handler(changeEvent(snsTopicItem({ accountId: MEMBER_ACCOUNT, name: 'other' })), LAMBDA_CONTEXT);
    expect(sts.inputs('AssumeRole')).toHaveLength(1);
  });

  it('uses its own credentials, without STS, in its own account', async () => {
    const sts = fakeSts();
    const seen: string[] = [];
    const { handler, targets } = setup(credentialProbe(seen), sts);
    await handler(changeEvent(snsTopicItem({ accountId: OWN_ACCOUNT })), LAMBDA_CONTEXT);
    expect(sts.calls).toEqual([]);
    expect(targets[0].credentials).toBeUndefined();
    expect(seen).toEqual([`${OWN_ACCOUNT}:AKIAOWNACCOUNT`]);
  });

  it('takes the role name from WARD_MEMBER_ROLE_NAME', async () => {
    process.env.WARD_MEMBER_ROLE_NAME = 'org-compliance-reader';
    const sts = fakeSts();
    const { handler } = setup(credentialProbe([]), sts);
    await handler(changeEvent(snsTopicItem({ accountId: MEMBER_ACCOUNT })), LAMBDA_CONTEXT);
    expect(sts.inputs('AssumeRole')[0].RoleArn).toBe(`arn:aws:iam::${MEMBER_ACCOUNT}:role/org-compliance-reader`);
  });

  it('throws CrossAccountError, sending nothing, when the member role cannot be assumed', async () => {
    const sts = new FakeClient({
      AssumeRole: () => {
        throw awsError('AccessDenied', 403);
      },
    });
    const { handler, config, log } = setup(credentialProbe([]), sts);
    const run = handler(changeEvent(snsTopicItem({ accountId: MEMBER_ACCOUNT })), LAMBDA_CONTEXT);
    await expect(run).rejects.toBeInstanceOf(CrossAccountError);
    await expect(run).rejects.toThrow(`cannot assume arn:aws:iam::${MEMBER_ACCOUNT}:role/ward-member: AccessDenied`);
    expect(config.calls).toEqual([]);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'cannot assume the member-account role' }),
    );
  });

  it('never logs the member credentials', async () => {
    const sts = fakeSts();
    const { handler, log } = setup(credentialProbe([]), sts);
    await handler(changeEvent(snsTopicItem({ accountId: MEMBER_ACCOUNT })), LAMBDA_CONTEXT);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.text()).not.toContain(SECRET);
    expect(log.text()).not.toContain(SESSION);
  });
});

describe('createMemberCredentials', () => {
  const HOUR = 3600_000;

  it('renews credentials within five minutes of expiry, not before', async () => {
    let now = 0;
    const sts = fakeSts(new Date(HOUR));
    const members = createMemberCredentials(() => sts as unknown as AssumeRoleClient, {
      sessionName: 'ward-x',
      roleName: 'ward-member',
      now: () => now,
    });
    await members.credentialsFor(MEMBER_ACCOUNT);
    now = HOUR - 6 * 60_000;
    await members.credentialsFor(MEMBER_ACCOUNT);
    expect(sts.calls).toHaveLength(1);
    now = HOUR - 4 * 60_000;
    expect((await members.credentialsFor(MEMBER_ACCOUNT)).accessKeyId).toBe('ASIAMEMBER2');
    expect(sts.calls).toHaveLength(2);
  });

  it('keeps one set of credentials per account and partition', async () => {
    const sts = fakeSts();
    const members = createMemberCredentials(() => sts as unknown as AssumeRoleClient, {
      sessionName: 'ward-x',
      roleName: 'r',
    });
    await Promise.all([members.credentialsFor('111111111111'), members.credentialsFor('111111111111')]);
    await members.credentialsFor('222222222222');
    await members.credentialsFor('111111111111', 'aws-us-gov');
    expect(sts.inputs('AssumeRole').map((i) => i.RoleArn)).toEqual([
      'arn:aws:iam::111111111111:role/r',
      'arn:aws:iam::222222222222:role/r',
      'arn:aws-us-gov:iam::111111111111:role/r',
    ]);
  });

  it('does not cache a failure: the next call tries again', async () => {
    let fail = true;
    const sts = new FakeClient({
      AssumeRole: () => {
        if (fail) throw awsError('RegionDisabledException');
        return { Credentials: { AccessKeyId: 'ASIAOK', SecretAccessKey: SECRET, SessionToken: SESSION } };
      },
    });
    const members = createMemberCredentials(() => sts as unknown as AssumeRoleClient, { sessionName: 'ward-x' });
    await expect(members.credentialsFor(MEMBER_ACCOUNT)).rejects.toBeInstanceOf(CrossAccountError);
    fail = false;
    await expect(members.credentialsFor(MEMBER_ACCOUNT)).resolves.toEqual(
      expect.objectContaining({ accessKeyId: 'ASIAOK' }),
    );
  });
});
