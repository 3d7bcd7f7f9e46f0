/**
 * Calling function handlers in-process, as Lambda would: imported once and
 * reused like a warm container, with a Lambda-like context.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';

const modules = new Map<string, Promise<unknown>>();

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
      await fn(event, lambdaContext(handler));
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
