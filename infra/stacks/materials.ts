/**
 * What the materials capability needs on AWS, used by the stacks: the bucket's
 * lifecycle for uploads, and grants limited to the prefixes each function
 * touches (shared/services/materials.ts). Materials of declarations live
 * under `uploads/<declarationId>/…` and `verified/<declarationId>/…`, notice
 * attachments under `uploads/notices/…` and `verified/notices/…`; the notice
 * routes get the notice prefixes only.
 *
 * | function | Materials bucket | Main table |
 * |---|---|---|
 * | create-material (signs the presigned POST) | PutObject on uploads/* | as every POST route |
 * | list-materials, get-material (sign downloads) | GetObject on verified/* | read |
 * | create-notice-attachment (signs the presigned POST) | PutObject on uploads/notices/* | as every POST route |
 * | list-notice-attachments, get-notice-attachment, get-notice, get-public-notice (sign downloads) | GetObject on verified/notices/* | read |
 * | verify-material (S3 trigger, both kinds) | Get/Delete(Version) on uploads/*, Put/Delete on verified/* | Get/Update on MATERIALS#* items and, for a verified attachment's summary, NOTICE#* items |
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  MATERIAL_UPLOAD_PREFIX,
  MATERIAL_VERIFIED_PREFIX,
  NOTICE_ATTACHMENT_UPLOAD_PREFIX,
  NOTICE_ATTACHMENT_VERIFIED_PREFIX,
} from '../../shared/domain/materials.ts';
import { bucketName, tableName } from '../config/names.ts';
import type { StageConfig } from '../config/stages.ts';
import type { NodeFunction } from '../constructs/node-function.ts';
import { mainTable } from '../definitions/tables.ts';
import { acknowledgeWildcardResource } from '../nag.ts';

/** Objects under one prefix of the Materials bucket, by its name (no cross-stack reference). */
export const materialObjects = (config: StageConfig, prefix: string) =>
  `arn:${Aws.PARTITION}:s3:::${bucketName(config, 'Materials')}/${prefix}*`;

const UPLOADS_REASON =
  'Material uploads are uploads/<declarationId>/<materialId>, one key per material made at request time; the grant covers that prefix of the Materials bucket only.';
const VERIFIED_REASON =
  'Verified materials are verified/<declarationId>/<materialId>, one key per material; the grant covers that prefix of the Materials bucket only.';
const NOTICE_UPLOADS_REASON =
  'Notice attachment uploads are uploads/notices/<noticeId>/<materialId>, one key per attachment made at request time; the grant covers that prefix of the Materials bucket only.';
const NOTICE_VERIFIED_REASON =
  'Verified notice attachments are verified/notices/<noticeId>/<materialId>; download links are signed for that prefix of the Materials bucket only.';

/** Notice routes that sign download links of verified attachments. */
export const NOTICE_ATTACHMENT_READERS = [
  'notices/list-notice-attachments',
  'notices/get-notice-attachment',
  'notices/get-notice',
  'notices/get-public-notice',
];

/**
 * Unverified uploads never outlive a day: verification deletes them, this
 * catches what it never saw (an event lost to the dead-letter queue) and the
 * versions a deletion leaves behind.
 */
export function configureMaterialsBucket(bucket: Bucket): void {
  bucket.addLifecycleRule({
    id: 'ExpireUnverifiedUploads',
    prefix: MATERIAL_UPLOAD_PREFIX,
    expiration: Duration.days(1),
    noncurrentVersionExpiration: Duration.days(1),
  });
}

/** Route grants beyond the table (ApiStack grants the table per method). */
export function grantMaterialRoute(fn: NodeFunction, handler: string, config: StageConfig): void {
  if (handler === 'materials/create-material') {
    // A presigned POST acts with the signer's permissions: PutObject on the upload prefix only.
    const uploads = materialObjects(config, MATERIAL_UPLOAD_PREFIX);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [uploads] }));
    acknowledgeWildcardResource(fn.role, uploads, UPLOADS_REASON);
  } else if (handler === 'materials/list-materials' || handler === 'materials/get-material') {
    // Download links are signed for verified copies only; an unverified upload is unreachable.
    const verified = materialObjects(config, MATERIAL_VERIFIED_PREFIX);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [verified] }));
    acknowledgeWildcardResource(fn.role, verified, VERIFIED_REASON);
  } else if (handler === 'notices/create-notice-attachment') {
    const uploads = materialObjects(config, NOTICE_ATTACHMENT_UPLOAD_PREFIX);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [uploads] }));
    acknowledgeWildcardResource(fn.role, uploads, NOTICE_UPLOADS_REASON);
  } else if (NOTICE_ATTACHMENT_READERS.includes(handler)) {
    // Declaration materials stay out of reach of the notice routes (public ones included).
    const verified = materialObjects(config, NOTICE_ATTACHMENT_VERIFIED_PREFIX);
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [verified] }));
    acknowledgeWildcardResource(fn.role, verified, NOTICE_VERIFIED_REASON);
  }
}

/** The verification trigger: read and remove uploads, write verified copies, decide materials. */
export function grantVerifyMaterial(fn: NodeFunction, config: StageConfig): void {
  const uploads = materialObjects(config, MATERIAL_UPLOAD_PREFIX);
  const verified = materialObjects(config, MATERIAL_VERIFIED_PREFIX);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      // The exact version an event names; deleting that version removes a rejected file for good.
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [uploads],
    }),
  );
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      // CopyObject writes the verified copy; DeleteObject removes it when another decision won.
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [verified],
    }),
  );
  acknowledgeWildcardResource(fn.role, uploads, UPLOADS_REASON);
  acknowledgeWildcardResource(fn.role, verified, VERIFIED_REASON);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resources: [Stack.of(fn).formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName(config, mainTable.id) })],
      // Material items and their slot counter (shared/store/keys.ts materialKey), and the
      // notice item whose attachment summary a verification appends to (noticeKey).
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MATERIALS#*', 'NOTICE#*'] } },
    }),
  );
}
