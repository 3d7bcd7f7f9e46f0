/** Batch submission: templates, uploads and their progress. */
import { BatchParams, CreateBatchBody } from '../../schemas/batches.ts';
import { Batch, BatchCreated } from '../../schemas/batches.docs.ts';
import { SchemeParams } from '../../schemas/schemes.ts';
import { json, type Route } from './types.ts';

export const batchRoutes: Route[] = [
  {
    operationId: 'getSchemeTemplateCsv',
    method: 'GET',
    path: '/v1/schemes/{id}/template.csv',
    handler: 'batches/get-template-csv',
    auth: 'bearer',
    tag: 'batches',
    summary: 'The batch template of the scheme’s latest version as CSV (UTF-8 with BOM)',
    description:
      'The header row: creditCode, enterpriseName, divisionCode, industry, product, standardNumber, then one column per indicator code. Values in the scheme’s unit (or a convertible unit after the number); a range as low~high; booleans true/false or 是/否; an empty cell is an indicator not declared.',
    request: { params: SchemeParams },
    responses: { 200: { description: 'The template', contentType: 'text/csv' } },
    errors: [401, 404],
  },
  {
    operationId: 'getSchemeTemplateXlsx',
    method: 'GET',
    path: '/v1/schemes/{id}/template.xlsx',
    handler: 'batches/get-template-xlsx',
    auth: 'bearer',
    tag: 'batches',
    summary: 'The batch template as XLSX, with a second sheet explaining each column (in the request’s language)',
    description:
      'Binary: send `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (API Gateway returns binary bodies only to requests that accept the type).',
    request: { params: SchemeParams },
    responses: {
      200: { description: 'The workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    },
    errors: [401, 404],
    memoryMb: 1024,
  },
  {
    operationId: 'createBatch',
    method: 'POST',
    path: '/v1/batches',
    handler: 'batches/create-batch',
    auth: 'bearer',
    tag: 'batches',
    summary: 'Start a batch upload (province, city, national): returns a presigned POST for the file',
    description:
      'Upload the file with the returned form; processing starts when it arrives. Rows create missing enterprises inside the uploader’s territory; rows outside it are rejected. Poll GET /v1/batches/{batchId}.',
    request: { body: CreateBatchBody },
    responses: { 201: json('Created, waiting for the upload', BatchCreated) },
    errors: [400, 401, 403, 415, 422],
    idempotent: true,
  },
  {
    operationId: 'getBatch',
    method: 'GET',
    path: '/v1/batches/{id}',
    handler: 'batches/get-batch',
    auth: 'bearer',
    tag: 'batches',
    summary: 'A batch: status, counts while it runs, and a short-lived link to its errors file',
    description:
      'Visible to the uploader, to bureaus whose territory contains the uploader’s, and to national. A row identical to the latest declaration of its enterprise and product is `unchanged`; of two rows for one enterprise and product, the later wins and the earlier is rejected naming it.',
    request: { params: BatchParams },
    responses: { 200: json('The batch', Batch) },
    errors: [401, 403, 404],
  },
];
