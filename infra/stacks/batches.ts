/**
 * What batch submission needs on AWS, used by the stacks: the Batches bucket's
 * lifecycle, and grants limited to the prefixes and items each function
 * touches (shared/services/batch*.ts):
 *
 * | function | Batches bucket | Main table |
 * |---|---|---|
 * | create-batch (signs the presigned POST) | PutObject on uploads/* | as every POST route |
 * | get-batch (signs the errors link) | GetObject on errors/* | read |
 * | start-ingestion (S3 trigger) | none | Get/Update on BATCH#* items; StartExecution on the batch state machine |
 * | split-batch | GetObject on uploads/*, PutObject on work/* | Get/Update on BATCH#*, Get on SCHEME#* |
 * | process-chunk | Get/Put on work/* | items of every row (enterprises, declarations, pointers, comparisons) |
 * | finish-batch | Get/Delete on work/*, PutObject on errors/* | Get/Query/Update on BATCH#* |
 * | record-batch-failure | none | Update on BATCH#* |
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { ERRORS_PREFIX, UPLOAD_PREFIX, WORK_PREFIX } from '../../shared/domain/batch.ts';
import { batchWorkflow } from '../workflows/index.ts';
import { bucketName, stateMachineArn, tableName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';
import type { NodeFunction } from '../constructs/node-function.ts';
import { mainTable } from '../definitions/tables.ts';
import { acknowledgeWildcardResource } from '../nag.ts';

export const batchObjects = (config: StageConfig, prefix: string) =>
  `arn:${Aws.PARTITION}:s3:::${bucketName(config, 'Batches')}/${prefix}*`;

const REASONS: Record<string, string> = {
  [UPLOAD_PREFIX]: 'Batch uploads are uploads/<batchId>, one key per batch made at request time; the grant covers that prefix of the Batches bucket only.',
  [WORK_PREFIX]: 'Chunk files and error parts are work/<batchId>/..., written and read by the batch workflow only; the grant covers that prefix of the Batches bucket only.',
  [ERRORS_PREFIX]: 'Errors files are errors/<batchId>.csv, one per batch; the grant covers that prefix of the Batches bucket only.',
};

function grantObjects(fn: NodeFunction, config: StageConfig, prefix: string, actions: string[]): void {
  const resource = batchObjects(config, prefix);
  fn.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [resource] }));
  acknowledgeWildcardResource(fn.role, resource, REASONS[prefix]!);
}

const mainTableArn = (fn: NodeFunction, config: StageConfig) =>
  Stack.of(fn).formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName(config, mainTable.id) });

/** Item-level access: only items whose partition key starts with one of `leadingKeys`. */
function grantItems(fn: NodeFunction, config: StageConfig, actions: string[], leadingKeys: string[]): void {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [mainTableArn(fn, config)],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } },
    }),
  );
}

/**
 * Work files are scaffolding (the workflow deletes them; this catches a failed
 * batch's), errors files are wanted for a month, uploads are the record of
 * what was submitted and stay.
 */
export function configureBatchesBucket(bucket: Bucket): void {
  bucket.addLifecycleRule({ id: 'ExpireBatchWorkFiles', prefix: WORK_PREFIX, expiration: Duration.days(7) });
  bucket.addLifecycleRule({ id: 'ExpireBatchErrorFiles', prefix: ERRORS_PREFIX, expiration: Duration.days(30) });
}

/** Route grants beyond the table (ApiStack grants the table per method). */
export function grantBatchRoute(fn: NodeFunction, handler: string, config: StageConfig): void {
  // A presigned POST acts with the signer's permissions; so does a presigned GET.
  if (handler === 'batches/create-batch') grantObjects(fn, config, UPLOAD_PREFIX, ['s3:PutObject']);
  if (handler === 'batches/get-batch') grantObjects(fn, config, ERRORS_PREFIX, ['s3:GetObject']);
}

/** The S3 trigger: the batch record, and starting its workflow. */
export function grantStartIngestion(fn: NodeFunction, config: StageConfig): void {
  grantItems(fn, config, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], ['BATCH#*']);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn(config, batchWorkflow.name)] }),
  );
}

/** The workflow's task functions, by handler path. */
export const BATCH_TASK_GRANTS: Record<string, (fn: NodeFunction, config: StageConfig) => void> = {
  'batches/split-batch': (fn, config) => {
    grantItems(fn, config, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], ['BATCH#*', 'SCHEME#*']);
    grantObjects(fn, config, UPLOAD_PREFIX, ['s3:GetObject']);
    grantObjects(fn, config, WORK_PREFIX, ['s3:PutObject']);
  },
  'batches/process-chunk': (fn, config) => {
    // Rows touch every kind of item they declare (ENT#, DECL#, DKEY#, CMP#) and the batch's own.
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [mainTableArn(fn, config)],
      }),
    );
    grantObjects(fn, config, WORK_PREFIX, ['s3:GetObject', 's3:PutObject']);
  },
  'batches/finish-batch': (fn, config) => {
    grantItems(fn, config, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], ['BATCH#*']);
    grantObjects(fn, config, WORK_PREFIX, ['s3:GetObject', 's3:DeleteObject']);
    grantObjects(fn, config, ERRORS_PREFIX, ['s3:PutObject']);
  },
  'batches/record-batch-failure': (fn, config) => {
    grantItems(fn, config, ['dynamodb:UpdateItem'], ['BATCH#*']);
  },
};
