/**
 * Public list prices of what the platform uses, US East (N. Virginia), us-east-1,
 * on-demand, in US dollars, without free tiers, savings plans or volume tiers beyond
 * the first one. Each constant names the page it comes from. The arithmetic that
 * turns usage into units AWS bills (rounding, minimums, memory increments) is here
 * too, pure, so that test/unit/cost-model.test.ts pins it to real numbers.
 */

const MB = 1024 * 1024;

// ---------------------------------------------------------------------------
// Prices

/** https://aws.amazon.com/lambda/pricing/ : Arm (the functions' architecture), first 7.5 billion GB-seconds a month. */
export const LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;
/** https://aws.amazon.com/lambda/pricing/ : $0.20 per 1 million requests. */
export const LAMBDA_PER_REQUEST = 0.2 / 1e6;
/** https://aws.amazon.com/api-gateway/pricing/ : REST APIs, $3.50 per million requests (first 333 million a month). */
export const API_GATEWAY_REST_PER_REQUEST = 3.5 / 1e6;
/** https://aws.amazon.com/step-functions/pricing/ : Standard workflows, $0.025 per 1,000 state transitions. */
export const SFN_STANDARD_PER_TRANSITION = 0.025 / 1000;
/** https://aws.amazon.com/step-functions/pricing/ : Express workflows, $1.00 per million requests. */
export const SFN_EXPRESS_PER_REQUEST = 1 / 1e6;
/** https://aws.amazon.com/step-functions/pricing/ : Express duration, $0.06 per GB-hour for the first 1,000 GB-hours. */
export const SFN_EXPRESS_PER_GB_SECOND = 0.06 / 3600;
/** https://aws.amazon.com/dynamodb/pricing/on-demand/ : Standard table class, $0.625 per million write request units. */
export const DYNAMODB_PER_WRITE_REQUEST_UNIT = 0.625 / 1e6;
/** https://aws.amazon.com/dynamodb/pricing/on-demand/ : Standard table class, $0.125 per million read request units. */
export const DYNAMODB_PER_READ_REQUEST_UNIT = 0.125 / 1e6;
/** https://aws.amazon.com/s3/pricing/ : S3 Standard, PUT, COPY, POST, LIST requests, $0.005 per 1,000. */
export const S3_PER_PUT_CLASS_REQUEST = 0.005 / 1000;
/** https://aws.amazon.com/s3/pricing/ : S3 Standard, GET, SELECT and all other requests, $0.0004 per 1,000. */
export const S3_PER_GET_CLASS_REQUEST = 0.0004 / 1000;
/** https://aws.amazon.com/sqs/pricing/ : Standard queues, $0.40 per million requests (each 64 KB chunk of a payload is a request). */
export const SQS_STANDARD_PER_REQUEST = 0.4 / 1e6;
/** https://aws.amazon.com/eventbridge/pricing/ : events published by AWS services (S3 notifications) to the default bus are free. */
export const EVENTBRIDGE_AWS_SERVICE_EVENT = 0;
/** https://aws.amazon.com/kms/pricing/ : asymmetric requests (Sign with the ECC_NIST_P256 token key), $0.15 per 10,000. */
export const KMS_ASYMMETRIC_PER_REQUEST = 0.15 / 10_000;
/** https://aws.amazon.com/cloudwatch/pricing/ : Logs, standard class, $0.50 per GB ingested (Lambda's first tier). */
export const CLOUDWATCH_LOGS_PER_GB_INGESTED = 0.5;
/** https://aws.amazon.com/xray/pricing/ : $5.00 per million traces recorded. */
export const XRAY_PER_TRACE_RECORDED = 5 / 1e6;
/** https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer): internet egress, $0.09 per GB (first 10 TB a month). */
export const DATA_TRANSFER_OUT_PER_GB = 0.09;

export const PRICE_REGION = 'us-east-1 (US East, N. Virginia)';

/** The pages the prices above are from. */
export const PRICE_PAGES = {
  LAMBDA: 'https://aws.amazon.com/lambda/pricing/',
  API: 'https://aws.amazon.com/api-gateway/pricing/',
  SFN: 'https://aws.amazon.com/step-functions/pricing/',
  DDB: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  S3: 'https://aws.amazon.com/s3/pricing/',
  SQS: 'https://aws.amazon.com/sqs/pricing/',
  EB: 'https://aws.amazon.com/eventbridge/pricing/',
  KMS: 'https://aws.amazon.com/kms/pricing/',
  CW: 'https://aws.amazon.com/cloudwatch/pricing/',
  XRAY: 'https://aws.amazon.com/xray/pricing/',
  EGRESS: 'https://aws.amazon.com/ec2/pricing/on-demand/',
} as const;

// ---------------------------------------------------------------------------
// Billing arithmetic

/** Lambda bills duration in 1 ms increments at the configured memory. */
export function lambdaGbSeconds(durationMs: number, memoryMb: number): number {
  return (Math.ceil(durationMs) / 1000) * (memoryMb / 1024);
}

/** Express duration is rounded up to the nearest 100 ms. */
export function expressBilledDurationMs(durationMs: number): number {
  return Math.max(100, Math.ceil(durationMs / 100) * 100);
}

/**
 * Express memory, billed in 64 MB chunks: the pricing page's estimate is
 * 50 MB + the definition's size + the execution data size × the Map or Parallel steps.
 */
export function expressBilledMemoryMb(definitionBytes: number, payloadBytes: number, mapOrParallelSteps = 1): number {
  const used = 50 * MB + definitionBytes + payloadBytes * Math.max(1, mapOrParallelSteps);
  return Math.ceil(used / (64 * MB)) * 64;
}

export function expressGbSeconds(durationMs: number, memoryMb: number): number {
  return (expressBilledDurationMs(durationMs) / 1000) * (memoryMb / 1024);
}

/** Standard writes: one unit per 1 KB of item, at least one. */
export function writeUnits(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 1024));
}

/** Reads: one unit per 4 KB (strongly consistent), half for eventually consistent, at least the minimum. */
export function readUnits(itemBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(itemBytes / 4096));
  return consistent ? units : units / 2;
}

/** A DynamoDB AttributeValue as the low-level API carries it. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array | string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: (Uint8Array | string)[] };

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
/** Binary values: bytes, or base64 text as the wire protocol carries them. */
const binaryBytes = (value: Uint8Array | string) => (typeof value === 'string' ? Buffer.from(value, 'base64').byteLength : value.byteLength);

/** Bytes of a number: one per two significant digits, plus one. */
function numberBytes(text: string): number {
  const digits = text.replace(/^[+-]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/**
 * Size of a value per "Item sizes and formats" (DynamoDB Developer Guide): strings
 * and binaries by length, numbers by significant digits, booleans and nulls 1 byte,
 * lists and maps 3 bytes plus 1 byte per element (a map's element includes its name).
 */
export function attributeValueBytes(value: AttributeValue): number {
  if ('S' in value) return utf8(value.S);
  if ('N' in value) return numberBytes(value.N);
  if ('B' in value) return binaryBytes(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('L' in value) return 3 + value.L.reduce((sum, element) => sum + 1 + attributeValueBytes(element), 0);
  if ('M' in value) {
    return 3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + utf8(name) + attributeValueBytes(element), 0);
  }
  if ('SS' in value) return value.SS.reduce((sum, element) => sum + utf8(element), 0);
  if ('NS' in value) return value.NS.reduce((sum, element) => sum + numberBytes(element), 0);
  if ('BS' in value) return value.BS.reduce((sum, element) => sum + binaryBytes(element), 0);
  return 0;
}

/** An item's size: the UTF-8 length of each attribute name plus its value's size. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeValueBytes(value), 0);
}

export type S3RequestClass = 'put' | 'get' | 'free';

/**
 * S3's price class of an HTTP request: PUT, COPY, POST and LIST requests at the
 * higher price; GET, HEAD and the rest at the lower; DELETE (and multi-object delete)
 * free.
 */
export function s3RequestClass(request: { method: string; path: string; query: Record<string, unknown> }): S3RequestClass {
  const method = request.method.toUpperCase();
  const segments = request.path.split('/').filter(Boolean);
  if (method === 'DELETE') return 'free';
  if (method === 'POST' && 'delete' in request.query) return 'free';
  if (method === 'PUT' || method === 'POST') return 'put';
  // A GET on the bucket itself is a listing (ListObjects, ListObjectsV2, ListMultipartUploads).
  if (method === 'GET' && segments.length <= 1) return 'put';
  return 'get';
}

/** Cost of a quantity at a unit price, in dollars. */
export const cost = (quantity: number, unitPrice: number) => quantity * unitPrice;

/** A run's cost scaled to `per` units of work (e.g. 10,000 declarations). */
export function perUnits(runCost: number, unitsInRun: number, per = 10_000): number {
  if (unitsInRun <= 0) return 0;
  return (runCost / unitsInRun) * per;
}
