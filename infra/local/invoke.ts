/**
 * Calling function handlers in-process, as Lambda would: imported once and
 * reused like a warm container, with a Lambda-like context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

const modules = new Map<string, Promise<unknown>>();

/**
 * What the cost model (infra/cost/meter.ts) is told about the work the local runtime
 * does on AWS's behalf. Installed only by `startPlatform({ meter })`; without one the
 * runtime behaves exactly as before and nothing is measured.
 */
export interface LocalMeter {
  /** A function ran (an API route, the authorizer, a workflow task, a consumer): its handler's time. */
  invocation(functionName: string, durationMs: number): void;
  /** A state machine execution ended; `events` is its history as the local interpreter logged it. */
  execution?(workflow: string, events: readonly unknown[]): void;
  /** A request the S3 emulator served. */
  s3Request?(request: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, unknown> }): void;
  /** Work the meter must see finished before it reports. */
  track?(work: Promise<unknown>): void;
}

let meter: LocalMeter | undefined;

export function installMeter(next: LocalMeter | undefined): void {
  meter = next;
}

export function installedMeter(): LocalMeter | undefined {
  return meter;
}

const invoking = new AsyncLocalStorage<string>();

/** While a meter is installed: the function whose invocation the caller runs in. */
export function invokingFunction(): string | undefined {
  return invoking.getStore();
}

/** Runs one invocation of `functionName`, timing it when a meter is installed. */
export async function timed<T>(functionName: string, run: () => Promise<T> | T): Promise<T> {
  const current = meter;
  if (!current) return run();
  const started = performance.now();
  try {
    return await invoking.run(functionName, run);
  } finally {
    current.invocation(functionName, performance.now() - started);
  }
}

export function loadHandler<T>(functionsDir: string, handler: string): Promise<T> {
  const file = `${functionsDir}/${handler}.ts`;
  let loaded = modules.get(file);
  if (!loaded) {
    loaded = import(pathToFileURL(file).href).then((module: { handler: unknown }) => {
      if (typeof module.handler !== 'function') throw new Error(`${file} exports no handler`);
      return module.handler;
    });
    modules.set(file, loaded);
  }
  return loaded as Promise<T>;
}

export function lambdaContext(functionName: string, requestId = randomUUID(), timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Runs a handler for an asynchronous event, retrying twice like Lambda's async invocation. */
export async function invokeAsync(functionsDir: string, handler: string, event: unknown): Promise<void> {
  const fn = await loadHandler<(event: unknown, context: Context) => Promise<unknown>>(functionsDir, handler);
  for (let attempt = 1; ; attempt++) {
    try {
      await timed(handler, () => fn(event, lambdaContext(handler)));
      return;
    } catch (error) {
      if (attempt >= 3) {
        console.error(JSON.stringify({ level: 'ERROR', message: 'async invocation failed', handler, error: String(error) }));
        return;
      }
      await new Promise((done) => setTimeout(done, 100 * attempt));
    }
  }
}
