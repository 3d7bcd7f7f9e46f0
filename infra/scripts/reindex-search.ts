/**
 * Rebuilds the search postings of every standard, scheme, expert and
 * institution from the table itself (Queries of their gsi1 partitions, no
 * Scan). The stream consumer keeps the index current from then on; this is
 * for data written before it ran: a table older than the stream's 24 hours,
 * or a local DATA_DIR seeded before search existed. Idempotent.
 *
 *   TABLE_NAME=benchmarking-dev-main SEARCH_TABLE_NAME=benchmarking-dev-search \
 *     node --import tsx infra/scripts/reindex-search.ts
 *   (locally also DYNAMODB_ENDPOINT=http://127.0.0.1:<port>)
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../shared/aws/clients.ts';
import { indexWrites } from '../../shared/domain/search.ts';
import { writePostings } from '../../shared/store/search-index.ts';
import { mainTableName } from '../../shared/store/table.ts';

if (!process.env.TABLE_NAME || !process.env.SEARCH_TABLE_NAME) {
  console.error('Set TABLE_NAME and SEARCH_TABLE_NAME to the Main and Search table names (and DYNAMODB_ENDPOINT locally).');
  process.exit(2);
}
// Only the two tables are used here.
process.env.IDEMPOTENCY_TABLE_NAME ??= 'unused';
process.env.TOKEN_ISSUER ??= 'unused';
process.env.TOKEN_AUDIENCE ??= 'unused';
process.env.SIGNING_KEY_ID ??= 'unused';

/** The gsi1 partitions listing every searched item: standards, scheme heads, experts, institutions. */
const PARTITIONS = ['STD', 'SCHEME', 'EXPERT', 'INST'];

let documents = 0;
for (const partition of PARTITIONS) {
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await dynamo().send(
      new QueryCommand({
        TableName: mainTableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ExclusiveStartKey: start,
        Limit: 100,
      }),
    );
    const { puts } = indexWrites((page.Items ?? []).map((item) => ({ after: item })));
    await writePostings(puts, []);
    documents += puts.length;
    start = page.LastEvaluatedKey;
  } while (start);
}
console.log(`indexed ${documents} documents`);
