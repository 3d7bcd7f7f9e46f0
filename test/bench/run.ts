/**
 * `npm run bench`: measures against a fresh local platform and prints one table
 * with each figure beside its same-run baseline. Benchmarks are not tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../infra/local/api-client.ts';
import { startPlatform } from '../../infra/local/runtime.ts';
import { seedDemoData } from '../../infra/local/seed.ts';
import { benchApiLatency } from './api-latency.ts';
import { benchBatches } from './batches.ts';
import { benchAuthCost } from './auth-cost.ts';
import { benchEngine } from './engine.ts';
import { benchBundles } from './bundles.ts';
import { benchComparisonLatency } from './comparison-latency.ts';
import { benchMaterials } from './materials.ts';
import { benchSearch } from './search.ts';
import { benchStatsLatency } from './stats-latency.ts';
import { printTable, type Row } from './stats.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
// Latency, not throttling, is measured: the per-client usage plan must not get in the way.
const platform = await startPlatform({ dataDir, port: 0, inMemory: true, clientThrottle: { rateLimit: 1e9, burstLimit: 1e9 } });
try {
  const admin = new ApiClient(platform.url, platform.bootstrap.clientId, platform.bootstrap.clientSecret);
  const seeded = await seedDemoData(admin);
  const declarations = await admin.call<{ items: { id: string; revision: number }[] }>('GET', '/v1/declarations?limit=1');
  // `npm run bench -- batches bundles` runs just those; no names, all of them.
  const only = new Set(process.argv.slice(2));
  const wanted = (name: string) => only.size === 0 || only.has(name);
  const textiles = seeded.schemes.find((s) => s.name.includes('婴幼儿纺织品'))!;
  const benches: [string, () => Promise<Row[]> | Row[]][] = [
    ['api-latency', () => benchApiLatency(platform, admin, declarations.items[0]!.id)],
    ['auth-cost', () => benchAuthCost(platform, admin, declarations.items[0]!.id)],
    ['engine', () => benchEngine()],
    [
      'comparison-latency',
      () =>
        benchComparisonLatency(admin, {
          creditCode: '91350100M000100Y43',
          schemeId: textiles.id,
          indicators: [
            { code: 'lead', value: 90 },
            { code: 'cadmium', value: 30 },
            { code: 'phthalates', value: 0.1 },
            { code: 'ph', value: [4.0, 7.5] },
          ],
        }),
    ],
    ['materials', () => benchMaterials(admin)],
    ['batches', () => benchBatches(platform, admin, textiles.id)],
    ['stats', () => benchStatsLatency(platform, admin)],
    ['search', () => benchSearch(platform, admin)],
    ['bundles', () => benchBundles()],
  ];
  const unknown = [...only].filter((name) => !benches.some(([known]) => known === name));
  if (unknown.length > 0) throw new Error(`Unknown benchmark ${unknown.join(', ')}: choose from ${benches.map(([name]) => name).join(', ')}`);
  const rows: Row[] = [];
  for (const [name, bench] of benches) if (wanted(name)) rows.push(...(await bench()));
  console.log(`\nBenchmarks (${new Date().toISOString()}, node ${process.version}, ${process.arch})\n`);
  printTable(rows);
} finally {
  await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
