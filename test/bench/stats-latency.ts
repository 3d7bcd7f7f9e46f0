/**
 * GET /v1/stats with 10,000 declarations loaded, beside a raw GetItem on the
 * same DynamoDB Local in the same run. The declarations (compared, with their
 * comparison results from the engine) are written directly with
 * BatchWriteItem through the store's item builders; the stream aggregator
 * folds them into the counters like any other write, and how long that takes
 * is reported beside the load itself.
 */
import { Agent, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandOutput, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { ApiClient } from '../../infra/local/api-client.ts';
import type { Platform } from '../../infra/local/runtime.ts';
import { compareDeclaration } from '../../shared/domain/comparison.ts';
import { validateDeclaredIndicators } from '../../shared/domain/declaration.ts';
import type { SchemeIndicator } from '../../shared/domain/scheme.ts';
import { comparisonItem } from '../../shared/store/comparisons.ts';
import { declarationItem } from '../../shared/store/declarations.ts';
import { latestDeclarationKey } from '../../shared/store/keys.ts';
import type { SchemeRecord } from '../../shared/store/schemes.ts';
import { creditCodeCheckCharacter } from '../../shared/domain/credit-code.ts';
import { ms, percentile, type Row, timeEach } from './stats.ts';

const DIVISIONS = [
  '330106', '330108', '330110', '320505', '320506', '440305', '440306',
  '350102', '370202', '510104', '420102', '110105', '310115', '440103',
];
const INDUSTRIES = ['纺织服装', '照明电器', '家用电器', '仪器仪表', '食品', '建材', '汽车零部件', '医疗器械'];
const PER_ENTERPRISE = 4;

/** A deterministic generator, so every run loads the same data. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values around each indicator's first benchmark: some stricter, some looser. */
function declaredValues(indicators: SchemeIndicator[], random: () => number) {
  return indicators.map((indicator) => {
    const value = indicator.benchmarks[0]!.value;
    const factor = 0.8 + random() * 0.4;
    if (typeof value === 'number') return { code: indicator.code, value: Math.round(value * factor * 100) / 100 };
    if (Array.isArray(value)) return { code: indicator.code, value: random() < 0.7 ? value : [value[0] - 0.5, value[1] + 0.5] };
    return { code: indicator.code, value };
  });
}

function creditCode(division: string, serial: number): string {
  const first17 = `91${division}MA${String(serial).padStart(7, '0')}`;
  return first17 + creditCodeCheckCharacter(first17)!;
}

async function batchWrite(documents: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  let cursor = 0;
  const worker = async () => {
    while (cursor < items.length) {
      const chunk = items.slice(cursor, cursor + 25);
      cursor += 25;
      let pending: BatchWriteCommandOutput['UnprocessedItems'] = { [table]: chunk.map((Item) => ({ PutRequest: { Item } })) };
      while (pending && (pending[table]?.length ?? 0) > 0) {
        const result: BatchWriteCommandOutput = await documents.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = result.UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(url: URL, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchStatsLatency(platform: Platform, admin: ApiClient, count = 10_000, samples = 500): Promise<Row[]> {
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: platform.endpoints.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const table = platform.tableNames.Main!;
  const schemes = (await admin.call<{ items: SchemeRecord[] }>('GET', '/v1/schemes?limit=100')).items;
  const random = generator(42);

  // The fixture: declarations compared by the engine, with their comparisons and latest pointers.
  const items: Record<string, unknown>[] = [];
  const now = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const enterprise = Math.floor(i / PER_ENTERPRISE);
    const division = DIVISIONS[enterprise % DIVISIONS.length]!;
    const scheme = schemes[i % schemes.length]!;
    const checked = validateDeclaredIndicators(scheme.indicators, declaredValues(scheme.indicators, random));
    if (!checked.ok) throw new Error(`fixture declaration invalid: ${JSON.stringify(checked.issues)}`);
    const id = ulid();
    const comparisonId = ulid();
    const code = creditCode(division, 500_000 + enterprise);
    const product = `基准产品 ${i % PER_ENTERPRISE}`;
    items.push(
      declarationItem({
        id,
        creditCode: code,
        enterpriseName: `基准企业 ${enterprise}`,
        divisionCode: division,
        industry: INDUSTRIES[enterprise % INDUSTRIES.length]!,
        schemeId: scheme.id,
        schemeVersion: scheme.version,
        product,
        standardNumber: 'Q/BENCH 1-2024',
        indicators: checked.indicators,
        status: 'compared',
        comparisonId,
        lastComparisonId: comparisonId,
        revision: 1,
        supersedes: null,
        latest: true,
        version: 2,
        createdAt: now,
        updatedAt: now,
        createdBy: 'bench',
      }),
      comparisonItem({
        id: comparisonId,
        declarationId: id,
        creditCode: code,
        divisionCode: division,
        schemeId: scheme.id,
        schemeVersion: scheme.version,
        status: 'succeeded',
        result: compareDeclaration(scheme, checked.indicators),
        createdAt: now,
        completedAt: now,
        createdBy: 'bench',
      }),
      { ...latestDeclarationKey(code, scheme.id, product), kind: 'declaration_pointer', declarationId: id, revision: 1 },
    );
  }
  const loadStarted = performance.now();
  await batchWrite(documents, table, items);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const foldStarted = performance.now();
  await platform.streams!.drain();
  const foldSeconds = (performance.now() - foldStarted) / 1000;

  const token = await admin.accessToken();
  const national = await admin.call<{ groups: { declarations: number }[] }>('GET', '/v1/stats?groupBy=province');
  const counted = national.groups.reduce((sum, g) => sum + g.declarations, 0);
  if (counted < count) throw new Error(`the aggregator counted ${counted} of ${count} declarations`);

  const someDeclaration = items[0]!;
  const getItem = () => documents.send(new GetCommand({ TableName: table, Key: { pk: someDeclaration.pk, sk: someDeclaration.sk } }));
  const rows: Row[] = [
    {
      name: `aggregate ${count} declarations from the stream`,
      value: `${foldSeconds.toFixed(1)} s (${Math.round(count / foldSeconds)}/s)`,
      baselineName: 'BatchWriteItem load of them',
      baseline: `${loadSeconds.toFixed(1)} s`,
      ratio: `${(foldSeconds / loadSeconds).toFixed(2)}x`,
    },
  ];
  for (const groupBy of ['city', 'industry', 'scheme', 'round']) {
    const url = new URL(`${platform.url}/v1/stats?groupBy=${groupBy}`);
    for (let i = 0; i < 50; i++) {
      if ((await get(url, token)) !== 200) throw new Error(`GET /v1/stats?groupBy=${groupBy} failed during warm-up`);
      await getItem();
    }
    const api: number[] = [];
    const raw: number[] = [];
    for (let block = 0; block < 5; block++) {
      api.push(...(await timeEach(samples / 5, () => get(url, token))));
      raw.push(...(await timeEach(samples / 5, getItem)));
    }
    api.sort((a, b) => a - b);
    raw.sort((a, b) => a - b);
    for (const p of [50, 99]) {
      rows.push({
        name: `GET /v1/stats?groupBy=${groupBy} p${p} (${count} declarations)`,
        value: ms(percentile(api, p)),
        baselineName: `raw GetItem p${p}`,
        baseline: ms(percentile(raw, p)),
        ratio: `${(percentile(api, p) / percentile(raw, p)).toFixed(2)}x`,
      });
    }
  }
  agent.destroy();
  documents.destroy();
  return rows;
}
