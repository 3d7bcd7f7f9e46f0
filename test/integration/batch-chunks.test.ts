/**
 * The batch workflow's steps called by hand against the emulators, to do
 * what Step Functions may do: a chunk that dies half-way through its writes
 * and runs again, a chunk delivered twice after it succeeded. Nothing is
 * declared twice, nothing is lost, and the counts come out once.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emulatorClients } from '../support/emulators.ts';
import { textileRows, utf8Csv } from '../support/batches.ts';
import { createTextileScheme } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let t: TestPlatform;
let schemeId: string;
const rows = textileRows(300, '330106', 60_000, '婴儿毯');

const modules = async () => ({
  aws: await import('../../shared/aws/clients.ts'),
  ingestion: await import('../../shared/services/batch-ingestion.ts'),
  chunks: await import('../../shared/services/batch-chunks.ts'),
  batches: await import('../../shared/store/batches.ts'),
  keys: await import('../../shared/store/keys.ts'),
});

beforeAll(async () => {
  t = await startTestPlatform();
  schemeId = (await createTextileScheme(t.admin)).id;
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await t?.platform.stop();
});

async function byGsi2(pk: string) {
  const { aws } = await modules();
  const result = await aws.dynamo().send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME!,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return result.Items ?? [];
}

const declarationsOf = (creditCode: string) => byGsi2(`DECL#E#${creditCode}`);

/** A batch whose upload is in place; its id is not a ULID, so the upload trigger leaves it to the test. */
async function preparedBatch(id: string) {
  const { batches } = await modules();
  await emulatorClients().s3.send(
    new PutObjectCommand({ Bucket: process.env.BATCHES_BUCKET!, Key: `uploads/${id}`, Body: utf8Csv(rows) }),
  );
  const now = new Date().toISOString();
  await batches.insertBatch({
    id,
    schemeId,
    schemeVersion: null,
    fileName: 'itest.csv',
    format: 'csv',
    size: 10 * 1024 * 1024,
    status: 'processing',
    uploader: { clientId: 'itest-province', role: 'province', territory: '330000' },
    divisionCode: '330000',
    rows: null,
    chunks: null,
    errorsKey: null,
    accepted: 0,
    unchanged: 0,
    rejected: 0,
    compared: 0,
    createdAt: now,
    updatedAt: now,
  });
}

describe('batch chunks under retries', () => {
  const id = `itest-${Date.now().toString(36)}`;

  it('declares every row once and counts once when a chunk dies half-way and runs again, then runs a third time', async () => {
    const { aws, ingestion, chunks, batches, keys } = await modules();
    await preparedBatch(id);
    const split = await ingestion.splitBatch({ batchId: id });
    if (!('chunks' in split)) throw new Error(`split stopped: ${split.stopped}`);
    expect(split.chunks.map((chunk) => chunk.rows)).toEqual([250, 50]);

    // The process dies after four transactions (three create the chunk's 250
    // enterprises, one declares 50 rows): some rows are declared, the chunk is not recorded.
    const client = aws.dynamo();
    const send = client.send.bind(client);
    let transactions = 0;
    const crash = vi.spyOn(client, 'send').mockImplementation(((command: unknown) => {
      if (command instanceof TransactWriteCommand && ++transactions > 4) return Promise.reject(new Error('process died'));
      return send(command as never);
    }) as typeof client.send);
    await expect(chunks.processChunk({ batchId: id, chunk: split.chunks[0]! })).rejects.toThrow('process died');
    // Requests already in flight land; anything after the crash fails like the first.
    await new Promise((done) => setTimeout(done, 300));
    crash.mockRestore();
    expect((await batches.getBatch(id, true))!.accepted).toBe(0);
    expect((await declarationsOf(String(rows[0]![0]))).length).toBe(1);

    // Step Functions retries the chunk; later it delivers it once more.
    await chunks.processChunk({ batchId: id, chunk: split.chunks[0]! });
    await chunks.processChunk({ batchId: id, chunk: split.chunks[1]! });
    await expect(chunks.processChunk({ batchId: id, chunk: split.chunks[0]! })).resolves.toEqual({ index: 0, status: 'done' });
    await ingestion.finishBatch({ batchId: id });

    const batch = (await batches.getBatch(id, true))!;
    expect(batch).toMatchObject({ status: 'completed', rows: 300, accepted: 300, unchanged: 0, rejected: 0, compared: 300 });

    // One declaration per row, and one comparison per declaration, each with its row.
    for (const row of [rows[0]!, rows[1]!, rows[120]!, rows[249]!, rows[299]!]) {
      const declarations = await declarationsOf(String(row[0]));
      expect(declarations, String(row[0])).toHaveLength(1);
      expect(declarations[0]).toMatchObject({ status: 'compared', latest: true, revision: 1 });
      const comparisons = await byGsi2(`CMP#D#${declarations[0]!.id as string}`);
      expect(comparisons.map((c) => [c.id, c.status])).toEqual([[declarations[0]!.comparisonId, 'succeeded']]);
      const pointer = await client.send(
        new QueryCommand({
          TableName: process.env.TABLE_NAME!,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.latestDeclarationKey(String(row[0]), schemeId, '婴儿毯').pk },
        }),
      );
      expect(pointer.Items?.[0]?.declarationId).toBe(declarations[0]!.id);
    }
  }, 60_000);

  it('counts a re-processed batch of the same rows as unchanged, never declaring again', async () => {
    const { ingestion, chunks, batches } = await modules();
    const again = `${id}-again`;
    await preparedBatch(again);
    const split = await ingestion.splitBatch({ batchId: again });
    if (!('chunks' in split)) throw new Error('split stopped');
    for (const chunk of split.chunks) await chunks.processChunk({ batchId: again, chunk });
    await ingestion.finishBatch({ batchId: again });
    expect(await batches.getBatch(again, true)).toMatchObject({ status: 'completed', accepted: 0, unchanged: 300, compared: 0 });
  }, 60_000);
});
