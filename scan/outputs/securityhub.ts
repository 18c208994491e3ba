import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProductArn, GENERATOR_PREFIX, type AsffFinding } from './asff';

/** BatchImportFindings limits (Security Hub API reference). */
export const IMPORT_LIMITS = {
  findings: 100,
  callBytes: 6 * 1024 * 1024,
  findingBytes: 240 * 1024,
  callsPerSecond: 10,
};

/** Fields the customer owns on a finding: never sent by ward, removed from a finding it re-imports. */
const CUSTOMER_FIELDS = [
  'Workflow',
  'WorkflowState',
  'Note',
  'UserDefinedFields',
  'VerificationState',
  'Criticality',
  'Confidence',
];

/** A finding that could not be imported, and why. */
export interface FailedImport {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** What an import did. */
export interface ImportResult {
  readonly imported: number;
  /** Earlier ward findings of this scope archived because this run no longer produced them. */
  readonly archived: number;
  readonly failed: readonly FailedImport[];
}

/**
 * Splits findings into BatchImportFindings calls: at most 100 findings and 6 MB a call; a finding over
 * 240 KB cannot be imported and is returned as failed.
 */
export function batchFindings<T>(findings: readonly T[], limits = IMPORT_LIMITS): { batches: T[][]; tooLarge: T[] } {
  const batches: T[][] = [];
  const tooLarge: T[] = [];
  let batch: T[] = [];
  let bytes = 2;
  for (const f of findings) {
    const size = Buffer.byteLength(JSON.stringify(f), 'utf8') + 1;
    if (size > limits.findingBytes) {
      tooLarge.push(f);
      continue;
    }
    if (batch.length >= limits.findings || bytes + size > limits.callBytes) {
      batches.push(batch);
      batch = [];
      bytes = 2;
    }
    batch.push(f);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, tooLarge };
}

/**
 * Ward's active findings of this scope among those Security Hub returned: the filter is sent to Security Hub
 * and applied again here, so a server that ignores filters (moto) cannot make ward archive what is not its own.
 */
export function wardActiveFindings(
  findings: readonly AwsSecurityFinding[],
  scope: { productArn: string; account: string; rules: readonly string[] },
): AwsSecurityFinding[] {
  return findings.filter(
    (f) =>
      f.ProductArn === scope.productArn &&
      f.AwsAccountId === scope.account &&
      f.RecordState === 'ACTIVE' &&
      typeof f.GeneratorId === 'string' &&
      f.GeneratorId.startsWith(GENERATOR_PREFIX) &&
      scope.rules.includes(f.GeneratorId.slice(GENERATOR_PREFIX.length)),
  );
}

/** The archived copy of an earlier finding: same Id, RecordState ARCHIVED, without customer-owned fields. */
export function archivedCopy(f: AwsSecurityFinding, now: string): AsffFinding {
  const copy: Record<string, unknown> = { ...f, RecordState: 'ARCHIVED', UpdatedAt: now };
  for (const k of CUSTOMER_FIELDS) delete copy[k];
  // Fields Security Hub computes itself are not accepted on import.
  for (const k of [
    'ProcessedAt',
    'ProductName',
    'CompanyName',
    'WorkflowState',
    'FindingProviderFields',
    'Sample',
    'GeneratorDetails',
  ])
    delete copy[k];
  return copy as AsffFinding;
}

/** Options of {@link importFindings}. */
export interface ImportOptions {
  readonly rules: readonly string[];
  readonly now: string;
  /** Client per region (tests pass moto's). */
  readonly client?: (region: string) => SecurityHubClient;
  /** The calling account (default: STS GetCallerIdentity). */
  readonly account?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Extra attempts for findings BatchImportFindings reports failed. */
  readonly retries?: number;
  /**
   * Archive earlier ward findings this run did not produce (default true). False for a scan that did not judge
   * everything it was asked: a finding missing from it proves nothing, so nothing is archived.
   */
  readonly archiveMissing?: boolean;
}

/**
 * Imports a run's ASFF findings into the default product of the calling account, region by region:
 * earlier ward findings of the same rules that this run did not produce are archived; an Id seen before keeps
 * its CreatedAt and FirstObservedAt. Findings of another account are not imported (BatchImportFindings must
 * be called from the finding's own account) and are reported failed.
 */
export async function importFindings(findings: readonly AsffFinding[], options: ImportOptions): Promise<ImportResult> {
  const account = options.account ?? (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Account ?? '';
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const clientFor = options.client ?? ((region: string) => new SecurityHubClient({ region, maxAttempts: 5 }));
  const failed: FailedImport[] = [];
  const byRegion = new Map<string, AsffFinding[]>();
  for (const f of findings) {
    if (f.AwsAccountId !== account) {
      failed.push({
        id: f.Id,
        code: 'OtherAccount',
        message: `account ${f.AwsAccountId} is not the caller's (${account}): import it with that account's credentials`,
      });
      continue;
    }
    const list = byRegion.get(f.Region) ?? [];
    list.push(f);
    byRegion.set(f.Region, list);
  }
  let imported = 0;
  let archived = 0;
  let lastCall = 0;
  const pace = async () => {
    const wait = lastCall + 1000 / IMPORT_LIMITS.callsPerSecond - Date.now();
    if (wait > 0) await sleep(wait);
    lastCall = Date.now();
  };
  for (const [region, list] of byRegion) {
    const client = clientFor(region);
    const productArn = defaultProductArn(account, region);
    const existing = new Map<string, AwsSecurityFinding>();
    let token: string | undefined;
    do {
      await pace();
      const page = await client.send(
        new GetFindingsCommand({
          Filters: {
            ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
            AwsAccountId: [{ Value: account, Comparison: 'EQUALS' }],
            GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
            RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          },
          MaxResults: 100,
          NextToken: token,
        }),
      );
      for (const f of wardActiveFindings(page.Findings ?? [], { productArn, account, rules: options.rules })) {
        if (f.Id) existing.set(f.Id, f);
      }
      token = page.NextToken;
    } while (token);
    const produced = new Set(list.map((f) => f.Id));
    const toSend: AsffFinding[] = list.map((f) => {
      const before = existing.get(f.Id);
      return before
        ? {
            ...f,
            CreatedAt: before.CreatedAt ?? f.CreatedAt,
            FirstObservedAt: before.FirstObservedAt ?? f.FirstObservedAt,
          }
        : f;
    });
    const gone = [...existing.values()]
      .filter((f) => options.archiveMissing !== false && f.Id && !produced.has(f.Id))
      .map((f) => archivedCopy(f, options.now));
    const { batches, tooLarge } = batchFindings([...toSend, ...gone]);
    for (const f of tooLarge)
      failed.push({ id: f.Id, code: 'TooLarge', message: `over ${IMPORT_LIMITS.findingBytes} bytes` });
    const goneIds = new Set(gone.map((f) => f.Id));
    for (const batch of batches) {
      let pending = batch;
      for (let attempt = 0; attempt <= (options.retries ?? 2) && pending.length > 0; attempt++) {
        await pace();
        const out = await client.send(new BatchImportFindingsCommand({ Findings: pending as AwsSecurityFinding[] }));
        const failedIds = new Map((out.FailedFindings ?? []).map((x) => [x.Id ?? '', x]));
        for (const f of pending) {
          if (failedIds.has(f.Id)) continue;
          if (goneIds.has(f.Id)) archived++;
          else imported++;
        }
        const next = pending.filter((f) => failedIds.has(f.Id));
        if (attempt === (options.retries ?? 2)) {
          for (const f of next) {
            const x = failedIds.get(f.Id);
            failed.push({ id: f.Id, code: x?.ErrorCode ?? 'Failed', message: x?.ErrorMessage ?? 'failed' });
          }
        }
        pending = next;
      }
    }
  }
  return { imported, archived, failed };
}
