/**
 * Stateless: the batch ingestion workflow (infra/workflows/batch.asl.json) and
 * the functions its tasks run. Its own stack because it differs from the
 * comparison workflow in kind: a Standard state machine whose Distributed Map
 * starts Express child executions of itself.
 *
 * The upload reaches it through the events stack: the Batches bucket sends its
 * object-created events to EventBridge, a rule there invokes
 * batches/start-ingestion (with retries and a dead-letter queue), which starts
 * this state machine by its name-derived ARN. Nothing here references the
 * bucket or the events stack, so there is no cycle: stateful ← batches ← events.
 *
 * Protecting DynamoDB: the Map's concurrency (MAP_CONCURRENCY, through the
 * split's output) bounds the chunks of one batch in flight; the chunk
 * function's reserved concurrency (CHUNK_CONCURRENCY) bounds all batches
 * together (README, "Batch capacity"). A throttled chunk waits in the ASL's
 * retry of Lambda.TooManyRequestsException.
 */
import { Arn, ArnFormat, Stack, type StackProps } from 'aws-cdk-lib';
import { ALARM_PERIOD, countAlarm, functionAlarms } from '../constructs/alarms.ts';
import { logDeliveryPolicy, tracingPolicy } from '../constructs/state-machine-policies.ts';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { stateMachineArn, stateMachineName } from '../config/names.ts';
import { functionEnvironment } from '../config/function-environment.ts';
import type { Stage, StageConfig } from '../config/stages.ts';
import { NodeFunction } from '../constructs/node-function.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { loadDefinition, type WorkflowDefinition } from '../workflows/definitions.ts';
import { batchWorkflow } from '../workflows/index.ts';
import { BATCH_TASK_GRANTS } from './batches.ts';

export interface BatchStackProps extends StackProps {
  config: StageConfig;
  /** Its ARN reaches functions as SIGNING_KEY_ID (required configuration); nothing here may use it. */
  signingKey: IKey;
  workflow?: WorkflowDefinition;
}

/** Memory and timeout of each task; timeouts match the ASL's TimeoutSeconds. */
export const BATCH_TASK_SETTINGS: Record<string, { memoryMb: number; timeoutSeconds: number }> = {
  // Streams up to 50 MiB through csv-parse/iconv-lite or exceljs: CPU-bound, 1 GB buys the CPU share.
  'batches/split-batch': { memoryMb: 1024, timeoutSeconds: 600 },
  // 250 rows: zod checks, the comparison engine and request marshalling are CPU.
  'batches/process-chunk': { memoryMb: 1024, timeoutSeconds: 60 },
  'batches/finish-batch': { memoryMb: 512, timeoutSeconds: 300 },
  'batches/record-batch-failure': { memoryMb: 512, timeoutSeconds: 30 },
};

/**
 * Chunk functions running at once across all batches (reserved concurrency):
 * each writes ~500 rows/s at ~20 WCU per row, so 4 keep the table near
 * 40,000 WCU/s (README, "Batch capacity"). dev shares the account's unreserved
 * pool (a new account cannot reserve any).
 */
export const CHUNK_CONCURRENCY: Record<Stage, number | undefined> = { dev: undefined, prod: 4 };

/**
 * Chunks of one batch in flight (the Map's MaxConcurrencyPath, from the split):
 * small, so that 30 batches at once queue for the reserved slots with short
 * waits that fit an Express child's 5 minutes.
 */
export const MAP_CONCURRENCY: Record<Stage, number> = { dev: 2, prod: 2 };

/** /tmp of the split function, for unpacked XLSX worksheets. */
export const SPLIT_EPHEMERAL_MB = 4096;

/** The Distributed Map state's Label in the ASL (execution ARNs of its Map Runs carry it). */
export const MAP_LABEL = 'Chunks';

export class BatchStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly taskFunctions: Record<string, NodeFunction> = {};

  constructor(scope: Construct, id: string, props: BatchStackProps) {
    super(scope, id, props);
    const { config, signingKey } = props;
    const workflow = props.workflow ?? batchWorkflow;
    const environment = functionEnvironment(config, signingKey);
    const name = stateMachineName(config, workflow.name);

    const substitutions: Record<string, string> = {};
    for (const [placeholder, handler] of Object.entries(workflow.tasks)) {
      const fn = (this.taskFunctions[handler] ??= this.taskFunction(config, handler, environment));
      substitutions[placeholder] = fn.fn.functionArn;
    }

    const logGroup = new LogGroup(this, 'BatchStateMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const role = new Role(this, 'BatchStateMachineRole', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Runs the ${name} state machine and its Distributed Map children`,
    });
    const ownArn = stateMachineArn(config, workflow.name);
    const executionArn = (resourceName: string) =>
      Arn.format({ service: 'states', resource: 'execution', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, this);
    const executions = executionArn(`${name}:*`);
    const mapRuns = executionArn(`${name}/${MAP_LABEL}:*`);
    const invoke = new Policy(this, 'BatchInvokePolicy', {
      statements: [
        new PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: Object.values(this.taskFunctions).map((fn) => fn.fn.functionArn),
        }),
      ],
    });
    // What a Distributed Map needs: start its children (executions of this state
    // machine), watch and stop them, and redrive its Map Runs.
    const distributedMap = new Policy(this, 'BatchDistributedMapPolicy', {
      statements: [
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [ownArn] }),
        new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] }),
        new PolicyStatement({ actions: ['states:RedriveExecution'], resources: [mapRuns] }),
      ],
    });
    acknowledgeWildcardResource(
      distributedMap,
      executions,
      'Executions of this state machine only (its Distributed Map children, named by Step Functions): DescribeExecution and StopExecution need their ARNs, unknown in advance.',
    );
    acknowledgeWildcardResource(
      distributedMap,
      mapRuns,
      'Map Runs of this state machine’s Distributed Map (label Chunks) only: RedriveExecution needs their ARNs, unknown in advance.',
    );
    const logDelivery = logDeliveryPolicy(this, 'BatchLogDeliveryPolicy');
    const tracing = tracingPolicy(this, 'BatchTracingPolicy');
    for (const policy of [invoke, distributedMap, logDelivery, tracing]) role.attachInlinePolicy(policy);

    this.stateMachine = new StateMachine(this, 'BatchStateMachine', {
      stateMachineName: name,
      // Standard: a Distributed Map needs a Standard parent, a large file may run
      // past Express's 5 minutes, and each batch is one execution (a few dozen
      // transitions), so Standard's per-transition price is negligible here.
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(loadDefinition(workflow.file, substitutions)),
      role: role.withoutPolicyUpdates(),
      logs: { destination: logGroup, level: LogLevel.ERROR, includeExecutionData: true },
      tracingEnabled: true,
    });
    this.stateMachine.node.addDependency(invoke, distributedMap, logDelivery, tracing);
    acknowledge(
      this.stateMachine,
      'AwsSolutions-SF1',
      'Level ERROR on purpose: failures are logged with their cause, a Standard execution keeps its full history for 90 days, and the batch and chunk records in DynamoDB hold every outcome; ALL would log every chunk of every batch.',
    );

    countAlarm(this.stateMachine, 'FailedAlarm', config, `${name} executions failed (their batches are failed with a reason)`, this.stateMachine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }), 1);
    countAlarm(this.stateMachine, 'TimedOutAlarm', config, `${name} executions timed out (their batches stay processing)`, this.stateMachine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }), 1);
  }

  private taskFunction(config: StageConfig, handler: string, environment: Record<string, string>): NodeFunction {
    const settings = BATCH_TASK_SETTINGS[handler];
    const grant = BATCH_TASK_GRANTS[handler];
    if (!settings || !grant) throw new Error(`No BATCH_TASK_SETTINGS or BATCH_TASK_GRANTS for functions/${handler}.ts`);
    const id = handler
      .split(/[/-]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    const fn = new NodeFunction(this, `${id}Function`, {
      handler,
      config,
      environment:
        handler === 'batches/split-batch' ? { ...environment, BATCH_MAP_CONCURRENCY: String(MAP_CONCURRENCY[config.stage]) } : environment,
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      description: `Batch workflow task: functions/${handler}.ts`,
    });
    grant(fn, config);
    if (handler === 'batches/split-batch') {
      // exceljs parks a worksheet's XML in /tmp until the shared strings are read;
      // a 50 MiB workbook unpacks to several hundred MB.
      (fn.fn.node.defaultChild as CfnFunction).ephemeralStorage = { size: SPLIT_EPHEMERAL_MB };
    }
    if (handler === 'batches/process-chunk' && CHUNK_CONCURRENCY[config.stage] !== undefined) {
      (fn.fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = CHUNK_CONCURRENCY[config.stage];
    }
    // The chunk function's throttles are the intended backpressure (reserved concurrency); the others' are not.
    functionAlarms(fn, config, { errorsNote: 'retried by the workflow', throttles: handler !== 'batches/process-chunk' });
    return fn;
  }
}
