import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStepFunctionsLocal, type StepFunctionsLocal } from '../../infra/local/step-functions.ts';
import type { WorkflowDefinition } from '../../infra/workflows/definitions.ts';
import { gate, probe } from './fixtures/probe.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const functionsDir = join(fixtures, 'functions');
const comparison: WorkflowDefinition = {
  name: 'Comparison',
  file: join(fixtures, 'comparison.asl.json'),
  tasks: {
    PrepareFunctionArn: 'prepare',
    CompareFunctionArn: 'compare',
    PublishFunctionArn: 'publish',
    RecordFailureFunctionArn: 'record-failure',
  },
};
const batch: WorkflowDefinition = {
  name: 'Batch',
  file: join(fixtures, 'batch.asl.json'),
  tasks: { ProcessChunkFunctionArn: 'process-chunk' },
};
// IntervalSeconds 1 and BackoffRate 2 become waits of 10 ms, then 20 ms.
const retryIntervalScale = 0.01;

const dataDirs: string[] = [];
function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-local-'));
  dataDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

async function waitForExecution(client: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('local Step Functions through the real SFN client', () => {
  let runtime: StepFunctionsLocal;
  let client: SFNClient;
  let stateMachineArn: string;

  beforeAll(async () => {
    runtime = await startStepFunctionsLocal({
      workflows: [comparison, batch],
      functionsDir,
      dataDir: newDataDir(),
      retryIntervalScale,
    });
    client = sfnClient(runtime.endpoint);
    stateMachineArn = runtime.stateMachineArn('Comparison');
  });
  afterAll(async () => {
    client?.destroy();
    await runtime?.stop();
  });

  it('runs the three tasks and reports SUCCEEDED with the output', async () => {
    const input = JSON.stringify({ id: 'happy', scores: [1, 2, 3] });
    const started = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'happy', input }));
    expect(started.executionArn).toBe('arn:aws:states:local:000000000000:execution:Comparison:happy');
    expect(started.startDate).toBeInstanceOf(Date);

    const described = await waitForExecution(client, started.executionArn!);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'happy', stateMachineArn, input });
    expect(JSON.parse(described.output!)).toEqual({ id: 'happy', total: 6, attempts: 1 });
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
    expect(described.error).toBeUndefined();
    // Handlers get a Lambda-like context; the 60 s default task timeout bounds the remaining time.
    const [call] = probe.prepared.get('happy')!;
    expect(call).toMatchObject({ functionName: 'prepare' });
    expect(call!.remainingMs).toBeGreaterThan(59_000);
    expect(call!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a task that fails twice, waiting IntervalSeconds × BackoffRate^n (scaled)', async () => {
    const input = JSON.stringify({ id: 'flaky', failures: 2, scores: [5] });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'flaky', input }));

    const described = await waitForExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ id: 'flaky', total: 5, attempts: 3 });
    const [first, second, third] = probe.attempts.get('flaky')!;
    // 10 ms then 20 ms; a millisecond of slack for timer rounding.
    expect(second! - first!).toBeGreaterThanOrEqual(9);
    expect(third! - second!).toBeGreaterThanOrEqual(19);
    expect(probe.failures.some((failure) => failure.id === 'flaky')).toBe(false);
  });

  it('sends a task that always fails to the Catch state, whose handler records the error', async () => {
    const input = JSON.stringify({ id: 'broken', failures: 'always' });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'broken', input }));

    const described = await waitForExecution(client, executionArn!);
    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'ComparisonFailed',
      cause: 'the comparison failed; the error was recorded',
    });
    expect(described.output).toBeUndefined();
    expect(probe.attempts.get('broken')).toHaveLength(3); // the first try and MaxAttempts 2 retries
    const recorded = probe.failures.find((failure) => failure.id === 'broken')!;
    expect(recorded.error.Error).toBe('TransientError');
    // The Cause is the Lambda runtime's error document, as on AWS.
    expect(JSON.parse(recorded.error.Cause)).toMatchObject({
      errorType: 'TransientError',
      errorMessage: 'attempt 3 of broken failed',
    });
  });

  it('fails on a result over the 256 KiB payload quota, which no Catch can take (terminal on AWS)', async () => {
    const input = JSON.stringify({ id: 'oversized', pad: 256 * 1024 });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input }));

    const described = await waitForExecution(client, executionArn!);
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(probe.failures.some((failure) => failure.id === 'oversized')).toBe(false);
  });

  it('runs a Map over chunk references with ItemSelector, nested Lambda tasks and ResultSelector', async () => {
    const chunks = [1, 2, 3].map((n) => ({ key: `imports/job-1/chunk-${n}.json`, rows: n * 100 }));
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: runtime.stateMachineArn('Batch'),
        input: JSON.stringify({ job: 'job-1', chunks }),
      }),
    );

    const described = await waitForExecution(client, executionArn!);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!).processed).toEqual({
      chunks: 3,
      results: chunks.map((chunk, index) => ({ key: chunk.key, index, rows: chunk.rows, job: 'job-1' })),
    });
  });

  it('treats StartExecution by name as AWS does: idempotent while running, then ExecutionAlreadyExists', async () => {
    const input = JSON.stringify({ id: 'once', hold: 'once' });
    const first = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input }));
    await until(() => probe.prepared.get('once')?.length === 1);

    const again = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input: JSON.stringify({ id: 'other' }) })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    gate('once').open();
    expect((await waitForExecution(client, first.executionArn!)).status).toBe('SUCCEEDED');
    expect(probe.prepared.get('once')).toHaveLength(1); // nothing else was started
    // A closed execution's name cannot be reused (for 90 days on AWS), whatever the input.
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'once', input }))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });

  it('answers unknown state machines, executions and bad input with AWS errors', async () => {
    await expect(
      client.send(
        new StartExecutionCommand({ stateMachineArn: stateMachineArn.replace('Comparison', 'Nope'), input: '{}' }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, input: '{not json' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'a b', input: '{}' }))).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:missing` })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('resolves idle() once no execution is running', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ id: 'idle' }) }),
    );
    await runtime.idle();
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
  });
});

describe('interrupted executions', () => {
  const runtimes: StepFunctionsLocal[] = [];
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.stop();
  });
  const start = async (dataDir: string, workflows = [comparison], maxRestarts?: number) => {
    const runtime = await startStepFunctionsLocal({ workflows, functionsDir, dataDir, retryIntervalScale, maxRestarts });
    runtimes.push(runtime);
    return runtime;
  };

  it('starts an execution the previous runtime left RUNNING again, with the same input, and completes it', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const firstClient = sfnClient(first.endpoint);
    const input = JSON.stringify({ id: 'interrupted', hold: 'interrupted', scores: [7] });
    const { executionArn } = await firstClient.send(
      new StartExecutionCommand({ stateMachineArn: first.stateMachineArn('Comparison'), name: 'interrupted', input }),
    );
    await until(() => probe.prepared.get('interrupted')?.length === 1);
    firstClient.destroy();
    await first.stop(); // mid-execution: Prepare is still waiting on its gate

    const second = await start(dataDir);
    const client = sfnClient(second.endpoint);
    const described = await waitForExecution(client, executionArn!);
    client.destroy();
    expect(described).toMatchObject({ status: 'SUCCEEDED', input });
    expect(JSON.parse(described.output!)).toEqual({ id: 'interrupted', total: 7, attempts: 1 });
    expect(probe.prepared.get('interrupted')).toHaveLength(2); // started again from the beginning
    gate('interrupted').open(); // let the abandoned first call finish; its result is ignored
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await describeDirect(second, executionArn!)).status).toBe('SUCCEEDED');

    // Compacted at the second start (one line per execution), then appended to.
    expect(journalLines(dataDir).map((entry) => entry.e)).toEqual(['exec', 'restart', 'end']);
  });

  it('fails an execution with Interrupted once it was restarted maxRestarts times', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir, [comparison], 0);
    const firstClient = sfnClient(first.endpoint);
    const { executionArn } = await firstClient.send(
      new StartExecutionCommand({
        stateMachineArn: first.stateMachineArn('Comparison'),
        input: JSON.stringify({ id: 'poison', hold: 'poison' }),
      }),
    );
    await until(() => probe.prepared.get('poison')?.length === 1);
    firstClient.destroy();
    await first.stop();

    const second = await start(dataDir, [comparison], 0);
    const described = await describeDirect(second, executionArn!);
    expect(described).toMatchObject({ status: 'FAILED', error: 'Interrupted' });
    expect(probe.prepared.get('poison')).toHaveLength(1);
    gate('poison').open();
  });
});

describe('definitions the local interpreter cannot run as AWS would', () => {
  it('are rejected at start, naming the state and the reason', async () => {
    const dataDir = newDataDir();
    const file = join(dataDir, 'service-integration.asl.json');
    writeFileSync(
      file,
      JSON.stringify({
        StartAt: 'Put',
        States: {
          Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't' }, Next: 'Vars' },
          Vars: { Type: 'Pass', Assign: { x: 1 }, End: true },
        },
      }),
    );
    await expect(
      startStepFunctionsLocal({ workflows: [{ name: 'Bad', file, tasks: {} }], functionsDir, dataDir }),
    ).rejects.toThrow(/Put: Resource arn:aws:states:::dynamodb:putItem[^]*Vars: variables \(Assign\)/);
  });

  it('names a placeholder that has no task handler', async () => {
    const dataDir = newDataDir();
    await expect(
      startStepFunctionsLocal({
        workflows: [{ ...comparison, tasks: { PrepareFunctionArn: 'prepare' } }],
        functionsDir,
        dataDir,
      }),
    ).rejects.toThrow(/no substitution for \$\{CompareFunctionArn\}, \$\{PublishFunctionArn\}, \$\{RecordFailureFunctionArn\}/);
  });

  it('keeps ResultPath "$" and falsy Pass results as AWS has them', async () => {
    const dataDir = newDataDir();
    const file = join(dataDir, 'quirks.asl.json');
    writeFileSync(
      file,
      JSON.stringify({
        StartAt: 'Whole',
        States: {
          Whole: { Type: 'Pass', Result: { replaced: true }, ResultPath: '$', Next: 'Zero' },
          Zero: { Type: 'Pass', Result: 0, ResultPath: '$.zero', End: true },
        },
      }),
    );
    const runtime = await startStepFunctionsLocal({ workflows: [{ name: 'Quirks', file, tasks: {} }], functionsDir, dataDir });
    const client = sfnClient(runtime.endpoint);
    try {
      const { executionArn } = await client.send(
        new StartExecutionCommand({ stateMachineArn: runtime.stateMachineArn('Quirks'), input: '{"a":1}' }),
      );
      const described = await waitForExecution(client, executionArn!);
      expect(JSON.parse(described.output!)).toEqual({ replaced: true, zero: 0 });
    } finally {
      client.destroy();
      await runtime.stop();
    }
  });
});

async function describeDirect(runtime: StepFunctionsLocal, executionArn: string) {
  const client = sfnClient(runtime.endpoint);
  try {
    return await client.send(new DescribeExecutionCommand({ executionArn }));
  } finally {
    client.destroy();
  }
}

function journalLines(dataDir: string): { e: string }[] {
  return readFileSync(join(dataDir, 'step-functions', 'executions.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { e: string });
}
