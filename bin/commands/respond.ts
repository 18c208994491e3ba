import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FAILED_OUTCOMES, type Outcome } from '../../responder/audit-steps';
import type { ResponseResult } from '../../responder/respond';
import type { ResponseModeType } from '../../responder/settings';

interface RespondOptions {
  readonly event: string;
  readonly mode?: string;
  readonly table?: string;
  readonly stateTable?: string;
  readonly alertsTopic?: string;
  readonly keyArn?: string;
  readonly suppressions?: string;
  readonly format: string;
}

/** Outcomes after which a non-compliant resource is left as it is: a finding remains (exit 1). */
const LEFT_NON_COMPLIANT: ReadonlySet<Outcome> = new Set<Outcome>(['notified', 'planned']);

/**
 * The exit code of `ward respond`: 2 when a step failed (the runbook failed, or the change was not verified),
 * 1 when the resource is left non-compliant (notify, dry-run), 0 otherwise (fixed, nothing to do, resolved,
 * covered by another response, suppressed, or the resource is gone).
 */
export function respondExitCode(r: ResponseResult): 0 | 1 | 2 {
  if (r.outcome && FAILED_OUTCOMES.has(r.outcome)) return 2;
  if (r.outcome && LEFT_NON_COMPLIANT.has(r.outcome)) return 1;
  return 0;
}

/** Renders a response for people. */
export function describeResponse(r: ResponseResult): string {
  if (r.duplicate)
    return `Event ${r.auditId} was already handled: nothing done (outcome ${r.outcome ?? 'in progress elsewhere'}).\n`;
  if (r.outcome === 'gone') return `${r.auditId}: the resource no longer exists: gone, nothing to do.\n`;
  if (r.outcome === 'covered')
    return `${r.auditId}: covered by response ${r.coveredBy} for the same rule and resource.\n`;
  const lines = [`Decision: ${r.decision?.action} (${r.decision?.requestedMode} mode)`];
  for (const reason of r.decision?.reasons ?? []) lines.push(`  - ${reason}`);
  if (r.plan) {
    lines.push(`Plan (${r.plan.runbookId}): ${r.plan.summary}`);
    for (const c of r.plan.changes) lines.push(`  - ${c.operation}: ${c.description}`);
    if (r.plan.blocked) lines.push(`  blocked: ${r.plan.blocked}`);
  }
  lines.push(`Outcome: ${r.outcome}${r.error ? ` (${r.error})` : ''}`);
  if (r.alert) lines.push('', `Alert: ${r.alert.subject}`, '', r.alert.text);
  return `${lines.join('\n')}\n`;
}

/**
 * `ward respond --event FILE [--mode dry-run]`: runs the responder on a compliance-change event (bare, or
 * wrapped by SNS) against the current account. In dry-run it needs nothing deployed: it reads the resource,
 * re-runs the rule and prints what the runbook would change.
 */
export function registerRespondCommand(program: Command): void {
  program
    .command('respond')
    .description('Run the responder on a Config compliance-change event (bare or SNS-wrapped) and print the plan')
    .requiredOption('--event <file>', 'the event JSON file')
    .option('--mode <mode>', 'notify, dry-run or auto for every rule (default: the configured modes)')
    .option('--table <name>', 'audit table (default WARD_AUDIT_TABLE); needed for auto, omitted in dry-run')
    .option(
      '--state-table <name>',
      'state table: locks, counters, kill switch (default WARD_STATE_TABLE); needed for auto',
    )
    .option('--alerts-topic <arn>', 'publish the alert there (default WARD_ALERTS_TOPIC_ARN; else only printed)')
    .option('--key-arn <arn>', 'the remediation KMS key (default WARD_REMEDIATION_KEY_ARN)')
    .option('--suppressions <file>', 'suppressions to apply (default ./ward.suppressions.json or .yaml, as ward scan)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: RespondOptions) => {
      if (opts.mode && !['notify', 'dry-run', 'auto'].includes(opts.mode))
        throw new Error(`--mode ${opts.mode}: use notify, dry-run or auto`);
      if (!['text', 'json'].includes(opts.format))
        throw new Error(`unknown --format ${opts.format} (use text or json)`);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(opts.event, 'utf8'));
      } catch (err) {
        throw new Error(`cannot read ${opts.event}: ${err instanceof Error ? err.message : String(err)}`);
      }
      // Loaded when the command runs, so that every other command starts without the responder and the SDK.
      const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
      const { parseAnyEvent } = await import('../../responder/event');
      const { createAlertPublisher } = await import('../../responder/publisher');
      const { createContexts } = await import('../../responder/recheck');
      const { respondToEvent } = await import('../../responder/respond');
      const { settingsFromEnv } = await import('../../responder/settings');
      const { auditStoreFrom, clientOptions, cliLogger, snsClient, stateStoreFrom } =
        await import('../../responder/cli-support');
      const { suppressionsFileFor } = await import('../../infra/responder-suppressions');
      const { rules } = await import('../../rules');
      const { loadSuppressions } = await import('../../scan/findings/suppression');
      const event = parseAnyEvent(raw);
      const settings = settingsFromEnv();
      // The deployed responder's suppressions, as `ward scan` finds them; an invalid file stops here (exit 2).
      const suppressionsFile = suppressionsFileFor({ explicit: opts.suppressions, cwd: process.cwd() });
      const suppressions = suppressionsFile ? { entries: loadSuppressions(suppressionsFile, rules) } : undefined;
      const dryRun = opts.mode === 'dry-run';
      // Without AWS_REGION the event's region is the one to talk to (the resource, the tables, the topic).
      const region = event.detail.awsRegion;
      // A dry run records nothing and publishes nothing unless asked to: it must work with nothing deployed.
      const store = dryRun ? (opts.table ? auditStoreFrom(opts, region) : undefined) : auditStoreFrom(opts, region);
      const state = dryRun ? undefined : stateStoreFrom(opts, region);
      if (opts.mode === 'auto' && !store)
        throw new Error(
          '--mode auto changes resources and must record them: pass --table NAME or set WARD_AUDIT_TABLE',
        );
      if (opts.mode === 'auto' && !state)
        throw new Error(
          '--mode auto takes the resource lock and the hourly cap: pass --state-table NAME or set WARD_STATE_TABLE',
        );
      const topic = opts.alertsTopic ?? (dryRun ? undefined : settings.alertsTopicArn);
      const runbookSettings = {
        kmsKeyArn: opts.keyArn ?? settings.kmsKeyArn,
        trustedAccountIds: settings.trustedAccountIds,
      };
      const logger = cliLogger();
      // The runbooks act with the current credentials: a resource of another account is only reported.
      const caller = await new STSClient(clientOptions(region)).send(new GetCallerIdentityCommand({}));
      const result = await respondToEvent(event, {
        settings: { ...settings, kmsKeyArn: runbookSettings.kmsKeyArn, accountId: caller.Account },
        store,
        state,
        publish: topic ? createAlertPublisher(snsClient(region), topic) : undefined,
        contexts: (resource) => createContexts(resource, runbookSettings, logger),
        logger,
        forceMode: opts.mode as ResponseModeType | undefined,
        ...(suppressions ? { suppressions } : {}),
      });
      if (opts.format === 'json') {
        const { alert, ...rest } = result;
        process.stdout.write(
          `${JSON.stringify({ ...rest, alert: alert && { subject: alert.subject, text: alert.text } }, null, 2)}\n`,
        );
      } else process.stdout.write(describeResponse(result));
      process.exitCode = respondExitCode(result);
    });
}
