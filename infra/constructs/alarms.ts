/**
 * The platform's alarms, in one shape: a count over five minutes that reaches
 * a threshold, silent while there is no data. Every alarm notifies the stage's
 * topic (infra/constructs/alarm-notifications.ts).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages.ts';
import type { NodeFunction } from './node-function.ts';

export const ALARM_PERIOD = Duration.minutes(5);

export function countAlarm(
  scope: Construct,
  id: string,
  config: StageConfig,
  description: string,
  metric: IMetric,
  threshold: number,
): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `${config.prefix}: ${description}`,
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

export interface FunctionAlarmOptions {
  /** Where the alarms live (their logical ids follow it); the function by default. */
  scope?: Construct;
  /** Off for functions whose errors include expected ones. */
  errors?: boolean;
  /** Said after the errors alarm's description, e.g. who retries. */
  errorsNote?: string;
  /** Off where throttling is the intended backpressure. */
  throttles?: boolean;
}

/** ErrorsAlarm and ThrottlesAlarm of a function, at the stage's thresholds. */
export function functionAlarms(fn: NodeFunction, config: StageConfig, options: FunctionAlarmOptions = {}): void {
  const scope = options.scope ?? fn;
  const source = `functions/${fn.handlerName}.ts`;
  if (options.errors ?? true) {
    const note = options.errorsNote ? ` (${options.errorsNote})` : '';
    countAlarm(scope, 'ErrorsAlarm', config, `errors in ${source}${note}`, fn.fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }), config.alarms.functionErrors);
  }
  if (options.throttles ?? true) {
    countAlarm(scope, 'ThrottlesAlarm', config, `throttles of ${source}`, fn.fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }), config.alarms.functionThrottles);
  }
}

/** Any message waiting in a dead-letter queue. */
export function deadLetterAlarm(scope: Construct, id: string, config: StageConfig, queue: IQueue, description: string): Alarm {
  return countAlarm(scope, id, config, description, queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }), 1);
}
