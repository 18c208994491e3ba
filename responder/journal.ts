import type { AuditStep, StepName } from './audit-steps';
import type { AuditStore } from './audit-store';

/** A step as written by the responder: the journal adds the audit id and the time. */
export type StepInput<N extends StepName = StepName> = N extends StepName
  ? Omit<Extract<AuditStep, { step: N }>, 'auditId' | 'at'>
  : never;

/** A response in progress: its history so far, appended to as steps are written. */
export class Journal {
  readonly steps: AuditStep[] = [];

  constructor(
    private readonly store: AuditStore | undefined,
    readonly auditId: string,
    private readonly clock: () => Date,
  ) {}

  /** Writes a step once; undefined when a concurrent attempt already wrote it. */
  async write<S extends StepInput>(step: S): Promise<Extract<AuditStep, { step: S['step'] }> | undefined> {
    const full = { ...step, auditId: this.auditId, at: this.clock().toISOString() } as unknown as Extract<
      AuditStep,
      { step: S['step'] }
    >;
    if (this.store && !(await this.store.append(full))) return undefined;
    this.steps.push(full);
    return full;
  }
}
