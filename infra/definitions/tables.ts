/**
 * Table and bucket definitions shared by the CDK stacks and the local bootstrap,
 * so that DynamoDB Local and S3 emulator hold exactly what AWS holds.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey: KeyDefinition;
}

export interface TableDefinition {
  /** Construct id in CDK and the suffix of the physical name locally. */
  id: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  globalSecondaryIndexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  timeToLiveAttribute?: string;
  stream?: 'NEW_AND_OLD_IMAGES';
}

const s = (name: string): KeyDefinition => ({ name, type: 'S' });

/**
 * The single table of the platform. Item shapes and access patterns are in
 * shared/store/README.md. Three overloaded GSIs serve every list without a Scan.
 */
export const mainTable: TableDefinition = {
  id: 'Main',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') },
    { indexName: 'gsi2', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk') },
    { indexName: 'gsi3', partitionKey: s('gsi3pk'), sortKey: s('gsi3sk') },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
};

/** Idempotency records (Idempotency-Key), expired by TTL after 24 hours. */
export const idempotencyTable: TableDefinition = {
  id: 'Idempotency',
  partitionKey: s('id'),
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

/**
 * The search index (shared/store/search-index.ts): one posting per token and
 * document, written by a consumer of the Main table's stream. A table of its
 * own, without a stream, so that a million postings never pass through the
 * Main table's stream consumers.
 */
export const searchTable: TableDefinition = {
  id: 'Search',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: [],
};

export const tables = [mainTable, idempotencyTable, searchTable] as const;

export interface BucketDefinition {
  id: string;
  /** Environment variable through which functions learn the bucket name. */
  envVar: string;
}

export const buckets: BucketDefinition[] = [
  { id: 'Materials', envVar: 'MATERIALS_BUCKET' },
  { id: 'Reports', envVar: 'REPORTS_BUCKET' },
  { id: 'Batches', envVar: 'BATCHES_BUCKET' },
];
