/**
 * One logger, one metrics and one tracer instance per function (Powertools),
 * shared by the HTTP stack and the event handlers. Locally, POWERTOOLS_DEV
 * turns metrics output off and the tracer is inactive outside Lambda.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'benchmarking-platform';

export const logger = new Logger({ serviceName });

export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'BenchmarkingPlatform',
});

export const tracer = new Tracer({ serviceName });

/** Publishes the metrics a handler recorded, and says nothing when it recorded none. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
