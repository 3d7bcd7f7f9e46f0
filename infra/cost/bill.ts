/**
 * Usage (meter.ts) priced at list prices (prices.ts): one line per billed item, the
 * run's quantity and cost for single declarations and for batch rows, and each
 * scaled to 10,000 declarations. Pure, so test/unit/cost-model.test.ts can check it.
 */
import type { Usage } from './meter.ts';
import {
  API_GATEWAY_REST_PER_REQUEST,
  CLOUDWATCH_LOGS_PER_GB_INGESTED,
  DATA_TRANSFER_OUT_PER_GB,
  DYNAMODB_PER_READ_REQUEST_UNIT,
  DYNAMODB_PER_WRITE_REQUEST_UNIT,
  EVENTBRIDGE_AWS_SERVICE_EVENT,
  KMS_ASYMMETRIC_PER_REQUEST,
  LAMBDA_ARM_PER_GB_SECOND,
  LAMBDA_PER_REQUEST,
  perUnits,
  PRICE_PAGES,
  S3_PER_GET_CLASS_REQUEST,
  S3_PER_PUT_CLASS_REQUEST,
  SFN_EXPRESS_PER_GB_SECOND,
  SFN_EXPRESS_PER_REQUEST,
  SFN_STANDARD_PER_TRANSITION,
  SQS_STANDARD_PER_REQUEST,
  XRAY_PER_TRACE_RECORDED,
} from './prices.ts';

const GB = 1024 ** 3;

/** CloudWatch Logs bills each event's bytes plus 26 bytes of metadata. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;
/**
 * Lambda's own lines per invocation (START, END, REPORT with the X-Ray line), in the
 * text log format the functions use: about 330 bytes in three events.
 */
export const LAMBDA_PLATFORM_LOG_BYTES = 330;
export const LAMBDA_PLATFORM_LOG_EVENTS = 3;
/** One line of the API's JSON access log (api-stack.ts accessLogFormat, 22 fields filled in). */
export const API_ACCESS_LOG_BYTES = 700;
/**
 * X-Ray's default sampling rule records the first request each second and 5% of the
 * rest: at sustained traffic, about 5% of traces. Every trace recorded is the upper bound.
 */
export const XRAY_DEFAULT_SAMPLING = 0.05;

export interface Work {
  /** Declarations submitted one by one. */
  declarations: number;
  /** Rows of the batch upload. */
  batchRows: number;
}

export interface Line {
  item: string;
  unit: string;
  unitPrice: number;
  /** The public page the price is from. */
  source: string;
  single: { quantity: number; cost: number; per10k: number };
  batch: { quantity: number; cost: number; per10k: number };
  /** Estimated rather than measured (logs, sampled traces). */
  estimate?: boolean;
}

const sum = <T>(values: Iterable<T>, pick: (value: T) => number) => {
  let total = 0;
  for (const value of values) total += pick(value);
  return total;
};

export function logBytes(usage: Usage): number {
  const invocations = sum(usage.lambda.values(), (f) => f.invocations);
  return (
    usage.handlerLogBytes +
    usage.handlerLogEvents * LOG_EVENT_OVERHEAD_BYTES +
    invocations * (LAMBDA_PLATFORM_LOG_BYTES + LAMBDA_PLATFORM_LOG_EVENTS * LOG_EVENT_OVERHEAD_BYTES) +
    usage.apiRequests * (API_ACCESS_LOG_BYTES + LOG_EVENT_OVERHEAD_BYTES)
  );
}

/** The quantities each line bills, from one phase's usage. */
function quantities(usage: Usage): { item: string; unit: string; unitPrice: number; source: string; quantity: number; estimate?: boolean }[] {
  const dynamo = [...usage.dynamo.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [
    { item: 'Lambda requests', source: PRICE_PAGES.LAMBDA, unit: 'request', unitPrice: LAMBDA_PER_REQUEST, quantity: sum(usage.lambda.values(), (f) => f.invocations) },
    { item: 'Lambda duration (Arm)', source: PRICE_PAGES.LAMBDA, unit: 'GB-s', unitPrice: LAMBDA_ARM_PER_GB_SECOND, quantity: sum(usage.lambda.values(), (f) => f.gbSeconds) },
    { item: 'API Gateway REST requests', source: PRICE_PAGES.API, unit: 'request', unitPrice: API_GATEWAY_REST_PER_REQUEST, quantity: usage.apiRequests },
    { item: 'Step Functions Express requests', source: PRICE_PAGES.SFN, unit: 'request', unitPrice: SFN_EXPRESS_PER_REQUEST, quantity: usage.expressRequests },
    { item: 'Step Functions Express duration', source: PRICE_PAGES.SFN, unit: 'GB-s', unitPrice: SFN_EXPRESS_PER_GB_SECOND, quantity: usage.expressGbSeconds },
    { item: 'Step Functions Standard transitions', source: PRICE_PAGES.SFN, unit: 'transition', unitPrice: SFN_STANDARD_PER_TRANSITION, quantity: usage.standardTransitions },
    ...dynamo.map(([table, units]) => ({ item: `DynamoDB writes (${table})`, source: PRICE_PAGES.DDB, unit: 'WRU', unitPrice: DYNAMODB_PER_WRITE_REQUEST_UNIT, quantity: units.write })),
    ...dynamo.map(([table, units]) => ({ item: `DynamoDB reads (${table})`, source: PRICE_PAGES.DDB, unit: 'RRU', unitPrice: DYNAMODB_PER_READ_REQUEST_UNIT, quantity: units.read })),
    { item: 'S3 PUT, COPY, POST, LIST', source: PRICE_PAGES.S3, unit: 'request', unitPrice: S3_PER_PUT_CLASS_REQUEST, quantity: usage.s3.put },
    { item: 'S3 GET, HEAD', source: PRICE_PAGES.S3, unit: 'request', unitPrice: S3_PER_GET_CLASS_REQUEST, quantity: usage.s3.get },
    { item: 'SQS requests', source: PRICE_PAGES.SQS, unit: 'request', unitPrice: SQS_STANDARD_PER_REQUEST, quantity: usage.sqsRequests },
    { item: 'EventBridge S3 events (AWS service)', source: PRICE_PAGES.EB, unit: 'event', unitPrice: EVENTBRIDGE_AWS_SERVICE_EVENT, quantity: usage.eventBridgeEvents },
    { item: 'KMS Sign (tokens)', source: PRICE_PAGES.KMS, unit: 'request', unitPrice: KMS_ASYMMETRIC_PER_REQUEST, quantity: usage.kmsRequests },
    { item: 'CloudWatch Logs ingestion', source: PRICE_PAGES.CW, unit: 'GB', unitPrice: CLOUDWATCH_LOGS_PER_GB_INGESTED, quantity: logBytes(usage) / GB, estimate: true },
    { item: `X-Ray traces (${XRAY_DEFAULT_SAMPLING * 100}% sampled)`, source: PRICE_PAGES.XRAY, unit: 'trace', unitPrice: XRAY_PER_TRACE_RECORDED, quantity: usage.traces * XRAY_DEFAULT_SAMPLING, estimate: true },
    { item: 'Data transfer out', source: PRICE_PAGES.EGRESS, unit: 'GB', unitPrice: DATA_TRANSFER_OUT_PER_GB, quantity: usage.egressBytes / GB },
  ];
}

/** The priced lines of both phases; a line appears when either phase uses it. */
export function bill(usage: { single: Usage; batch: Usage }, work: Work): Line[] {
  const single = quantities(usage.single);
  const batch = quantities(usage.batch);
  const items = [...new Set([...single, ...batch].map((line) => line.item))];
  return items
    .map((item) => {
      const a = single.find((line) => line.item === item);
      const b = batch.find((line) => line.item === item);
      const template = (a ?? b)!;
      const side = (line: typeof a, units: number) => {
        const quantity = line?.quantity ?? 0;
        const cost = quantity * template.unitPrice;
        return { quantity, cost, per10k: perUnits(cost, units) };
      };
      return {
        item,
        unit: template.unit,
        unitPrice: template.unitPrice,
        source: template.source,
        single: side(a, work.declarations),
        batch: side(b, work.batchRows),
        ...(template.estimate ? { estimate: true } : {}),
      };
    })
    .filter((line) => line.single.quantity > 0 || line.batch.quantity > 0);
}

export function totals(lines: Line[]): { single: { cost: number; per10k: number }; batch: { cost: number; per10k: number } } {
  return {
    single: { cost: sum(lines, (l) => l.single.cost), per10k: sum(lines, (l) => l.single.per10k) },
    batch: { cost: sum(lines, (l) => l.batch.cost), per10k: sum(lines, (l) => l.batch.per10k) },
  };
}

/** Lambda cost (requests and duration) of one function in one phase. */
export function functionCost(f: { invocations: number; gbSeconds: number }): number {
  return f.invocations * LAMBDA_PER_REQUEST + f.gbSeconds * LAMBDA_ARM_PER_GB_SECOND;
}
