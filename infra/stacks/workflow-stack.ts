/**
 * Stateless: the Step Functions workflows and the functions their tasks run.
 * Apart from the API so that neither stack needs the other's exports: the API
 * starts executions by the state machine's name-derived ARN, and the task
 * functions know nothing of the API.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { ALARM_PERIOD, countAlarm, functionAlarms } from '../constructs/alarms.ts';
import { logDeliveryPolicy, tracingPolicy } from '../constructs/state-machine-policies.ts';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { bucketName, stateMachineName, tableName } from '../config/names.ts';
import { functionEnvironment } from '../config/function-environment.ts';
import type { StageConfig } from '../config/stages.ts';
import { NodeFunction } from '../constructs/node-function.ts';
import { mainTable } from '../definitions/tables.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { type WorkflowDefinition, loadDefinition } from '../workflows/definitions.ts';
import { workflows as allWorkflows } from '../workflows/index.ts';

export interface WorkflowStackProps extends StackProps {
  config: StageConfig;
  /** Its ARN reaches functions as SIGNING_KEY_ID (required configuration); nothing here may use it. */
  signingKey: IKey;
  workflows?: WorkflowDefinition[];
}

/** Task functions run at most this long; the ASL retries them. */
export const TASK_TIMEOUT_SECONDS = 30;

/** Prefix of comparison reports in the Reports bucket (functions/comparisons/render-report.ts). */
export const REPORTS_PREFIX = 'comparisons/';

interface TaskData {
  main: ITable;
  reports: IBucket;
}

interface TaskSettings {
  memoryMb: number;
  /** Exactly what the handler touches. */
  grant: (fn: NodeFunction, data: TaskData) => void;
  /**
   * Alarm on its errors. Off for steps whose errors include expected ones
   * (a StepFailure such as declaration_not_found ends as a failed comparison).
   */
  alarmOnErrors?: boolean;
}

/**
 * Every task handler of every workflow, with its memory and grants. A task
 * missing here fails the synth: new tasks get no permissions by default.
 */
export const TASK_SETTINGS: Record<string, TaskSettings> = {
  'comparisons/load-comparison-input': {
    memoryMb: 512,
    grant: (fn, { main }) => main.grantReadData(fn.role),
  },
  // Pure and small (tens of indicators): milliseconds even at 512 MB's CPU share.
  'comparisons/compare': { memoryMb: 512, grant: () => {} },
  // Builds four documents (HTML and JSON, zh and en): twice the CPU share.
  'comparisons/render-report': {
    memoryMb: 1024,
    grant: (fn, { reports }) => {
      // PutObject only (grantPut would add s3:Abort* and tagging), under the report prefix only.
      const objects = reports.arnForObjects(`${REPORTS_PREFIX}*`);
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
      acknowledgeWildcardResource(
        fn.role,
        objects,
        'Report keys are comparisons/<comparisonId>/report.<lang>.<ext>, made per execution; the grant is PutObject under that prefix of the Reports bucket only.',
      );
    },
  },
  'comparisons/persist-comparison': {
    memoryMb: 512,
    grant: (fn, { main }) => main.grantReadWriteData(fn.role),
  },
  'comparisons/record-comparison-failure': {
    memoryMb: 512,
    grant: (fn, { main }) => main.grantReadWriteData(fn.role),
    // When this step fails for good, the comparison stays running.
    alarmOnErrors: true,
  },
};

export class WorkflowStack extends Stack {
  readonly stateMachines: Record<string, StateMachine> = {};
  /** Task functions by handler path (`comparisons/compare`). */
  readonly taskFunctions: Record<string, NodeFunction> = {};

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { config, signingKey } = props;

    // By name, as the API stack does. Task steps use GetItem, Update and
    // transactions only, so no index permissions (no index/* wildcard).
    const data: TaskData = {
      main: Table.fromTableAttributes(this, 'MainTable', {
        tableName: tableName(config, mainTable.id),
        grantIndexPermissions: false,
      }),
      reports: Bucket.fromBucketName(this, 'ReportsBucket', bucketName(config, 'Reports')),
    };
    const environment = functionEnvironment(config, signingKey);

    for (const workflow of props.workflows ?? allWorkflows) {
      this.addWorkflow(config, workflow, environment, data);
    }
  }

  private addWorkflow(
    config: StageConfig,
    workflow: WorkflowDefinition,
    environment: Record<string, string>,
    data: TaskData,
  ): void {
    const id = workflow.name.charAt(0).toUpperCase() + workflow.name.slice(1);
    const name = stateMachineName(config, workflow.name);

    const substitutions: Record<string, string> = {};
    const functions: NodeFunction[] = [];
    for (const [placeholder, handler] of Object.entries(workflow.tasks)) {
      const settings = TASK_SETTINGS[handler];
      if (!settings) throw new Error(`No TASK_SETTINGS for functions/${handler}.ts (task ${placeholder} of ${workflow.file})`);
      const fn = (this.taskFunctions[handler] ??= this.taskFunction(config, handler, settings, environment, data));
      substitutions[placeholder] = fn.fn.functionArn;
      functions.push(fn);
    }

    // Express history exists only in this log group. ERROR: every failed task
    // attempt and failed execution, with its error and cause (hence execution
    // data on), at a volume bounded by failures. ALL would log ~20 events per
    // comparison, costing more than the executions; the comparison record in
    // DynamoDB is the complete history of every run.
    const logGroup = new LogGroup(this, `${id}StateMachineLogs`, {
      // The vended-logs prefix keeps the account's log resource policy small.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    // Own role and policies: the wildcard-only log-delivery and X-Ray actions
    // sit in their own policies, acknowledged alone; invoke is exact ARNs.
    const role = new Role(this, `${id}StateMachineRole`, {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Runs the ${name} state machine`,
    });
    const invoke = new Policy(this, `${id}InvokePolicy`, {
      statements: [
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          // The ASL calls unqualified ARNs: no version or alias wildcard needed.
          resources: [...new Set(functions)].map((fn) => fn.fn.functionArn),
        }),
      ],
    });
    const logDelivery = logDeliveryPolicy(this, `${id}LogDeliveryPolicy`);
    const tracing = tracingPolicy(this, `${id}TracingPolicy`);
    for (const policy of [invoke, logDelivery, tracing]) role.attachInlinePolicy(policy);

    const stateMachine = new StateMachine(this, `${id}StateMachine`, {
      stateMachineName: name,
      // Express on purpose: ~$1.50 per 10,000 comparisons as Standard (~6
      // transitions each at list price), a few cents as Express. Every step is
      // idempotent, so Express's at-least-once start is safe.
      stateMachineType: StateMachineType.EXPRESS,
      // One source of truth with the local interpreter; tokens become ARNs.
      definitionBody: DefinitionBody.fromString(loadDefinition(workflow.file, substitutions)),
      // Immutable: CDK would otherwise add its own copies of the statements above.
      role: role.withoutPolicyUpdates(),
      logs: { destination: logGroup, level: LogLevel.ERROR, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Creation validates the log destination and role: policies first.
    stateMachine.node.addDependency(invoke, logDelivery, tracing);
    acknowledge(
      stateMachine,
      'AwsSolutions-SF1',
      'Level ERROR on purpose: failures are logged with their cause, and the comparison record in DynamoDB is the full history of every run; ALL would cost more than the Express executions.',
    );
    this.stateMachines[workflow.name] = stateMachine;

    // Express has no execution history to look back at: a timed-out execution
    // never reaches RecordFailure, so its comparison stays running.
    countAlarm(stateMachine, 'TimedOutAlarm', config, `${name} executions timed out (their comparisons stay running)`, stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }), 1);
    // A failed execution has recorded its failure on the comparison (RecordFailure, then
    // Fail): the declaration waits for a re-run, so someone should look at the cause.
    countAlarm(stateMachine, 'FailedAlarm', config, `${name} executions failed (the comparison records say why)`, stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }), config.alarms.functionErrors);
  }

  private taskFunction(
    config: StageConfig,
    handler: string,
    settings: TaskSettings,
    environment: Record<string, string>,
    data: TaskData,
  ): NodeFunction {
    const id = handler
      .split(/[/-]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    const fn = new NodeFunction(this, `${id}Function`, {
      handler,
      config,
      environment,
      memoryMb: settings.memoryMb,
      timeoutSeconds: TASK_TIMEOUT_SECONDS,
      description: `Workflow task: functions/${handler}.ts`,
    });
    settings.grant(fn, data);
    functionAlarms(fn, config, { errors: settings.alarmOnErrors ?? false });
    return fn;
  }
}
