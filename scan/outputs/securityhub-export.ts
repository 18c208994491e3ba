import type { Writable } from 'node:stream';
import type { AnyRule } from '../../rules/runtime/types';
import type { ScanEvaluation } from '../findings/scan-evaluation';
import { toAsff, type AsffFinding, type AsffContext } from './asff';
import { projectLinks } from './project-links';

/**
 * `--to securityhub`: collects the ASFF finding of every evaluation (all of them, whatever `--min-severity`
 * hides from the report, so nothing is archived by mistake) and imports them at the end.
 */
export class SecurityHubExport {
  private readonly findings: AsffFinding[] = [];
  private readonly ctx: AsffContext;

  constructor(region: string | undefined) {
    this.ctx = {
      now: new Date().toISOString(),
      homeRegion: region ?? 'us-east-1',
      ruleReadme: projectLinks().ruleReadme,
    };
  }

  add(se: ScanEvaluation): void {
    const f = toAsff(se, this.ctx);
    if (f) this.findings.push(f);
  }

  /**
   * Imports; writes one line on stderr; false when anything failed (the scan then exits 2). When the scan was
   * `incomplete` (it did not judge everything asked), what it judged is imported but nothing is archived.
   */
  async send(rules: readonly AnyRule[], stderr: Writable, scan: { incomplete: boolean }): Promise<boolean> {
    const { importFindings } = await import('./securityhub');
    if (scan.incomplete) {
      stderr.write(
        'ward scan: Security Hub: the scan is incomplete, so earlier findings it did not produce are not archived\n',
      );
    }
    try {
      const r = await importFindings(this.findings, {
        rules: rules.map((x) => x.meta.id),
        now: this.ctx.now,
        archiveMissing: !scan.incomplete,
      });
      stderr.write(
        `ward scan: Security Hub: ${r.imported} findings imported, ${r.archived} archived, ${r.failed.length} failed\n`,
      );
      for (const f of r.failed.slice(0, 20))
        stderr.write(`ward scan: Security Hub: failed ${f.id}: ${f.code}: ${f.message}\n`);
      return r.failed.length === 0;
    } catch (err) {
      stderr.write(`ward scan: Security Hub import failed: ${(err as Error).message}\n`);
      return false;
    }
  }
}
