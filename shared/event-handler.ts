/**
 * The middleware stack of functions that are not API routes (workflow steps,
 * S3 notifications, stream consumers): the Lambda context in every log line,
 * metrics flushed at the end, a traced handler. The handler's own errors pass
 * through unchanged, so Step Functions and event sources see them.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { flushMetrics, logger, tracer } from './observability.ts';

export function eventHandler<E, R>(fn: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    .use({ after: flushMetrics, onError: flushMetrics })
    .handler(fn);
}
