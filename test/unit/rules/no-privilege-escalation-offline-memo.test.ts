/**
 * `gather` of no-privilege-escalation on an offline lookup (a snapshot's index): what it reads back from the
 * lookup is kept for the rest of the scan, per lookup object, and never changes a verdict.
 */
import { gatherEscalationFacts } from '../../../rules/no-privilege-escalation/gather';
import { BoundedMemo } from '../../../rules/no-privilege-escalation/lookup-memo';
import { noPrivilegeEscalation } from '../../../rules/no-privilege-escalation/rule';
import {
  type ConfigurationItem,
  type Evaluation,
  evaluateItem,
  normalizeConfigurationItem,
} from '../../../rules/runtime';
import type { ResourceLookup } from '../../../rules/runtime/context';
import { createLogger } from '../../../rules/runtime/logger';
import { createRuleContext } from '../../../rules/runtime/rule-context';
import { ACCOUNT, allow, deepFreeze, defaults, doc, type Doc, policy, role } from './no-privilege-escalation.fixtures';

const silent = createLogger({}, { write: () => undefined });
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

/** A snapshot lookup over these items that counts what it is asked, as the scan's index would answer. */
function countingLookup(raws: readonly Doc[]): ResourceLookup & { asked: string[] } {
  const items = raws.map((r) => normalizeConfigurationItem(deepFreeze(r)));
  const asked: string[] = [];
  return {
    asked,
    get: async (type, id) => items.find((i) => i.resourceType === type && i.resourceId === id),
    findByArn: async (type, arn) => {
      asked.push(`${type} ${arn}`);
      return items.find((i) => i.resourceType === type && i.arn === arn);
    },
  };
}

function scanContext(resources: ResourceLookup) {
  return createRuleContext({
    mode: 'snapshot',
    accountId: ACCOUNT,
    region: 'us-east-1',
    logger: silent,
    keys: { describe: async () => undefined },
    resources,
  });
}

async function judge(raw: Doc, resources: ResourceLookup): Promise<Evaluation> {
  const item: ConfigurationItem = normalizeConfigurationItem(deepFreeze(raw));
  const [e] = await evaluateItem(noPrivilegeEscalation, item, defaults, scanContext(resources));
  return e;
}

const attaching = (name: string, ...policies: string[]) =>
  role(name, { attached: policies.map((p) => ({ policyName: p, policyArn: policyArn(p) })) });

describe('no-privilege-escalation on a snapshot', () => {
  const SNAPSHOT = [
    policy('deploy-admin', doc(allow('*', '*'))),
    policy('readers', doc(allow(['s3:GetObject', 's3:ListBucket'], '*'))),
  ];

  it('reads a policy attached to many roles back from the snapshot once, and judges every role the same', async () => {
    const lookup = countingLookup(SNAPSHOT);
    const first = await judge(attaching('ops-a', 'deploy-admin'), lookup);
    const second = await judge(attaching('ops-b', 'deploy-admin'), lookup);
    const reader = await judge(attaching('reader', 'readers', 'deploy-admin'), lookup);
    expect(lookup.asked.filter((a) => a.endsWith('policy/deploy-admin'))).toHaveLength(1);
    expect(lookup.asked.filter((a) => a.endsWith('policy/readers'))).toHaveLength(1);
    for (const e of [first, second, reader]) {
      expect(e.compliance).toBe('NON_COMPLIANT');
      expect(e.findings.map((f) => f.code)).toEqual(['effective-admin']);
    }
    // The same verdicts as a fresh lookup for each role, where nothing is remembered.
    expect(await judge(attaching('ops-b', 'deploy-admin'), countingLookup(SNAPSHOT))).toEqual(second);
    expect(await judge(attaching('reader', 'readers', 'deploy-admin'), countingLookup(SNAPSHOT))).toEqual(reader);
  });

  it('keeps a policy the snapshot lacks unresolved for every role that attaches it, never COMPLIANT', async () => {
    const lookup = countingLookup(SNAPSHOT);
    for (const name of ['a', 'b']) {
      const e = await judge(attaching(name, 'gone'), lookup);
      expect(e.compliance).toBe('NON_COMPLIANT');
      expect(e.findings[0]?.message).toContain('the snapshot holds no AWS::IAM::Policy item for it');
    }
    expect(lookup.asked.filter((a) => a.endsWith('policy/gone'))).toHaveLength(1);
  });

  it('reads again for another lookup: a second scan shares nothing with the first', async () => {
    const before = countingLookup(SNAPSHOT);
    await judge(attaching('ops', 'deploy-admin'), before);
    // The next scan's snapshot holds another document under the same ARN.
    const after = countingLookup([policy('deploy-admin', doc(allow('s3:GetObject', '*')))]);
    const e = await judge(attaching('ops', 'deploy-admin'), after);
    expect(after.asked).toEqual([`AWS::IAM::Policy ${policyArn('deploy-admin')}`]);
    expect(e.compliance).toBe('COMPLIANT');
  });

  it('never keeps an answer in the Lambda, where IAM is read and may change between invocations', async () => {
    const lookup = countingLookup(SNAPSHOT);
    const ctx = createRuleContext({
      mode: 'lambda',
      accountId: ACCOUNT,
      region: 'us-east-1',
      logger: silent,
      keys: { describe: async () => undefined },
      resources: lookup,
    });
    const item = normalizeConfigurationItem(deepFreeze(attaching('ops', 'deploy-admin')));
    let gets = 0;
    const iam = {
      async send(command: object) {
        const name = command.constructor.name;
        if (name === 'GetPolicyCommand') {
          gets++;
          return { Policy: { DefaultVersionId: 'v1' } };
        }
        return { PolicyVersion: { Document: encodeURIComponent(JSON.stringify(doc(allow('*', '*')))) } };
      },
    };
    await gatherEscalationFacts(item, ctx, iam);
    await gatherEscalationFacts(item, ctx, iam);
    expect(gets).toBe(2);
    expect(lookup.asked).toEqual([]);
  });
});

describe('BoundedMemo', () => {
  it('drops the least recently used answer first when full', () => {
    const memo = new BoundedMemo<number>(2);
    memo.set('a', 1);
    memo.set('b', 2);
    expect(memo.get('a')).toBe(1);
    memo.set('c', 3);
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBe(1);
    expect(memo.get('c')).toBe(3);
    expect(memo.size).toBe(2);
  });
});
