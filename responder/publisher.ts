import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { FormattedAlert } from './alert';

/** Publishes alerts to the alerts topic with a variant per protocol (`MessageStructure: json`). */
export function createAlertPublisher(sns: SNSClient, topicArn: string) {
  return async (alert: FormattedAlert): Promise<string | undefined> => {
    const out = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: alert.subject,
        Message: alert.message,
        MessageStructure: 'json',
      }),
    );
    return out.MessageId;
  };
}
