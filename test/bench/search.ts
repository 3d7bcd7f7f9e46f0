/**
 * GET /v1/search with 10,000 standards loaded, beside a raw GetItem on the
 * same DynamoDB Local in the same run. The standards are written through the
 * store (the same transaction POST /v1/standards runs) and indexed by the
 * stream consumer like any other write; the time the index takes to catch up
 * is reported beside the time of the writes themselves. Titles are drawn from
 * a small vocabulary, so common terms (`能效`, `safety`, `gb`) have posting
 * lists far longer than one page: the bounded reads and candidate checks are
 * what is measured, not a toy index.
 */
import { Agent, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { ApiClient } from '../../infra/local/api-client.ts';
import type { Platform } from '../../infra/local/runtime.ts';
import { searchDocumentOf } from '../../shared/domain/search.ts';
import { putStandard, type StandardRecord } from '../../shared/store/standards.ts';
import { ms, percentile, type Row, timeEach } from './stats.ts';

const STANDARDS = 10_000;

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

const ZH_SUBJECTS = ['家用电器', '照明产品', '纺织品', '玩具', '电线电缆', '压力容器', '汽车零部件', '医疗器械', '建筑材料', '食品包装', '锂离子电池', '电动自行车', '燃气灶具', '热水器', '洗衣机', '电冰箱'];
const ZH_ASPECTS = ['安全要求', '能效限定值及能效等级', '测试方法', '通用技术条件', '有害物质限量', '电磁兼容', '环境适应性', '可靠性试验', '标志和包装'];
const EN_SUBJECTS = ['household appliances', 'lighting products', 'textiles', 'toys', 'electric cables', 'pressure vessels', 'vehicle components', 'medical devices', 'building materials', 'food packaging', 'lithium-ion batteries', 'electric bicycles', 'gas cookers', 'water heaters', 'washing machines', 'refrigerators'];
const EN_ASPECTS = ['safety requirements', 'energy efficiency grades', 'test methods', 'general specifications', 'limits of hazardous substances', 'electromagnetic compatibility', 'environmental testing', 'reliability tests', 'marking and packaging'];

/** Numbers of several families, unique by construction. */
function numberOf(i: number, random: () => number): { number: string; org: string; kind: StandardRecord['kind'] } {
  const year = 2000 + Math.floor(random() * 24);
  switch (i % 5) {
    case 0:
      return { number: `GB/T ${10000 + i}-${year}`, org: 'SAC', kind: 'domestic' };
    case 1:
      return { number: `GB ${20000 + i}-${year}`, org: 'SAC', kind: 'domestic' };
    case 2:
      return { number: `ISO ${30000 + i}-${1 + (i % 4)}:${year}`, org: 'ISO', kind: 'international' };
    case 3:
      return { number: `IEC ${60000 + i}-2-${10 + (i % 80)}:${year}`, org: 'IEC', kind: 'international' };
    default:
      return { number: `EN ${50000 + i}:${year}`, org: 'CEN', kind: 'foreign' };
  }
}

function standards(count: number): StandardRecord[] {
  const random = generator(16358);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const subject = Math.floor(random() * ZH_SUBJECTS.length);
    const aspect = Math.floor(random() * ZH_ASPECTS.length);
    return {
      id: ulid(),
      ...numberOf(i, random),
      title: `${ZH_SUBJECTS[subject]}${ZH_ASPECTS[aspect]}`,
      titleEn: `${EN_SUBJECTS[subject]} — ${EN_ASPECTS[aspect]}`,
      aliases: random() < 0.2 ? [pick(ZH_SUBJECTS).slice(0, 2)] : [],
      createdAt: now,
      createdBy: 'bench',
    };
  });
}

async function load(records: StandardRecord[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const record = records[next++]!;
      if ((await putStandard(record)) !== 'created') throw new Error(`standard ${record.number} exists`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(url: URL, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Query classes: a rare number, a number with its prefix, an alias, Chinese words, English words, a common term. */
const QUERIES: [string, string][] = [
  ['number', '16358'],
  ['prefix + number', 'ISO 16358'],
  ['alias', '空调'],
  ['Chinese words', '空气调节器'],
  ['English words', 'heat pumps'],
  ['common terms', '家用电器 能效'],
];

export async function benchSearch(platform: Platform, admin: ApiClient, count = 400, loaded = STANDARDS): Promise<Row[]> {
  const records = standards(loaded);
  const postings = records.reduce((sum, r) => sum + searchDocumentOf({ ...r, kind: 'standard' })!.postings.size, 0);
  const started = performance.now();
  await load(records);
  const written = performance.now();
  await platform.streams!.drain();
  const indexed = performance.now();

  const token = await admin.accessToken();
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const probe = records[0]!;
  const getItem = () => documents.send(new GetCommand({ TableName: platform.tableNames.Main, Key: { pk: `STD#${probe.id}`, sk: 'STD' } }));

  const urls = QUERIES.map(([, q]) => new URL(`${platform.url}/v1/search?q=${encodeURIComponent(q)}`));
  for (const [i, url] of urls.entries()) {
    const { status, body } = await get(url, token);
    const items = (JSON.parse(body) as { items: { title: string }[] }).items;
    if (status !== 200 || items.length === 0) throw new Error(`search ${QUERIES[i]![1]} failed: ${status} ${body.slice(0, 200)}`);
    // The seeded ISO 16358-1:2013 must still win among 10,000 others.
    if (i < 5 && !items.some((item) => item.title.startsWith('ISO 16358-1:2013'))) {
      throw new Error(`search ${QUERIES[i]![1]} lost ISO 16358-1:2013 among the loaded standards`);
    }
  }
  // Warm both paths, then interleave them in blocks so drift on the machine affects both alike.
  for (let i = 0; i < 50; i++) {
    for (const url of urls) await get(url, token);
    await getItem();
  }
  const samples = QUERIES.map(() => [] as number[]);
  const all: number[] = [];
  const raw: number[] = [];
  for (let block = 0; block < 10; block++) {
    for (const [i, url] of urls.entries()) {
      const taken = await timeEach(count / 10 / QUERIES.length, () => get(url, token));
      samples[i]!.push(...taken);
      all.push(...taken);
    }
    raw.push(...(await timeEach(count / 10, getItem)));
  }
  agent.destroy();
  documents.destroy();
  for (const list of [...samples, all, raw]) list.sort((a, b) => a - b);
  const rawP50 = percentile(raw, 50);
  const rawP99 = percentile(raw, 99);
  const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(1)}x`;
  return [
    ...QUERIES.map(([label, q], i): Row => {
      const p50 = percentile(samples[i]!, 50);
      return { name: `GET /v1/search "${q}" (${label}) p50`, value: ms(p50), baselineName: 'raw GetItem p50', baseline: ms(rawP50), ratio: ratio(p50, rawP50) };
    }),
    { name: `GET /v1/search, ${loaded} standards, all queries p50`, value: ms(percentile(all, 50)), baselineName: 'raw GetItem p50', baseline: ms(rawP50), ratio: ratio(percentile(all, 50), rawP50) },
    { name: `GET /v1/search, ${loaded} standards, all queries p99`, value: ms(percentile(all, 99)), baselineName: 'raw GetItem p99', baseline: ms(rawP99), ratio: ratio(percentile(all, 99), rawP99) },
    {
      name: `search index catch-up after the writes (${postings} postings)`,
      value: ms(indexed - written),
      baselineName: `writing the ${loaded} standards`,
      baseline: ms(written - started),
      ratio: ratio(indexed - written, written - started),
    },
  ];
}
