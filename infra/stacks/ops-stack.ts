import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ruleFunctionName } from '../constructs/rule-function';
import { METRIC_NAMESPACE } from './rules-stack';

/** A queue whose messages mean something failed (dead-letter queue or on-failure destination). */
export interface WatchedQueue {
  readonly id: string;
  readonly queue: IQueue;
}

/** Props of {@link OpsStack}. */
export interface OpsStackProps extends StackProps {
  /** Ids of the deployed rules (their Lambdas are `ward-<id>`). */
  readonly ruleIds: readonly string[];
  /** Queues that receive failed work. */
  readonly failureQueues: readonly WatchedQueue[];
  /** The responder Lambda and its log group, when the responder is deployed. */
  readonly responder?: { readonly function: IFunction; readonly logGroup: ILogGroup };
  /** The alerts topic (the responder's); when absent this stack creates one with these subscriptions. */
  readonly alertsTopic?: ITopic;
  readonly alertEmails?: readonly string[];
  readonly alertHttpsEndpoints?: readonly string[];
}

/**
 * ward's own operations: alarms on rule Lambda errors and throttles, on messages in any failure queue, and on
 * responder failures, all to the one alerts topic; a dashboard of evaluations per rule, non-compliant counts,
 * and remediations by outcome.
 */
export class OpsStack extends Stack {
  readonly alertsTopic: ITopic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);
    this.alertsTopic = props.alertsTopic ?? this.createAlertsTopic(props);
    const action = new SnsAction(this.alertsTopic);
    const alarm = (name: string, metric: Metric, description: string) => {
      const a = new Alarm(this, name, {
        alarmName: `ward-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };
    const lambdaMetric = (fn: string, metricName: string) =>
      new Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: fn },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });

    for (const ruleId of props.ruleIds) {
      const fn = ruleFunctionName(ruleId);
      alarm(`${ruleId}-errors`, lambdaMetric(fn, 'Errors'), `${fn} failed (see its log group).`);
      alarm(`${ruleId}-throttles`, lambdaMetric(fn, 'Throttles'), `${fn} was throttled.`);
    }
    for (const { id: queueId, queue } of props.failureQueues)
      alarm(
        `${queueId}-messages`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `Failed work is waiting in ${queueId}: read the messages for the error, fix, then redrive or delete.`,
      );
    if (props.responder) {
      alarm(
        'responder-errors',
        props.responder.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        'The ward responder failed on a compliance change.',
      );
      new MetricFilter(this, 'ResponderOutcomes', {
        logGroup: props.responder.logGroup,
        filterPattern: FilterPattern.stringValue('$.msg', '=', 'event handled'),
        metricNamespace: METRIC_NAMESPACE,
        metricName: 'Responses',
        metricValue: '1',
        dimensions: { Action: '$.action', Outcome: '$.outcome' },
      });
    }

    const search = (expression: string, label: string, period: Duration) =>
      new MathExpression({ expression, label, period, usingMetrics: {} });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `ward-${this.region}`,
      widgets: [
        [
          new TextWidget({
            markdown:
              '# ward\nEvaluations per rule, non-compliant results, remediations and the health of ward itself.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Evaluations per rule and result',
            width: 12,
            left: [
              search(
                `SEARCH('{${METRIC_NAMESPACE},Compliance,Rule} MetricName="Evaluations"', 'Sum', 3600)`,
                'evaluations',
                Duration.hours(1),
              ),
            ],
          }),
          new GraphWidget({
            title: 'Non-compliant results per rule',
            width: 12,
            left: [
              search(
                `SEARCH('{${METRIC_NAMESPACE},Compliance,Rule} MetricName="Evaluations" Compliance="NON_COMPLIANT"', 'Sum', 3600)`,
                'non-compliant',
                Duration.hours(1),
              ),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: 'Responder: actions and outcomes (remediations)',
            width: 12,
            left: [
              search(
                `SEARCH('{${METRIC_NAMESPACE},Action,Outcome} MetricName="Responses"', 'Sum', 3600)`,
                'responses',
                Duration.hours(1),
              ),
            ],
          }),
          new GraphWidget({
            title: 'Rule Lambdas: errors and throttles',
            width: 12,
            left: props.ruleIds.flatMap((r) => [
              lambdaMetric(ruleFunctionName(r), 'Errors'),
              lambdaMetric(ruleFunctionName(r), 'Throttles'),
            ]),
          }),
        ],
      ],
    });
  }

  private createAlertsTopic(props: OpsStackProps): Topic {
    const key = new Key(this, 'AlertsKey', {
      description: 'ward alerts topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new Topic(this, 'Alerts', { topicName: 'ward-alerts', masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    for (const e of props.alertEmails ?? []) topic.addSubscription(new EmailSubscription(e));
    for (const u of props.alertHttpsEndpoints ?? []) topic.addSubscription(new UrlSubscription(u));
    return topic;
  }
}
