import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyRule } from '../../rules/runtime/types';

/** The sample events of examples/events. */
function sample(root: string, name: string): Record<string, unknown> | undefined {
  const file = join(root, 'examples', 'events', name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

/**
 * A real-shaped Config event for a rule, with resultToken TESTMODE: the sample change notification when the
 * rule judges its resource type, else a change notification of a minimal CI of the rule's first resource
 * type, and the sample scheduled notification for rules that are periodic only.
 */
export function ruleEvent(rule: AnyRule, root: string): Record<string, unknown> {
  const change = sample(root, 'change-notification.json');
  const scheduled = sample(root, 'scheduled-notification.json');
  const name = { configRuleName: `ward-${rule.meta.id}`, resultToken: 'TESTMODE', ruleParameters: '{}' };
  if (change) {
    const ci = (JSON.parse(String(change.invokingEvent)) as { configurationItem: { resourceType: string } })
      .configurationItem;
    if (rule.meta.trigger.onChange && rule.meta.resourceTypes.includes(ci.resourceType)) return { ...change, ...name };
  }
  if (!rule.meta.trigger.onChange && scheduled) return { ...scheduled, ...name };
  const type = rule.meta.resourceTypes[0] ?? 'AWS::S3::Bucket';
  const configurationItem = {
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
  };
  return {
    invokingEvent: JSON.stringify({
      configurationItem,
      messageType: 'ConfigurationItemChangeNotification',
      notificationCreationTime: '2026-11-20T12:00:01.000Z',
      recordVersion: '1.3',
    }),
    eventLeftScope: false,
    executionRoleArn: 'arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
    configRuleArn: 'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-bench',
    configRuleId: 'config-rule-bench',
    accountId: '111122223333',
    version: '1.0',
    ...name,
  };
}

/** The responder's sample SNS event, if present. */
export function responderEvent(root: string): Record<string, unknown> | undefined {
  return sample(root, 'compliance-change-s3-unencrypted.sns.json');
}
