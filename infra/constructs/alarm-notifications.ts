/**
 * Every CloudWatch alarm of the app notifies the stage's alarm topic, when it
 * fires and when it recovers. An aspect rather than a line per alarm: an alarm
 * added anywhere later cannot be forgotten.
 */
import { type IAspect } from 'aws-cdk-lib';
import { Alarm, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';

export class NotifyAlarmTopic implements IAspect {
  private readonly action: IAlarmAction;

  /** `topicArn` is built from the topic's name (infra/config/names.ts): no export between stacks. */
  constructor(topicArn: string) {
    this.action = { bind: () => ({ alarmActionArn: topicArn }) };
  }

  visit(node: IConstruct): void {
    if (node instanceof Alarm) {
      node.addAlarmAction(this.action);
      node.addOkAction(this.action);
    }
  }
}
