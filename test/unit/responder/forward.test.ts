import { type AuditStep, type DecidedStep, describeStep } from '../../../responder/audit-steps';
import type { AuditStore } from '../../../responder/audit-store';
import { parseComplianceChangeEvent } from '../../../responder/event';
import { forward, forwardPlan, type Forwarder } from '../../../responder/forward';
import { respondToEvent, type ResponderDeps } from '../../../responder/respond';
import { parseResponderSettings } from '../../../responder/settings';
import { encryptedAtRest } from '../../../rules/encrypted-at-rest/rule';
import { createLogger } from '../../../rules/runtime/logger';
import { type AnyRule, Compliance, type Evaluation } from '../../../rules/runtime/types';
import { toScanEvaluation } from '../../../scan/findings/scan-evaluation';
import { asffId, type AsffFinding, toAsff } from '../../../scan/outputs/asff';
import { projectLinks } from '../../../scan/outputs/project-links';
import { complianceChange, type ChangeOptions } from './fixtures';

const rule = encryptedAtRest as AnyRule;
const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-23T01:05:00.000Z');
const settings = parseResponderSettings({
  accountId: ACCOUNT,
  forwardToSecurityHub: 'true',
  ruleTitles: JSON.stringify({ 'no-wildcard-actions': 'IAM policies grant no wildcard actions' }),
  ruleSeverities: JSON.stringify({ 'no-wildcard-actions': 'critical' }),
});

const change = (o: Partial<ChangeOptions> = {}) =>
  parseComplianceChangeEvent(complianceChange({ resourceType: 'AWS::S3::Bucket', resourceId: 'orders', ...o }));

/** The decided step of a notify-mode response (the rule not re-run), with `extra` on top. */
function decided(extra: Partial<DecidedStep> = {}): DecidedStep {
  return {
    step: 'decided',
    auditId: 'a',
    at: NOW.toISOString(),
    decision: { action: 'notify', requestedMode: 'notify', needsRecheck: false, reasons: [] },
    findings: ['Default encryption is not enabled.'],
    ruleTitle: rule.meta.title,
    identity: { accountId: ACCOUNT, region: 'us-east-1', arn: 'arn:aws:s3:::orders', resourceName: 'orders' },
    severity: { level: 'high', basis: 'rule' },
    ...extra,
  };
}

/** The finding planned; `r` null: a rule the responder bundle lacks. */
const planned = (event = change(), d = decided(), r: AnyRule | null = rule) => {
  const p = forwardPlan(event, d, r ?? undefined, settings, NOW);
  if (!p.finding) throw new Error(`skipped: ${p.skipped}`);
  return p.finding;
};

describe('the finding a compliance change forwards', () => {
  it('has the Id `ward scan --to securityhub` gives the same rule and resource, so each updates the other', () => {
    const evaluation = {
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'orders',
      annotation: 'x',
      compliance: Compliance.NON_COMPLIANT,
      findings: [{ code: 'unencrypted', message: 'Default encryption is not enabled.' }],
    } as Evaluation;
    const scanned = toAsff(toScanEvaluation(rule, evaluation, { accountId: ACCOUNT, region: 'us-east-1' }), {
      now: NOW.toISOString(),
      homeRegion: 'us-east-1',
      ruleReadme: projectLinks().ruleReadme,
    }) as AsffFinding;
    const f = planned();
    expect(f.Id).toBe(scanned.Id);
    expect(f.Id).toBe(asffId('encrypted-at-rest', ACCOUNT, 'us-east-1', 'AWS::S3::Bucket', 'orders'));
    expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(f.GeneratorId).toBe(scanned.GeneratorId);
    expect(f.Resources[0]).toEqual(scanned.Resources[0]);
  });

  it('is FAILED and ACTIVE for NON_COMPLIANT, rated the rule highest when the codes are unknown (notify mode)', () => {
    const f = planned();
    expect(f).toMatchObject({ Compliance: { Status: 'FAILED' }, RecordState: 'ACTIVE', Severity: { Label: 'HIGH' } });
    expect(f.Description).toBe('Default encryption is not enabled.');
  });

  it('carries the codes, their controls and the findings severity when the rule was re-run (dry-run, auto)', () => {
    const f = planned(
      change(),
      decided({ findingCodes: ['unencrypted'], findings: ['Bucket has no default encryption'], severity: undefined }),
    );
    expect(f.ProductFields['ward/codes']).toBe('unencrypted');
    expect(f.Description).toBe('unencrypted: Bucket has no default encryption');
    expect(f.Compliance.RelatedRequirements?.length).toBeGreaterThan(0);
    expect(f.Severity.Label).not.toBe('INFORMATIONAL');
  });

  it('is PASSED and ACTIVE when the resource is compliant again', () => {
    const f = planned(
      change({ newCompliance: 'COMPLIANT', oldCompliance: 'NON_COMPLIANT' }),
      decided({ findings: [], severity: undefined }),
    );
    expect(f).toMatchObject({
      Compliance: { Status: 'PASSED' },
      RecordState: 'ACTIVE',
      Severity: { Label: 'INFORMATIONAL' },
    });
  });

  it('is ARCHIVED, as last judged, when the resource was deleted (NOT_APPLICABLE after NON_COMPLIANT)', () => {
    const f = planned(
      change({ newCompliance: 'NOT_APPLICABLE', oldCompliance: 'NON_COMPLIANT' }),
      decided({ findings: [] }),
    );
    expect(f).toMatchObject({ Compliance: { Status: 'FAILED' }, RecordState: 'ARCHIVED' });
  });

  it('is ARCHIVED when the re-read found the resource gone', () => {
    expect(planned(change(), decided({ gone: true, findings: [] })).RecordState).toBe('ARCHIVED');
  });

  it('is FAILED with the suppression reason in ProductFields for a suppressed finding, never a Workflow', () => {
    const f = planned(
      change(),
      decided({
        decision: { action: 'suppressed', requestedMode: 'notify', needsRecheck: false, reasons: ['suppressed'] },
        suppression: { reason: 'Public website bucket', owner: 'web-team', entry: 'encrypted-at-rest orders' },
      }),
    );
    expect(f.Compliance.Status).toBe('FAILED');
    expect(f.ProductFields['ward/suppressed']).toBe('Public website bucket');
    for (const k of ['Workflow', 'WorkflowState', 'Note', 'UserDefinedFields']) expect(f).not.toHaveProperty(k);
  });

  it('puts a global (IAM) resource in the responder region with the scan Id of region `global`', () => {
    const event = change({
      configRuleName: 'ward-no-wildcard-actions',
      resourceType: 'AWS::IAM::Policy',
      resourceId: 'ANPAEXAMPLEPOLICYID1',
      region: 'eu-west-1',
    });
    const f = planned(
      event,
      decided({ identity: { accountId: ACCOUNT, region: 'global' }, severity: { level: 'critical', basis: 'rule' } }),
      null,
    );
    expect(f.Id).toBe(asffId('no-wildcard-actions', ACCOUNT, 'global', 'AWS::IAM::Policy', 'ANPAEXAMPLEPOLICYID1'));
    expect(f.Region).toBe('eu-west-1');
    expect(f.Title).toBe('IAM policies grant no wildcard actions');
    expect(f.Severity.Label).toBe('CRITICAL');
  });

  it.each([
    ['an AWS managed rule of the pack', { configRuleName: 'ward-aws-s3-bucket-ssl-requests-only' }, /not a ward rule/],
    ['a rule outside ward', { configRuleName: 'some-other-rule' }, /not a ward rule/],
    ['a resource of another account', { accountId: '999988887777' }, /account 999988887777, not the responder's/],
    ['a first NOT_APPLICABLE', { newCompliance: 'NOT_APPLICABLE' }, /not a judgement/],
    ['INSUFFICIENT_DATA', { newCompliance: 'INSUFFICIENT_DATA', oldCompliance: 'NON_COMPLIANT' }, /not a judgement/],
  ])('is not imported for %s, and says why', (_what, o, why) => {
    expect(forwardPlan(change(o as Partial<ChangeOptions>), decided(), rule, settings, NOW).skipped).toMatch(why);
  });
});

describe('forwarding one finding', () => {
  const f = planned();

  it('records the finding Id, status and record state when Security Hub accepts it', async () => {
    const step = await forward({ finding: f }, async () => ({}));
    expect(step).toEqual({
      step: 'forwarded',
      ok: true,
      findingId: f.Id,
      productArn: f.ProductArn,
      status: 'FAILED',
      recordState: 'ACTIVE',
    });
  });

  it('records FailedFindings as a failure, with the error code', async () => {
    const step = await forward({ finding: f }, async () => ({ failed: { code: 'InvalidInput', message: 'bad' } }));
    expect(step).toMatchObject({ ok: false, findingId: f.Id, error: 'FailedFindings: InvalidInput: bad' });
  });

  it('records a refused call as a failure and does not throw', async () => {
    const err = Object.assign(new Error('Account is not subscribed to AWS Security Hub'), {
      name: 'InvalidAccessException',
    });
    const step = await forward({ finding: f }, async () => {
      throw err;
    });
    expect(step).toMatchObject({
      ok: false,
      error: 'InvalidAccessException: Account is not subscribed to AWS Security Hub',
    });
  });
});

describe('ward audit lines of the forwarded step', () => {
  const base = { step: 'forwarded' as const, auditId: 'a', at: '2026-11-23T01:05:00.000Z' };
  it('names the finding, its status and record state, a failure, or why nothing was imported', () => {
    expect(
      describeStep({ ...base, ok: true, findingId: 'ward/v1/x/1', status: 'PASSED', recordState: 'ACTIVE' }),
    ).toContain('Security Hub finding ward/v1/x/1 (PASSED, ACTIVE)');
    expect(describeStep({ ...base, ok: false, findingId: 'ward/v1/x/1', error: 'FailedFindings: X: y' })).toContain(
      'Security Hub FORWARDING FAILED: FailedFindings: X: y',
    );
    expect(describeStep({ ...base, ok: true, skipped: 'not a ward rule' })).toContain(
      'not forwarded to Security Hub: not a ward rule',
    );
  });
});

describe('a response with forwarding on', () => {
  function world(forwarder: Forwarder, on = true, history: AuditStep[] = []) {
    const saved: AuditStep[] = [];
    const published: { subject: string; text: string }[] = [];
    const sent: AsffFinding[] = [];
    const logger = createLogger();
    logger.level = 'silent';
    const store = {
      append: async (s: AuditStep) => {
        if (history.some((h) => h.step === s.step)) return false;
        saved.push(s);
        return true;
      },
      history: async () => history,
    } as unknown as AuditStore;
    const deps: ResponderDeps = {
      settings: parseResponderSettings({ accountId: ACCOUNT, forwardToSecurityHub: on }),
      store,
      logger,
      publish: async (a) => {
        published.push({ subject: a.subject, text: a.text });
        return 'm-1';
      },
      forwardFinding: async (finding) => {
        sent.push(finding);
        return forwarder(finding);
      },
      contexts: () => {
        throw new Error('notify mode reads nothing');
      },
    };
    return { deps, saved, published, sent };
  }

  it('imports the finding after deciding and before alerting, and records its Id', async () => {
    const w = world(async () => ({}));
    const out = await respondToEvent(change(), w.deps);
    expect(w.saved.map((s) => s.step)).toEqual(['received', 'decided', 'forwarded', 'alerted', 'completed']);
    expect(w.sent).toHaveLength(1);
    expect(out.forwarded).toMatchObject({ ok: true, findingId: w.sent[0].Id, status: 'FAILED' });
    expect(w.published[0].text).not.toMatch(/Security Hub/);
  });

  it('still alerts when forwarding fails, and the alert and the audit record say so', async () => {
    const w = world(async () => {
      throw new Error('connect ETIMEDOUT');
    });
    const out = await respondToEvent(change(), w.deps);
    expect(out.outcome).toBe('notified');
    expect(w.saved.map((s) => s.step)).toEqual(['received', 'decided', 'forwarded', 'alerted', 'completed']);
    expect(out.forwarded).toMatchObject({ ok: false, error: 'Error: connect ETIMEDOUT' });
    expect(w.published[0].text).toContain('Security Hub: forwarding FAILED');
    expect(out.alert?.payload).toMatchObject({ forwardingError: expect.stringContaining('ETIMEDOUT') });
  });

  it('forwards a suppressed finding (no alert) and records it', async () => {
    const w = world(async () => ({}));
    w.deps = {
      ...w.deps,
      suppressions: {
        entries: [{ rule: 'encrypted-at-rest', resource: 'orders', reason: 'Accepted risk', expires: '2099-01-01' }],
      } as unknown as ResponderDeps['suppressions'],
    };
    const out = await respondToEvent(change(), w.deps);
    expect(out.outcome).toBe('suppressed');
    expect(w.published).toHaveLength(0);
    expect(w.sent[0].ProductFields['ward/suppressed']).toBe('Accepted risk');
    expect(w.saved.map((s) => s.step)).toEqual(['received', 'decided', 'forwarded', 'completed']);
  });

  it('forwards nothing when the flag is off', async () => {
    const w = world(async () => ({}), false);
    await respondToEvent(change(), w.deps);
    expect(w.sent).toHaveLength(0);
    expect(w.saved.map((s) => s.step)).not.toContain('forwarded');
  });
});
