import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { defaultProductArn, GENERATOR_PREFIX, type AsffFinding } from './asff';
import { callerAccountClients, isNoClient, type SecurityHubClients } from './securityhub-clients';

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
  /** Findings not imported because their account had no client (exit 2 like a failure). */
  readonly notImported: readonly NotImported[];
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

/** Findings of one account and region that were not imported because there was no client for them. */
export interface NotImported {
  readonly account: string;
  readonly region: string;
  readonly findings: number;
  readonly reason: string;
}

/** Options of {@link importFindings}. */
export interface ImportOptions {
  readonly rules: readonly string[];
  readonly now: string;
  /**
   * A client per account and region (default: {@link callerAccountClients}, the credentials in use, which
   * import the caller's own findings only). An organization scan passes clients on each member's role.
   */
  readonly clients?: SecurityHubClients;
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
 * At most {@link IMPORT_LIMITS}.callsPerSecond calls a second over all clients: the quota is per account and
 * region, and accounts are imported one after another, so one pace keeps every client within it.
 */
function pacer(sleep: (ms: number) => Promise<void>): () => Promise<void> {
  let lastCall = 0;
  return async () => {
    const wait = lastCall + 1000 / IMPORT_LIMITS.callsPerSecond - Date.now();
    if (wait > 0) await sleep(wait);
    lastCall = Date.now();
  };
}

/** ASFF findings grouped by account, then region, in first-seen order. */
function byAccountAndRegion(findings: readonly AsffFinding[]): Map<string, Map<string, AsffFinding[]>> {
  const out = new Map<string, Map<string, AsffFinding[]>>();
  for (const f of findings) {
    let regions = out.get(f.AwsAccountId);
    if (regions === undefined) out.set(f.AwsAccountId, (regions = new Map()));
    const list = regions.get(f.Region) ?? [];
    list.push(f);
    regions.set(f.Region, list);
  }
  return out;
}

/**
 * Imports a run's ASFF findings into each account's default product, account by account and region by
 * region, each through that account's client: earlier ward findings of the same rules that this run did not
 * produce are archived; an Id seen before keeps its CreatedAt and FirstObservedAt. Findings of an account with
 * no client are reported in `notImported`, and an account or region whose calls fail has its findings
 * reported failed; the other accounts are still imported.
 */
export async function importFindings(findings: readonly AsffFinding[], options: ImportOptions): Promise<ImportResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const clients = options.clients ?? callerAccountClients();
  const pace = pacer(sleep);
  const failed: FailedImport[] = [];
  const notImported: NotImported[] = [];
  let imported = 0;
  let archived = 0;
  for (const [account, regions] of byAccountAndRegion(findings)) {
    for (const [region, list] of regions) {
      let client: Awaited<ReturnType<SecurityHubClients['clientFor']>>;
      try {
        client = await clients.clientFor(account, region);
      } catch (err) {
        client = { unavailable: (err as Error).message };
      }
      if (isNoClient(client)) {
        notImported.push({ account, region, findings: list.length, reason: client.unavailable });
        continue;
      }
      try {
        const r = await importRegion(client, account, region, list, options, pace);
        imported += r.imported;
        archived += r.archived;
        failed.push(...r.failed);
      } catch (err) {
        // One account's refusal (AccessDenied, Security Hub not enabled) does not stop the others.
        const message = `account ${account} ${region}: ${(err as Error).message}`;
        for (const f of list) failed.push({ id: f.Id, code: (err as Error).name || 'Error', message });
      }
    }
  }
  return { imported, archived, failed, notImported };
}

async function importRegion(
  client: SecurityHubClient,
  account: string,
  region: string,
  list: readonly AsffFinding[],
  options: ImportOptions,
  pace: () => Promise<void>,
): Promise<Omit<ImportResult, 'notImported'>> {
  const failed: FailedImport[] = [];
  let imported = 0;
  let archived = 0;
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
  const retries = options.retries ?? 2;
  for (const batch of batches) {
    let pending = batch;
    for (let attempt = 0; attempt <= retries && pending.length > 0; attempt++) {
      await pace();
      const out = await client.send(new BatchImportFindingsCommand({ Findings: pending as AwsSecurityFinding[] }));
      const failedIds = new Map((out.FailedFindings ?? []).map((x) => [x.Id ?? '', x]));
      for (const f of pending) {
        if (failedIds.has(f.Id)) continue;
        if (goneIds.has(f.Id)) archived++;
        else imported++;
      }
      const next = pending.filter((f) => failedIds.has(f.Id));
      if (attempt === retries) {
        for (const f of next) {
          const x = failedIds.get(f.Id);
          failed.push({ id: f.Id, code: x?.ErrorCode ?? 'Failed', message: x?.ErrorMessage ?? 'failed' });
        }
      }
      pending = next;
    }
  }
  return { imported, archived, failed };
}
