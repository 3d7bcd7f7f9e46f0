/**
 * What search needs on AWS, used by the stacks: the postings live in the
 * Search table (infra/definitions/tables.ts), apart from Main so that their
 * volume never reaches the Main table's stream consumers.
 *
 * | function | Search table |
 * |---|---|
 * | search (GET /v1/search) | Query, BatchGetItem |
 * | index-documents (Main stream consumer) | BatchWriteItem |
 */
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { tableName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';
import type { NodeFunction } from '../constructs/node-function.ts';
import { searchTable } from '../definitions/tables.ts';

/** The Search table's ARN, by its name (no cross-stack reference). */
export const searchTableArn = (fn: NodeFunction, config: StageConfig) =>
  Stack.of(fn).formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName(config, searchTable.id) });

/** Route handlers that read postings. */
export const SEARCH_READERS = ['search/search'];

export function grantSearchRoute(fn: NodeFunction, handler: string, config: StageConfig): void {
  if (!SEARCH_READERS.includes(handler)) return;
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'], resources: [searchTableArn(fn, config)] }),
  );
}

/** The stream consumer writes and deletes postings, nothing else. */
export function grantSearchIndexWriter(fn: NodeFunction, config: StageConfig): void {
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:BatchWriteItem'], resources: [searchTableArn(fn, config)] }));
}
