/*
 * Shared fixtures of the `ward scan` tests: real-shaped configuration items (from the sample account
 * fragment), their API form, a small rule registry that exercises the snapshot lookups, and a runner that
 * captures stdout, stderr and the exit code.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { z } from 'zod';
import { runScan, type ScanOptions } from '../../../scan/run';
import { defineRule, exemptionParameters, type Finding, judge } from '../../../rules/runtime';
import type { AnyRule } from '../../../rules/runtime/types';
import { deepFreeze } from '../../fixtures/events/config-events';

/** The items of examples/sample-account/00-base.json (event/snapshot form), deep-frozen. */
export const BASE_ITEMS: readonly Record<string, unknown>[] = deepFreeze(
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'sample-account', '00-base.json'), 'utf8')),
);

/** The first base item with this type and id (or just type). */
export function baseItem(resourceType: string, resourceId?: string): Record<string, unknown> {
  const hit = BASE_ITEMS.find((i) => i.resourceType === resourceType && (!resourceId || i.resourceId === resourceId));
  if (!hit) throw new Error(`no ${resourceType} ${resourceId ?? ''} in the base fragment`);
  return hit;
}

/** A configuration item in the API form (`batch-get-resource-config`), from an event-form item. */
export function toApiForm(item: Record<string, unknown>): Record<string, unknown> {
  const sup = (item.supplementaryConfiguration ?? {}) as Record<string, unknown>;
  return {
    version: item.configurationItemVersion,
    accountId: item.awsAccountId,
    configurationItemCaptureTime: '2026-11-20T09:14:02.118000+00:00',
    configurationItemStatus: item.configurationItemStatus,
    configurationStateId: String(item.configurationStateId),
    arn: item.ARN,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    awsRegion: item.awsRegion,
    availabilityZone: item.availabilityZone,
    configuration: JSON.stringify(item.configuration),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries(sup).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
  };
}

/** A periodic-only rule: a snapshot scan must list it as skipped. */
export const periodicOnlyRule = defineRule({
  meta: {
    id: 'periodic-only-example',
    title: 'Log groups are encrypted',
    rationale: 'Test rule.',
    severity: 'medium',
    resourceTypes: [],
    trigger: { onChange: false, periodic: 'TwentyFour_Hours' },
    parameters: z.object({}),
    permissions: ['logs:DescribeLogGroups'],
    findingCodes: { 'not-encrypted': { description: 'The log group has no KMS key.', severity: 'medium' } },
  },
  evaluate: () => [],
  collect: async () => [],
});

interface LookupFacts {
  readonly missing: string[];
  readonly managers: string[];
}

/**
 * A rule that needs other items of the snapshot: an IAM role's attached customer policies (by ARN) and a
 * bucket's KMS key (through its alias or ARN). Its findings say what the lookups answered.
 */
export const lookupRule = defineRule<z.ZodObject<typeof exemptionParameters>, LookupFacts>({
  meta: {
    id: 'lookup-example',
    title: 'Referenced policies and keys are in the snapshot',
    rationale: 'Test rule.',
    severity: 'low',
    resourceTypes: ['AWS::IAM::Role', 'AWS::S3::Bucket'],
    trigger: { onChange: true },
    parameters: z.object({ ...exemptionParameters }),
    permissions: [],
    findingCodes: {
      'policy-missing': { description: 'An attached policy is not in the snapshot.', severity: 'low' },
      'key-seen': { description: 'The key was found.', severity: 'low' },
    },
  },
  async gather(item, ctx) {
    const missing: string[] = [];
    const managers: string[] = [];
    const attached = (item.configuration?.attachedManagedPolicies ?? []) as { policyArn: string }[];
    for (const a of attached) {
      if (a.policyArn.includes(':aws:policy/')) continue;
      const hit = await ctx.resources?.findByArn('AWS::IAM::Policy', a.policyArn);
      if (!hit) missing.push(a.policyArn);
    }
    const rules = (item.supplementaryConfiguration.ServerSideEncryptionConfiguration as { rules?: unknown[] })?.rules;
    for (const r of (rules ?? []) as { applyServerSideEncryptionByDefault?: { kmsMasterKeyID?: string } }[]) {
      const ref = r.applyServerSideEncryptionByDefault?.kmsMasterKeyID;
      if (ref)
        managers.push(
          String((await ctx.keys.describe(ref, { accountId: item.accountId, region: item.awsRegion }))?.manager),
        );
    }
    return { missing, managers };
  },
  evaluate({ item, facts }) {
    const findings: Finding[] = facts.missing.map((arn) => ({ code: 'policy-missing', message: arn }));
    for (const m of facts.managers) findings.push({ code: 'key-seen', message: `key manager ${m}` });
    return [judge(item, findings, 'All references found.')];
  },
});

/** SNS topics have a KMS key (a stand-in for the real rules, whose findings evolve on their own). */
export const topicKeyRule = defineRule({
  meta: {
    id: 'topic-key-example',
    title: 'SNS topics are encrypted with KMS',
    rationale: 'Test rule.',
    severity: 'high',
    resourceTypes: ['AWS::SNS::Topic'],
    trigger: { onChange: true },
    parameters: z.object({ ...exemptionParameters }),
    permissions: [],
    findingCodes: { 'no-kms-key': { description: 'The topic has no KmsMasterKeyId.', severity: 'high' } },
  },
  evaluate({ item }) {
    const findings: Finding[] = item.configuration?.KmsMasterKeyId
      ? []
      : [{ code: 'no-kms-key', message: 'SNS topic has no KmsMasterKeyId.', path: 'configuration.KmsMasterKeyId' }];
    return [judge(item, findings, 'Encrypted with KMS.', 'high')];
  },
});

/** The registry the scan tests use. */
export const TEST_RULES: readonly AnyRule[] = [topicKeyRule as AnyRule, lookupRule as AnyRule, periodicOnlyRule];

/** What a scan printed and returned. */
export interface ScanResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ward scan` in-process with captured streams. */
export async function scan(
  inputs: readonly string[],
  options: ScanOptions = {},
  stdinText = '',
  rules: readonly AnyRule[] = TEST_RULES,
): Promise<ScanResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runScan(inputs, options, {
    stdin: Readable.from([Buffer.from(stdinText)]),
    stdout,
    stderr,
    env: {},
    registry: rules,
  });
  return { code, stdout: out, stderr: err };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ward-scan-test-'));
}

/** A snapshot document as Config delivers it to S3. */
export function snapshotOf(items: readonly unknown[]): string {
  return JSON.stringify({
    fileVersion: '1.0',
    configSnapshotId: 'c0ffee00-0000-4000-8000-000000000001',
    configurationItems: items,
  });
}
