/**
 * Submit-to-succeeded latency of comparisons through the local runtime: from
 * the start of POST /v1/declarations to the comparison's completedAt, for 200
 * declarations submitted 10 at a time, beside the POST's own response time.
 */
import type { ApiClient } from '../../infra/local/api-client.ts';
import { ms, percentile, type Row } from './stats.ts';

export async function benchComparisonLatency(
  admin: ApiClient,
  target: { creditCode: string; schemeId: string; indicators: unknown[] },
  count = 200,
  inFlight = 10,
): Promise<Row[]> {
  const submitted: { comparisonId: string; startedAt: number; respondedAt: number }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const startedAt = Date.now();
      const declaration = await admin.call<{ comparisonId: string }>('POST', '/v1/declarations', {
        creditCode: target.creditCode,
        schemeId: target.schemeId,
        product: `基准测试产品 ${i}`,
        standardNumber: 'Q/BENCH 1-2024',
        indicators: target.indicators,
      });
      submitted.push({ comparisonId: declaration.comparisonId, startedAt, respondedAt: Date.now() });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));

  const latencies: number[] = [];
  for (const item of submitted) {
    for (;;) {
      const comparison = await admin.call<{ status: string; completedAt?: string }>('GET', `/v1/comparisons/${item.comparisonId}`);
      if (comparison.status === 'succeeded') {
        latencies.push(Date.parse(comparison.completedAt!) - item.startedAt);
        break;
      }
      if (comparison.status === 'failed') throw new Error(`comparison ${item.comparisonId} failed`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }
  latencies.sort((a, b) => a - b);
  const responses = submitted.map((s) => s.respondedAt - s.startedAt).sort((a, b) => a - b);
  return [
    {
      name: `submit → succeeded p50 (${count}, ${inFlight} in flight)`,
      value: ms(percentile(latencies, 50)),
      baselineName: 'POST /v1/declarations p50',
      baseline: ms(percentile(responses, 50)),
      ratio: `${(percentile(latencies, 50) / percentile(responses, 50)).toFixed(2)}x`,
    },
    {
      name: `submit → succeeded p95 (${count}, ${inFlight} in flight)`,
      value: ms(percentile(latencies, 95)),
      baselineName: 'POST /v1/declarations p95',
      baseline: ms(percentile(responses, 95)),
      ratio: `${(percentile(latencies, 95) / percentile(responses, 95)).toFixed(2)}x`,
      target: 'p95 < 2000 ms',
    },
  ];
}
