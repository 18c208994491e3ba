import type { Writable } from 'node:stream';
import type { AnyRule } from '../../rules/runtime/types';
import type { ScanEvaluation } from '../findings/scan-evaluation';
import { toAsff, type AsffFinding, type AsffContext } from './asff';
import { projectLinks } from './project-links';
import type { SecurityHubClients } from './securityhub-clients';

/**
 * `--to securityhub`: collects the ASFF finding of every evaluation (all of them, whatever `--min-severity`
 * hides from the report, so nothing is archived by mistake) and imports them at the end.
 */
export class SecurityHubExport {
  private readonly findings: AsffFinding[] = [];
  private readonly ctx: AsffContext;

  /**
   * @param region where findings of global (IAM) resources are imported.
   * @param clients a Security Hub client per account and region; default: the credentials in use, which
   *   import the calling account's findings only (an organization scan passes its members' roles).
   */
  constructor(
    region: string | undefined,
    private readonly clients?: SecurityHubClients,
  ) {
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
        clients: this.clients,
      });
      const notImported = r.notImported.reduce((n, x) => n + x.findings, 0);
      stderr.write(
        `ward scan: Security Hub: ${r.imported} findings imported, ${r.archived} archived, ${r.failed.length} failed` +
          `${notImported > 0 ? `, ${notImported} not imported` : ''}\n`,
      );
      for (const x of r.notImported) {
        stderr.write(
          `ward scan: Security Hub: ${x.findings} findings of account ${x.account} in ${x.region} not imported: ${x.reason}\n`,
        );
      }
      for (const f of r.failed.slice(0, 20))
        stderr.write(`ward scan: Security Hub: failed ${f.id}: ${f.code}: ${f.message}\n`);
      if (r.failed.length > 20) stderr.write(`ward scan: Security Hub: ${r.failed.length - 20} more failed\n`);
      return r.failed.length === 0 && r.notImported.length === 0;
    } catch (err) {
      stderr.write(`ward scan: Security Hub import failed: ${(err as Error).message}\n`);
      return false;
    }
  }
}
