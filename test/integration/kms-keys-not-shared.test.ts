import type { ConfigServiceClient, PutEvaluationsCommandInput } from '@aws-sdk/client-config-service';
import { CreateGrantCommand, CreateKeyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { kmsKeysNotShared } from '../../rules/kms-keys-not-shared/rule';
import { type AccountTarget, createConfigRuleHandler, defaultConfigClient } from '../../rules/runtime/handler';
import type { AnyRule } from '../../rules/runtime/types';
import { SCHEDULED_AT, changeEvent, deepFreeze, scheduledEvent } from '../fixtures/events/config-events';
import { captureLogger } from '../fixtures/events/fakes';
import { MOTO_ACCOUNT, motoClientConfig, motoRegion, useMotoEnvironment } from '../harness/moto';

/*
 * Keys, policies and grants created through the SDK in moto (PolicyName "default": moto rejects any other name),
 * judged through the real handler: a change notification whose item lacks the policy (so gather falls back to
 * kms:GetKeyPolicy and reads the grants), and a scheduled notification (kms:ListKeys, DescribeKey, GetKeyPolicy,
 * ListGrants). PutEvaluations goes out in TestMode and is captured with an SDK middleware.
 */

const region = motoRegion(__filename);
const STRANGER = '777788889999';
const PARTNER = '444455556666';
const root = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const policy = (...extra: Record<string, unknown>[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [root, ...extra] }, null, 2);

let restore: () => void;
beforeAll(() => {
  restore = useMotoEnvironment(region);
});
afterAll(() => restore());

const kms = new KMSClient(motoClientConfig(region));

async function createKey(keyPolicy?: string): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({ Description: 'ks integration key' }));
  const keyId = out.KeyMetadata?.KeyId as string;
  if (keyPolicy) await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: keyPolicy }));
  return keyId;
}

function capturingHandler() {
  const sent: PutEvaluationsCommandInput[] = [];
  const log = captureLogger();
  const handler = createConfigRuleHandler(kmsKeysNotShared as AnyRule, {
    logger: log.logger,
    configClient: (target: AccountTarget) => {
      const client: ConfigServiceClient = defaultConfigClient(target);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'PutEvaluationsCommand') sent.push(args.input as PutEvaluationsCommandInput);
          return next(args);
        },
        { step: 'initialize', name: 'capturePutEvaluations' },
      );
      return client;
    },
  });
  return { handler, sent, log };
}

const lambdaContext = {
  invokedFunctionArn: `arn:aws:lambda:${region}:${MOTO_ACCOUNT}:function:ward-kms-keys-not-shared`,
  awsRequestId: 'integration',
};

/** The event-form CI of a moto key, without `supplementaryConfiguration.Policy` (gather reads it). */
function keyItem(keyId: string): Record<string, unknown> {
  const arn = `arn:aws:kms:${region}:${MOTO_ACCOUNT}:key/${keyId}`;
  return deepFreeze({
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: '2026-11-20T10:15:30.000Z',
    configurationStateId: 1700000000000,
    awsAccountId: MOTO_ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::KMS::Key',
    resourceId: keyId,
    ARN: arn,
    awsRegion: region,
    availabilityZone: 'Not Applicable',
    resourceCreationTime: '2026-11-20T10:00:00.000Z',
    tags: {},
    relatedEvents: [],
    relationships: [],
    configuration: {
      awsaccountId: MOTO_ACCOUNT,
      keyId,
      arn,
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      enabled: true,
    },
    supplementaryConfiguration: { KeyRotationStatus: false },
  });
}

describe('kms-keys-not-shared against moto', () => {
  let safe: string;
  let shared: string;
  let open: string;
  let external: string;
  let granted: string;
  beforeAll(async () => {
    safe = await createKey();
    shared = await createKey(
      policy({
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${PARTNER}:root` },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    );
    open = await createKey(
      policy({
        Sid: 'ViaS3',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      }),
    );
    external = await createKey(
      policy({ Sid: 'Stranger', Effect: 'Allow', Principal: { AWS: STRANGER }, Action: 'kms:*', Resource: '*' }),
    );
    granted = await createKey();
    await kms.send(
      new CreateGrantCommand({
        KeyId: granted,
        GranteePrincipal: `arn:aws:iam::${STRANGER}:role/reader`,
        Operations: ['Decrypt'],
        Name: 'ks-stranger',
      }),
    );
    await kms.send(
      new CreateGrantCommand({
        KeyId: granted,
        GranteePrincipal: `arn:aws:iam::${MOTO_ACCOUNT}:role/app`,
        Operations: ['Encrypt', 'Decrypt'],
      }),
    );
  });

  it('judges a change notification with the policy from kms:GetKeyPolicy and the grants from kms:ListGrants', async () => {
    const { handler, sent } = capturingHandler();
    await handler(
      changeEvent(keyItem(granted), { resultToken: 'TESTMODE', configRuleName: 'ward-kms-keys-not-shared' }),
      lambdaContext,
    );
    expect(sent).toHaveLength(1);
    const [e] = sent[0].Evaluations ?? [];
    expect([e.ComplianceResourceId, e.ComplianceType, sent[0].TestMode]).toEqual([granted, 'NON_COMPLIANT', true]);
    expect(e.Annotation).toMatch(/^Grant "ks-stranger" .*untrusted account 777788889999/);
  });

  it('runs the periodic path over every key and sends one evaluation per key in TestMode', async () => {
    const { handler, sent } = capturingHandler();
    await handler(
      scheduledEvent({
        accountId: MOTO_ACCOUNT,
        resultToken: 'TESTMODE',
        configRuleName: 'ward-kms-keys-not-shared',
        ruleParameters: { trustedAccountIds: PARTNER },
      }),
      lambdaContext,
    );
    const ours = new Map(
      sent
        .flatMap((s) => s.Evaluations ?? [])
        .filter((e) => [safe, shared, open, external, granted].includes(e.ComplianceResourceId as string))
        .map((e) => [e.ComplianceResourceId, e]),
    );
    const verdict = (id: string) => [ours.get(id)?.ComplianceType, ours.get(id)?.OrderingTimestamp];
    const at = new Date(SCHEDULED_AT);
    expect([safe, shared, open, external, granted].map(verdict)).toEqual([
      ['COMPLIANT', at],
      ['COMPLIANT', at],
      ['NON_COMPLIANT', at],
      ['NON_COMPLIANT', at],
      ['NON_COMPLIANT', at],
    ]);
    expect(ours.get(open)?.Annotation).toMatch(
      /^statement "ViaS3" allows .* without a condition restricting the caller/,
    );
    expect(ours.get(external)?.Annotation).toMatch(/^statement "Stranger" lets AWS "777788889999" administer the key/);
    expect(ours.get(safe)?.Annotation).toMatch(/grant\(s\)/);
    expect(sent.every((s) => s.TestMode === true)).toBe(true);
  });

  it('reports a key whose policy cannot be decoded as malformed-policy, keeps the other keys, and logs no policy text', async () => {
    // moto stores the policy text as given (AWS would refuse it at PutKeyPolicy; a policy can still reach ward
    // malformed through an item or a future policy grammar), so the periodic run reads it back with GetKeyPolicy.
    const marker = 'KS-POLICY-MARKER-51d2';
    const broken = await createKey();
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: broken,
        PolicyName: 'default',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [root, { Sid: marker, Effect: 'Permit' }] }),
      }),
    );
    const { handler, sent, log } = capturingHandler();
    await handler(
      scheduledEvent({ accountId: MOTO_ACCOUNT, resultToken: 'TESTMODE', configRuleName: 'ward-kms-keys-not-shared' }),
      lambdaContext,
    );
    const evaluations = sent.flatMap((s) => s.Evaluations ?? []);
    const byId = new Map(evaluations.map((e) => [e.ComplianceResourceId, e]));
    expect([byId.get(broken)?.ComplianceType, byId.get(broken)?.Annotation]).toEqual([
      'NON_COMPLIANT',
      'The key policy cannot be decoded: Statement[1].Effect must be Allow or Deny.',
    ]);
    expect([safe, open].map((id) => byId.get(id)?.ComplianceType)).toEqual(['COMPLIANT', 'NON_COMPLIANT']);
    expect(log.lines.find((l) => l.msg === 'evaluation' && l.resourceId === broken)).toEqual(
      expect.objectContaining({ rule: 'kms-keys-not-shared', findings: ['malformed-policy'] }),
    );
    expect(log.text() + JSON.stringify(sent)).not.toContain(marker);
  });
});
