import { type DecisionInput, decide, type RecheckFacts } from '../../../responder/decide';
import { findRunbook } from '../../../runbooks';
import type { RunbookEntry } from '../../../runbooks/types';

const s3Enc = findRunbook('s3-enable-default-encryption') as RunbookEntry;
const kmsPublic = findRunbook('kms-remove-public-statements') as RunbookEntry;
const rds = findRunbook('rds-reencrypt') as RunbookEntry;

const base: DecisionInput = Object.freeze({
  newCompliance: 'NON_COMPLIANT',
  oldCompliance: 'COMPLIANT',
  mode: 'auto',
  runbook: s3Enc,
  killSwitch: false,
  rateCapReached: false,
  flapping: false,
});
const live: RecheckFacts = Object.freeze({
  tags: {},
  compliance: 'NON_COMPLIANT',
  findingCodes: ['unencrypted'],
  planChanges: 1,
});

describe('decide, first stage (before reading the resource)', () => {
  it.each<[string, Partial<DecisionInput>, string, boolean]>([
    [
      'resolves a return to COMPLIANT',
      { newCompliance: 'COMPLIANT', oldCompliance: 'NON_COMPLIANT' },
      'resolved',
      false,
    ],
    ['ignores a first COMPLIANT evaluation', { newCompliance: 'COMPLIANT', oldCompliance: undefined }, 'ignore', false],
    ['ignores NOT_APPLICABLE', { newCompliance: 'NOT_APPLICABLE' }, 'ignore', false],
    ['notifies in notify mode', { mode: 'notify' }, 'notify', false],
    ['notifies when no runbook remediates', { runbook: undefined }, 'notify', false],
    ['notifies for a manual playbook even in auto', { runbook: rds }, 'notify', false],
    ['notifies when the kill switch is on', { killSwitch: true }, 'notify', false],
    ['never acts on a resource of another account', { foreignAccount: '999988887777' }, 'notify', false],
    ['notifies while the resource flaps', { flapping: true }, 'notify', false],
    ['notifies when the hourly cap is reached', { rateCapReached: true }, 'notify', false],
    ['asks for a re-check before remediating in auto', {}, 'remediate', true],
    ['asks for a re-check before a dry run', { mode: 'dry-run' }, 'dry-run', true],
    ['turns auto into a dry run for a runbook not safe for auto', { runbook: kmsPublic }, 'dry-run', true],
    [
      'keeps a dry run for a runbook not safe for auto even at the cap',
      { runbook: kmsPublic, rateCapReached: true },
      'dry-run',
      true,
    ],
  ])('%s', (_name, change, action, needsRecheck) => {
    const d = decide({ ...base, ...change });
    expect({ action: d.action, needsRecheck: d.needsRecheck }).toEqual({ action, needsRecheck });
    expect(d.reasons.length > 0 || action === 'remediate' || action === 'dry-run').toBe(true);
  });
});

describe('decide, second stage (after the re-read and the re-run of the rule)', () => {
  it.each<[string, Partial<RecheckFacts>, string]>([
    ['remediates a resource still non-compliant with a finding the runbook fixes', {}, 'remediate'],
    ['notifies when the resource is tagged ward:remediation=off', { tags: { 'ward:remediation': 'off' } }, 'notify'],
    ['does not treat ward:remediation=on as an opt-out', { tags: { 'ward:remediation': 'on' } }, 'remediate'],
    ['changes nothing when the live resource is already compliant', { compliance: 'COMPLIANT' }, 'no-change'],
    ['changes nothing when the rule no longer applies', { compliance: 'NOT_APPLICABLE' }, 'no-change'],
    ['notifies when the findings are not ones the runbook fixes', { findingCodes: ['evaluation-error'] }, 'notify'],
    ['notifies when the plan is blocked', { planBlocked: 'No remediation key is configured.' }, 'notify'],
    ['changes nothing when the plan is empty', { planChanges: 0 }, 'no-change'],
    [
      'acts on the plan when the rule could not be re-run (managed rules)',
      { compliance: 'unknown', findingCodes: [] },
      'remediate',
    ],
  ])('%s', (_name, facts, action) => {
    expect(decide({ ...base, recheck: { ...live, ...facts } }).action).toBe(action);
  });

  it('falls back to notify when the cap is reached after the re-check', () => {
    expect(decide({ ...base, rateCapReached: true, recheck: live }).action).toBe('notify');
  });

  it('says why the opt-out tag stopped it', () => {
    const d = decide({ ...base, recheck: { ...live, tags: { 'ward:remediation': 'off' } } });
    expect(d.reasons).toEqual(['The resource is tagged ward:remediation=off.']);
  });
});
