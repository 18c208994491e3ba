import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AsffFinding } from '../scan/outputs/asff';
import type { Forwarder } from './forward';

// Loaded on the first forward only: a responder with forwarding off never loads the client.
let client: Promise<typeof import('@aws-sdk/client-securityhub')> | undefined;
const securityhub = () => (client ??= import('@aws-sdk/client-securityhub'));

/**
 * The production {@link Forwarder}: BatchImportFindings with the Lambda's own credentials, in the finding's
 * region (one client per region, kept warm). The SDK retries throttling and transient errors (5 attempts);
 * a finding listed in FailedFindings is reported, not retried (the next change or scan imports it again).
 */
export function createSecurityHubForwarder(): Forwarder {
  const clients = new Map<string, SecurityHubClient>();
  return async (finding: AsffFinding) => {
    const sdk = await securityhub();
    let c = clients.get(finding.Region);
    if (!c) {
      c = new sdk.SecurityHubClient({
        region: finding.Region,
        maxAttempts: 5,
      });
      clients.set(finding.Region, c);
    }
    const out = await c.send(new sdk.BatchImportFindingsCommand({ Findings: [finding as AwsSecurityFinding] }));
    const failed = out.FailedFindings?.find((f) => f.Id === finding.Id) ?? out.FailedFindings?.[0];
    return failed ? { failed: { code: failed.ErrorCode ?? 'Failed', message: failed.ErrorMessage ?? 'failed' } } : {};
  };
}
