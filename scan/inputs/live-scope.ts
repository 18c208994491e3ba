import type { Logger } from '../../rules/runtime/logger';
import type { AnyRule, Evaluation } from '../../rules/runtime/types';
import type { EvaluationSource as FindingSource } from '../findings/scan-evaluation';

/**
 * Where an evaluation's resource lives: every evaluation of an organization scan carries the account and
 * region scanned, and the configuration item judged when there is one (scan/findings/identity.ts).
 */
export interface EvaluationSource extends FindingSource {
  readonly accountId: string;
  readonly region: string;
}

/** How one account and region of a live scan ended (the summary by account and region). */
export interface ScopeRow {
  readonly accountId: string;
  /** The region, or `*` for an account that failed before any region. */
  readonly region: string;
  /** `incomplete`: scanned, but some part failed (see the errors); `failed`: nothing could be read. */
  readonly status: 'scanned' | 'incomplete' | 'failed' | 'not-enabled';
  readonly evaluations: number;
  readonly nonCompliant: number;
  readonly errors: number;
}

/** Progress of a multi-account scan, for the bar on a terminal. */
export interface ScopeProgress {
  readonly accounts: { readonly done: number; readonly total: number };
  readonly regions: { readonly done: number; readonly total: number };
  readonly items: number;
}

/** What every multi-account or aggregator scan is told and reports back through. */
export interface ScopeScanOptions {
  readonly rules: readonly AnyRule[];
  /** The rule's parameters (raw: they are parsed against the rule's schema). */
  paramsFor(rule: AnyRule): unknown;
  readonly logger: Logger;
  /** Region for STS, Organizations, account and aggregator calls (default credentials' region). */
  readonly homeRegion: string;
  /** Cap on API calls and account-regions in flight. */
  readonly concurrency: number;
  onEvaluation(rule: AnyRule, evaluation: Evaluation, source: EvaluationSource): void;
  /** Something asked for was not done (a region, an account, a type, a batch): the scan exits 2. */
  onError(message: string): void;
  /** Something the user should know that is not a failure (a disabled region skipped). */
  onNote(message: string): void;
  onSkipped(rule: AnyRule, reason: string): void;
  onProgress?(progress: ScopeProgress): void;
  /** One row of the summary by account and region, when that account-region is finished. */
  onScope?(row: ScopeRow): void;
}

/** Counts one account-region's evaluations and errors into a {@link ScopeRow}. */
export class ScopeTally {
  evaluations = 0;
  nonCompliant = 0;
  errors = 0;
  constructor(
    readonly accountId: string,
    readonly region: string,
  ) {}

  /** Counts an evaluation. */
  add(e: Evaluation): void {
    this.evaluations++;
    if (e.compliance === 'NON_COMPLIANT') this.nonCompliant++;
  }

  /** The row, `incomplete` when any error was counted. */
  row(): ScopeRow {
    return {
      accountId: this.accountId,
      region: this.region,
      status: this.errors > 0 ? 'incomplete' : 'scanned',
      evaluations: this.evaluations,
      nonCompliant: this.nonCompliant,
      errors: this.errors,
    };
  }
}
