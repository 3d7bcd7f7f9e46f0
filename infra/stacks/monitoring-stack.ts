/**
 * One CloudWatch dashboard for the stage: API traffic and latency, functions,
 * workflows, tables and dead letters. Every metric is found by name (API and
 * table names, state machine ARNs, a SEARCH over names starting with the
 * stage prefix), so this stack takes no export from the others and a new
 * function or queue appears on the dashboard without a change here.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  type IMetric,
  PeriodOverride,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { dashboardName, stateMachineArn, tableName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';
import { tables } from '../definitions/tables.ts';
import { workflows } from '../workflows/index.ts';

export interface MonitoringStackProps extends StackProps {
  config: StageConfig;
}

const period = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

export class MonitoringStack extends Stack {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: dashboardName(config),
      defaultInterval: Duration.hours(3),
      periodOverride: PeriodOverride.AUTO,
    });

    const api = (metricName: string, statistic: string, label = metricName) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: `${config.prefix}-api`, Stage: config.stage },
        statistic,
        period,
        label,
      });
    // Every function, queue and log of the stage has a name starting with its prefix.
    const search = (namespace: string, dimension: string, metricName: string, statistic: string, label: string): IMetric =>
      new MathExpression({
        expression: `SEARCH('{${namespace},${dimension}} MetricName="${metricName}" "${config.prefix}"', '${statistic}', ${period.toSeconds()})`,
        label,
        period,
      });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Benchmarking platform, ${config.stage}\nAlarms notify the \`${config.prefix}-alarms\` topic. Batches and comparisons also keep their own status records (GET /v1/batches/{id}, GET /v1/comparisons/{id}).`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('API requests', [api('Count', 'Sum', 'requests')], [api('4XXError', 'Sum', '4xx'), api('5XXError', 'Sum', '5xx')]),
      graph('API latency (ms)', [
        api('Latency', 'p50', 'p50'),
        api('Latency', 'p99', 'p99'),
        api('IntegrationLatency', 'p99', 'integration p99'),
      ]),
      graph('API cache (authorizer excluded)', [api('CacheHitCount', 'Sum', 'hits'), api('CacheMissCount', 'Sum', 'misses')]),
    );
    this.dashboard.addWidgets(
      graph('Function errors', [search('AWS/Lambda', 'FunctionName', 'Errors', 'Sum', '')]),
      graph('Function throttles', [search('AWS/Lambda', 'FunctionName', 'Throttles', 'Sum', '')]),
      graph('Function duration p99 (ms)', [search('AWS/Lambda', 'FunctionName', 'Duration', 'p99', '')]),
    );
    const machines = workflows.map((workflow) => ({
      name: workflow.name,
      metric: (metricName: string) =>
        new Metric({
          namespace: 'AWS/States',
          metricName,
          dimensionsMap: { StateMachineArn: stateMachineArn(config, workflow.name) },
          statistic: 'Sum',
          period,
          label: `${workflow.name} ${metricName.replace('Executions', '').toLowerCase()}`,
        }),
    }));
    this.dashboard.addWidgets(
      graph('Workflow executions', machines.map((machine) => machine.metric('ExecutionsStarted'))),
      graph(
        'Workflow failures',
        machines.flatMap((machine) => [machine.metric('ExecutionsFailed'), machine.metric('ExecutionsTimedOut')]),
      ),
      graph('Queues: messages waiting (dead letters, webhook deliveries)', [
        search('AWS/SQS', 'QueueName', 'ApproximateNumberOfMessagesVisible', 'Maximum', ''),
      ]),
    );
    const table = (id: string, metricName: string, label: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: tableName(config, id) },
        statistic: 'Sum',
        period,
        label: `${id} ${label}`,
      });
    this.dashboard.addWidgets(
      graph('Table write units', tables.map((definition) => table(definition.id, 'ConsumedWriteCapacityUnits', 'writes'))),
      graph('Table read units', tables.map((definition) => table(definition.id, 'ConsumedReadCapacityUnits', 'reads'))),
      graph(
        'Table throttle events',
        tables.flatMap((definition) => [
          table(definition.id, 'ReadThrottleEvents', 'read throttles'),
          table(definition.id, 'WriteThrottleEvents', 'write throttles'),
        ]),
      ),
    );
  }
}

function graph(title: string, left: IMetric[], right: IMetric[] = []): GraphWidget {
  return new GraphWidget({ title, left, right, width: WIDTH, height: HEIGHT });
}
