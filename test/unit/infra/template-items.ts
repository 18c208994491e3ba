/*
 * Event-form configuration items of a synthesized template, for running ward's own rules over ward's own
 * resources: a thin wrapper over the scanner's CloudFormation input (scan/inputs/cloudformation.ts), which
 * resolves intrinsics against an account and region and attaches policies to their targets.
 */
import type { ConfigurationItem } from '../../../rules/runtime/configuration-item';
import { templateItems as cloudFormationItems } from '../../../scan/inputs/cloudformation';

/** The event-form CIs of the resources ward's rules judge, built from one template (first branch of each `Fn::If`). */
export function templateItems(template: Record<string, unknown>, account: string, region: string): ConfigurationItem[] {
  const { items } = cloudFormationItems(
    { file: 'template.json', template },
    { target: { accountId: account, region, stackName: 'ward' } },
  );
  const seen = new Set<string>();
  return items
    .filter((t) => {
      const key = `${t.item.resourceType}|${t.item.resourceId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((t) => t.item);
}
