import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyRule } from '../../rules/runtime/types';

/** The sample events of examples/events. */
function sample(root: string, name: string): Record<string, unknown> | undefined {
  const file = join(root, 'examples', 'events', name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

/** The configuration items of the sample account (examples/config-snapshot.json), or none. */
function sampleItems(root: string): Record<string, unknown>[] {
  const file = join(root, 'examples', 'config-snapshot.json');
  if (!existsSync(file)) return [];
  return (
    (JSON.parse(readFileSync(file, 'utf8')) as { configurationItems?: Record<string, unknown>[] }).configurationItems ??
    []
  );
}

/** A change notification (event form) around a configuration item, as Config invokes a rule Lambda. */
function changeNotification(configurationItem: Record<string, unknown>): Record<string, unknown> {
  const accountId = String(configurationItem.awsAccountId ?? '111122223333');
  return {
    invokingEvent: JSON.stringify({
      configurationItemDiff: null,
      configurationItem,
      notificationCreationTime: '2026-11-20T12:00:01.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    }),
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:us-east-1:${accountId}:config-rule/config-rule-bench`,
    configRuleId: 'config-rule-bench',
    accountId,
    version: '1.0',
  };
}

/**
 * A real-shaped Config event for a rule, with resultToken TESTMODE, as Config would send it:
 * - change-triggered rules: the sample change notification (examples/events) when the rule judges its resource
 *   type, else a change notification of the first item of the sample account (examples/config-snapshot.json)
 *   whose type the rule judges, in the order of `meta.resourceTypes`;
 * - periodic-only rules: the sample scheduled notification.
 * A minimal item of the rule's first type is the last resort (a checkout without the samples).
 * `ruleParameters` is the JSON of `inputParameters`: pass the InputParameters the deployment gives the rule.
 */
export function ruleEvent(
  rule: AnyRule,
  root: string,
  inputParameters: Record<string, string> = {},
): Record<string, unknown> {
  const name = {
    configRuleName: `ward-${rule.meta.id}`,
    resultToken: 'TESTMODE',
    ruleParameters: JSON.stringify(inputParameters),
  };
  if (!rule.meta.trigger.onChange) {
    const scheduled = sample(root, 'scheduled-notification.json');
    if (scheduled) return { ...scheduled, ...name };
  }
  const change = sample(root, 'change-notification.json');
  if (change) {
    const ci = (JSON.parse(String(change.invokingEvent)) as { configurationItem: { resourceType: string } })
      .configurationItem;
    if (rule.meta.resourceTypes.includes(ci.resourceType)) return { ...change, ...name };
  }
  const items = sampleItems(root);
  for (const type of rule.meta.resourceTypes) {
    const item = items.find((i) => i.resourceType === type);
    if (item) return { ...changeNotification(item), ...name };
  }
  const type = rule.meta.resourceTypes[0] ?? 'AWS::S3::Bucket';
  return {
    ...changeNotification({
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: '2026-11-20T12:00:00.000Z',
      configurationItemStatus: 'OK',
      awsAccountId: '111122223333',
      awsRegion: 'us-east-1',
      resourceType: type,
      resourceId: 'bench-resource',
      resourceName: 'bench-resource',
      ARN: `arn:aws:${type.split('::')[1].toLowerCase()}:us-east-1:111122223333:bench-resource`,
      tags: {},
      relationships: [],
      configuration: {},
      supplementaryConfiguration: {},
    }),
    ...name,
  };
}

/** The responder's sample SNS event, if present. */
export function responderEvent(root: string): Record<string, unknown> | undefined {
  return sample(root, 'compliance-change-s3-unencrypted.sns.json');
}
