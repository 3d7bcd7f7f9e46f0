/**
 * Local Step Functions: the same ASL files CDK deploys, run in-process by
 * aws-local-stepfunctions, behind a tiny AWS JSON 1.0 endpoint serving the two
 * actions the handlers call (StartExecution, DescribeExecution), so handlers use the
 * real @aws-sdk/client-sfn pointed at `SFN_ENDPOINT`.
 *
 * Lambda tasks run the handlers of functions/<path>.ts in-process. Executions are
 * journaled in `<dataDir>/step-functions/executions.jsonl` (append-only, no fsync);
 * executions left RUNNING when the process died are started again from the beginning
 * with the same input at the next start (steps are idempotent by design).
 *
 * What the library does not do is rejected when the runtime starts (see
 * `unsupportedFeatures`) rather than silently behaving differently from AWS.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { loadDefinition, type WorkflowDefinition } from '../workflows/definitions.ts';
import { installedMeter, timed } from './invoke.ts';
import { startLoopbackServer } from './loopback-server.ts';

export interface StepFunctionsLocalOptions {
  workflows: WorkflowDefinition[];
  /** Where handler paths are resolved: `<functionsDir>/<path>.ts`. */
  functionsDir: string;
  dataDir: string;
  /** Port on 127.0.0.1; a free one when absent. */
  port?: number;
  /**
   * Multiplies every retrier's IntervalSeconds (default 1) and MaxDelaySeconds, keeping
   * BackoffRate and jitter: 0.01 turns 1 s, 2 s, 4 s into 10, 20, 40 ms for tests.
   * Default 1: the waits the ASL asks for.
   */
  retryIntervalScale?: number;
  /** Times an execution is started again after interruptions before it fails. Default 3. */
  maxRestarts?: number;
}

export interface StepFunctionsLocal {
  endpoint: string;
  stateMachineArn(name: string): string;
  /** Stops serving; running executions stay RUNNING in the journal and restart next time. */
  stop(): Promise<void>;
  /** Resolves when no execution is running. */
  idle(): Promise<void>;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: Status;
  /** Epoch milliseconds. */
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Times started again after an interruption. */
  restarts: number;
}

type JournalEntry =
  | { e: 'start'; executionArn: string; stateMachineArn: string; name: string; input: string; startDate: number }
  | { e: 'restart'; executionArn: string }
  | { e: 'end'; executionArn: string; status: Status; stopDate: number; output?: string; error?: string; cause?: string }
  | ({ e: 'exec' } & ExecutionRecord);

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JSONValue = Parameters<StateMachine['run']>[0];
type LambdaHandler = (event: unknown, context: Context) => unknown;

interface Machine {
  arn: string;
  name: string;
  machine: StateMachine;
  overrides: NonNullable<RunOptions['overrides']>;
}

const REGION = 'local';
const ACCOUNT = '000000000000';
/** Step Functions' payload quota for state input and output (UTF-8 bytes). */
const PAYLOAD_LIMIT = 256 * 1024;
/** AWS keeps closed executions (and their names) for 90 days. */
const RETENTION_MS = 90 * 24 * 3600 * 1000;
/** aws-local-stepfunctions' Task timeout when the state has no TimeoutSeconds. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const validatedDefinitions = new Set<string>();

export function lambdaArn(functionName: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`;
}

function stateMachineArnOf(name: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
}

/** Lambda function names allow letters, digits, '-' and '_'. */
function functionNameOf(handlerPath: string): string {
  return handlerPath.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** An error the way the Lambda runtime reports it, so Catch sees AWS's Error and Cause. */
class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string, trace: string[]) {
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
  }
}

function toLambdaError(thrown: unknown): LambdaFunctionError {
  if (thrown instanceof Error) return new LambdaFunctionError(thrown.name, thrown.message, thrown.stack?.split('\n') ?? []);
  return new LambdaFunctionError(typeof thrown, String(thrown), []);
}

/** Terminal on AWS: neither States.ALL nor a retrier matches it. */
class DataLimitExceededError extends Error {
  constructor(what: string, bytes: number) {
    super(`${what} is ${bytes} bytes, more than the ${PAYLOAD_LIMIT} bytes Step Functions allows`);
    this.name = 'States.DataLimitExceeded';
  }
  get isRetryable() {
    return false;
  }
  get isCatchable() {
    return false;
  }
}

/** Serializes like Lambda does and enforces the payload quota; returns the parsed copy. */
function roundTrip(value: unknown, what: string): JSONValue {
  const text = JSON.stringify(value) ?? 'null';
  // Byte length only matters near the limit; a UTF-16 length below limit/3 cannot exceed it.
  if (text.length > PAYLOAD_LIMIT / 3) {
    const bytes = Buffer.byteLength(text);
    if (bytes > PAYLOAD_LIMIT) throw new DataLimitExceededError(what, bytes);
  }
  return JSON.parse(text) as JSONValue;
}

type StateNode = Record<string, unknown> & { Type?: string };
type MachineNode = { States: Record<string, StateNode>; QueryLanguage?: string };

function childMachines(state: StateNode): MachineNode[] {
  if (state.Type === 'Map') return [(state.ItemProcessor ?? state.Iterator) as MachineNode].filter(Boolean);
  if (state.Type === 'Parallel') return (state.Branches as MachineNode[] | undefined) ?? [];
  return [];
}

function forEachState(machine: MachineNode, visit: (name: string, state: StateNode) => void): void {
  for (const [name, state] of Object.entries(machine.States)) {
    visit(name, state);
    for (const child of childMachines(state)) forEachState(child, visit);
  }
}

/** Fields aws-local-stepfunctions would ignore or run differently from AWS. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  Assign: 'variables (Assign) are unsupported by the local interpreter',
  Arguments: 'Arguments is JSONata-only',
  Output: 'Output is JSONata-only',
  Items: 'Items is JSONata-only',
  ItemReader: 'ItemReader is unsupported by the local interpreter: Map over an array of chunk references instead',
  ItemBatcher: 'ItemBatcher is unsupported by the local interpreter (items would not be batched)',
  ResultWriter: 'ResultWriter is unsupported by the local interpreter',
  ToleratedFailurePercentage: 'tolerated failures are unsupported by the local interpreter (any failed item fails the Map)',
  ToleratedFailurePercentagePath: 'tolerated failures are unsupported by the local interpreter (any failed item fails the Map)',
  ToleratedFailureCount: 'tolerated failures are unsupported by the local interpreter (any failed item fails the Map)',
  ToleratedFailureCountPath: 'tolerated failures are unsupported by the local interpreter (any failed item fails the Map)',
};

/** Reasons the definition cannot run locally as it would on AWS; empty when it can. */
export function unsupportedFeatures(definition: StateMachineDefinition, lambdaArns: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const root = definition as unknown as MachineNode;
  if (root.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata is unsupported by the local interpreter');
  const taskResources = new Map<string, string>();
  forEachState(root, (name, state) => {
    if (state.QueryLanguage === 'JSONata' || childMachines(state).some((child) => child.QueryLanguage === 'JSONata')) {
      problems.push(`${name}: QueryLanguage JSONata is unsupported by the local interpreter`);
    }
    for (const field of Object.keys(state)) {
      const reason = UNSUPPORTED_FIELDS[field];
      if (reason) problems.push(`${name}: ${reason}`);
    }
    if (state.Type !== 'Task') return;
    const resource = String(state.Resource);
    if (!lambdaArns.has(resource)) {
      problems.push(
        `${name}: Resource ${resource} is not a task placeholder; service integrations are not available locally, use Lambda tasks`,
      );
    }
    // Local handlers are keyed by state name, in nested Map and Parallel machines too.
    const seen = taskResources.get(name);
    if (seen !== undefined && seen !== resource) problems.push(`${name}: two Task states share this name`);
    taskResources.set(name, resource);
  });
  return problems;
}

/**
 * Local copy of the definition with the library's divergences from AWS worked around,
 * and retry waits scaled.
 */
function adaptDefinition(definition: StateMachineDefinition, retryIntervalScale: number): StateMachineDefinition {
  const copy = structuredClone(definition);
  forEachState(copy as unknown as MachineNode, (_name, state) => {
    // The library writes ResultPath "$" to a key named "$"; absent means the same on AWS.
    if (state.ResultPath === '$') delete state.ResultPath;
    for (const catcher of (state.Catch as Record<string, unknown>[] | undefined) ?? []) {
      if (catcher.ResultPath === '$') delete catcher.ResultPath;
    }
    // The library ignores a falsy Pass Result (0, false, "", null); a constant
    // Parameters template yields the same value.
    if (state.Type === 'Pass' && 'Result' in state && !state.Result) {
      state.Parameters = state.Result;
      delete state.Result;
    }
    if (retryIntervalScale !== 1) {
      for (const retrier of (state.Retry as Record<string, number>[] | undefined) ?? []) {
        retrier.IntervalSeconds = (retrier.IntervalSeconds ?? 1) * retryIntervalScale;
        if (retrier.MaxDelaySeconds !== undefined) retrier.MaxDelaySeconds *= retryIntervalScale;
      }
    }
  });
  return copy;
}

/** Task state name → its TimeoutSeconds, for the Lambda context's remaining time. */
function taskTimeouts(definition: StateMachineDefinition): Map<string, number> {
  const timeouts = new Map<string, number>();
  forEachState(definition as unknown as MachineNode, (name, state) => {
    if (state.Type === 'Task') {
      timeouts.set(name, typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS);
    }
  });
  return timeouts;
}

function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: lambdaArn(functionName),
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Execution names: 1 to 80 characters, none of AWS's forbidden ones. */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/;

class ServiceError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export async function startStepFunctionsLocal(options: StepFunctionsLocalOptions): Promise<StepFunctionsLocal> {
  const retryIntervalScale = options.retryIntervalScale ?? 1;
  const maxRestarts = options.maxRestarts ?? 3;

  // Handlers are imported once, on first use, and shared by every workflow.
  const handlerModules = new Map<string, Promise<LambdaHandler>>();
  const loadHandler = (handlerPath: string): Promise<LambdaHandler> => {
    let loaded = handlerModules.get(handlerPath);
    if (!loaded) {
      const file = join(options.functionsDir, `${handlerPath}.ts`);
      loaded = import(pathToFileURL(file).href).then(
        (module: { handler?: unknown }) => {
          if (typeof module.handler !== 'function') {
            throw new LambdaFunctionError('Runtime.HandlerNotFound', `${file} does not export a handler function`, []);
          }
          return module.handler as LambdaHandler;
        },
        (error: Error) => {
          throw new LambdaFunctionError('Runtime.ImportModuleError', `${file}: ${error.message}`, []);
        },
      );
      handlerModules.set(handlerPath, loaded);
    }
    return loaded;
  };

  const machines = new Map<string, Machine>();
  for (const workflow of options.workflows) {
    const arn = stateMachineArnOf(workflow.name);
    if (machines.has(arn)) throw new Error(`workflow ${workflow.name} is defined twice`);
    const arnToHandler = new Map<string, string>();
    const substitutions: Record<string, string> = {};
    for (const [placeholder, handlerPath] of Object.entries(workflow.tasks)) {
      const functionArn = lambdaArn(functionNameOf(handlerPath));
      substitutions[placeholder] = functionArn;
      arnToHandler.set(functionArn, handlerPath);
    }
    const text = loadDefinition(workflow.file, substitutions);
    const definition = JSON.parse(text) as StateMachineDefinition;
    const problems = unsupportedFeatures(definition, new Set(arnToHandler.keys()));
    if (problems.length > 0) {
      throw new Error(`workflow ${workflow.name} cannot run locally:\n  ${problems.join('\n  ')}`);
    }
    // Validates the definition as written (ASL schema, paths, ARNs). The validator
    // compiles its schemas on every call (0.2-0.3 s), hence once per text and process.
    if (!validatedDefinitions.has(text)) {
      new StateMachine(definition);
      validatedDefinitions.add(text);
    }
    const adapted = adaptDefinition(definition, retryIntervalScale);
    const timeouts = taskTimeouts(adapted);
    const handlers: TaskHandlers = {};
    forEachState(adapted as unknown as MachineNode, (stateName, state) => {
      if (state.Type !== 'Task') return;
      const handlerPath = arnToHandler.get(String(state.Resource))!;
      const functionName = functionNameOf(handlerPath);
      const timeoutSeconds = timeouts.get(stateName)!;
      let handler: LambdaHandler | undefined;
      handlers[stateName] = async (input) => {
        const run = (handler ??= await loadHandler(handlerPath));
        const event = roundTrip(input, `the input of ${stateName}`);
        let result: unknown;
        try {
          result = await timed(handlerPath, () => run(event, lambdaContext(functionName, timeoutSeconds)));
        } catch (error) {
          throw toLambdaError(error);
        }
        return roundTrip(result ?? null, `the result of ${stateName}`);
      };
    });
    machines.set(arn, {
      arn,
      name: workflow.name,
      // Already validated above; the adapted copy may hold fractional intervals.
      machine: new StateMachine(adapted, { validationOptions: { noValidate: true } }),
      overrides: { taskResourceLocalHandlers: handlers },
    });
  }

  // Journal: replay, compact (one line per execution), then append.
  const journalDir = join(options.dataDir, 'step-functions');
  const journalFile = join(journalDir, 'executions.jsonl');
  mkdirSync(journalDir, { recursive: true });
  const executions = replay(journalFile);
  const cutoff = Date.now() - RETENTION_MS;
  for (const [arn, record] of executions) {
    if (record.stopDate !== undefined && record.stopDate < cutoff) executions.delete(arn);
  }
  const compacted = [...executions.values()].map((record) => JSON.stringify({ e: 'exec', ...record }) + '\n').join('');
  writeFileSync(`${journalFile}.tmp`, compacted);
  renameSync(`${journalFile}.tmp`, journalFile);
  const journal = openSync(journalFile, 'a');
  // Synchronous appends reach the kernel before StartExecution answers, so they survive
  // a crash of this process; only a crash of the machine can lose the tail.
  const append = (entry: JournalEntry) => writeSync(journal, JSON.stringify(entry) + '\n');

  const running = new Map<string, () => void>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  const settle = (record: ExecutionRecord, outcome: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>) => {
    if (stopped) return;
    running.delete(record.executionArn);
    Object.assign(record, outcome, { stopDate: Date.now() });
    append({ e: 'end', executionArn: record.executionArn, stopDate: record.stopDate!, ...outcome });
    if (running.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const launch = (record: ExecutionRecord, machine: Machine) => {
    const execution = machine.machine.run(JSON.parse(record.input) as JSONValue, {
      overrides: machine.overrides,
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: `arn:aws:iam::${ACCOUNT}:role/local` },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    running.set(record.executionArn, execution.abort);
    // The cost model reads the history (transitions, Map iterations); nothing else does.
    const meter = installedMeter();
    if (meter?.execution) {
      const collected = (async () => {
        const events: unknown[] = [];
        for await (const event of execution.eventLogs) events.push(event);
        meter.execution!(machine.name, events);
      })();
      meter.track?.(collected);
    }
    execution.result.then(
      (output) => {
        const text = JSON.stringify(output ?? null);
        const bytes = text.length > PAYLOAD_LIMIT / 3 ? Buffer.byteLength(text) : 0;
        if (bytes > PAYLOAD_LIMIT) {
          const error = new DataLimitExceededError('the execution output', bytes);
          settle(record, { status: 'FAILED', error: error.name, cause: error.message });
        } else {
          settle(record, { status: 'SUCCEEDED', output: text });
        }
      },
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) return; // stop(): resumed at the next start
        settle(record, failure(error));
      },
    );
  };

  // Executions the previous process left running start again from the beginning.
  for (const record of executions.values()) {
    if (record.status !== 'RUNNING') continue;
    const machine = machines.get(record.stateMachineArn);
    if (!machine || record.restarts >= maxRestarts) {
      const cause = machine
        ? `interrupted ${record.restarts + 1} times by a stop of the local runtime`
        : `interrupted, and state machine ${record.stateMachineArn} is no longer defined`;
      const outcome = { status: 'FAILED' as const, error: 'Interrupted', cause };
      Object.assign(record, outcome, { stopDate: Date.now() });
      append({ e: 'end', executionArn: record.executionArn, stopDate: record.stopDate!, ...outcome });
      continue;
    }
    record.restarts += 1;
    append({ e: 'restart', executionArn: record.executionArn });
    launch(record, machine);
  }

  const startExecution = (request: Record<string, unknown>) => {
    const { stateMachineArn, name = randomUUID(), input = '{}' } = request;
    if (typeof stateMachineArn !== 'string' || !STATE_MACHINE_ARN.test(stateMachineArn)) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(stateMachineArn)}'`);
    }
    const machine = machines.get(stateMachineArn);
    if (!machine) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    if (typeof name !== 'string' || name.length < 1 || name.length > 80 || INVALID_NAME.test(name)) {
      throw new ServiceError('InvalidName', `Invalid Name: '${String(name)}'`);
    }
    if (typeof input !== 'string') throw new ServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    try {
      JSON.parse(input);
    } catch {
      throw new ServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine.name}:${name}`;
    const existing = executions.get(executionArn);
    if (existing) {
      // AWS: same name and input while the first one is open is idempotent; a different
      // input, or any reuse after it closed (90 days), is ExecutionAlreadyExists.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate / 1000 };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
      restarts: 0,
    };
    executions.set(executionArn, record);
    append({ e: 'start', executionArn, stateMachineArn, name, input, startDate: record.startDate });
    launch(record, machine);
    return { executionArn, startDate: record.startDate / 1000 };
  };

  const describeExecution = (request: Record<string, unknown>) => {
    const { executionArn } = request;
    if (typeof executionArn !== 'string' || !EXECUTION_ARN.test(executionArn)) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${String(executionArn)}'`);
    }
    const record = executions.get(executionArn);
    if (!record) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return {
      executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate / 1000,
      stopDate: record.stopDate === undefined ? undefined : record.stopDate / 1000,
      input: record.input,
      inputDetails: { included: true },
      output: record.output,
      outputDetails: record.output === undefined ? undefined : { included: true },
      error: record.error,
      cause: record.cause,
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  };

  const actions: Record<string, (request: Record<string, unknown>) => unknown> = {
    'AWSStepFunctions.StartExecution': startExecution,
    'AWSStepFunctions.DescribeExecution': describeExecution,
  };

  const serve = (request: IncomingMessage, body: string, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    let status = 200;
    let payload: unknown;
    try {
      const action = actions[target];
      if (request.method !== 'POST' || !action) {
        throw new ServiceError('UnknownOperationException', `Operation ${target || '(none)'} is not served locally`);
      }
      let parsed: unknown;
      try {
        parsed = body === '' ? {} : JSON.parse(body);
      } catch {
        throw new ServiceError('SerializationException', 'Request body is not JSON');
      }
      payload = action((parsed ?? {}) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof ServiceError) {
        status = 400;
        payload = { __type: error.type, message: error.message };
      } else {
        status = 500;
        payload = { __type: 'InternalFailure', message: (error as Error).message };
      }
    }
    const text = JSON.stringify(payload);
    response.writeHead(status, {
      'Content-Type': JSON_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
    });
    response.end(text);
  };
  const { server, endpoint } = await startLoopbackServer(serve, options.port);

  return {
    endpoint,
    stateMachineArn(name: string) {
      const arn = stateMachineArnOf(name);
      if (!machines.has(arn)) throw new Error(`no workflow named ${name}`);
      return arn;
    },
    idle() {
      if (running.size === 0 || stopped) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const abort of running.values()) abort();
      running.clear();
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      closeSync(journal);
    },
  };
}

function failure(error: unknown): Pick<ExecutionRecord, 'status' | 'error' | 'cause'> {
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than its TimeoutSeconds' };
  }
  const cause = error instanceof ExecutionError ? error.cause : error;
  if (cause instanceof Error) {
    // A Fail state without Error or Cause gets the library's defaults; AWS leaves them out.
    return {
      status: 'FAILED',
      error: cause.name === 'FailStateError' ? undefined : cause.name,
      cause: cause.message === 'Execution failed because of a Fail state' ? undefined : cause.message,
    };
  }
  return { status: 'FAILED', error: 'States.Runtime', cause: String(cause) };
}

function replay(file: string): Map<string, ExecutionRecord> {
  const executions = new Map<string, ExecutionRecord>();
  if (!existsSync(file)) return executions;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue; // a line cut short by a crash
    }
    switch (entry.e) {
      case 'exec': {
        const { e: _, ...record } = entry;
        executions.set(record.executionArn, record);
        break;
      }
      case 'start': {
        const { e: _, ...start } = entry;
        executions.set(start.executionArn, { ...start, status: 'RUNNING', restarts: 0 });
        break;
      }
      case 'restart': {
        const record = executions.get(entry.executionArn);
        if (record) record.restarts += 1;
        break;
      }
      case 'end': {
        const { e: _, executionArn, ...outcome } = entry;
        const record = executions.get(executionArn);
        if (record) Object.assign(record, outcome);
        break;
      }
    }
  }
  return executions;
}
