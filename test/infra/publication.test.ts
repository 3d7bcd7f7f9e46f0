/**
 * Reviews, aggregates and publication on AWS: the stream aggregator behind an
 * event source mapping (filtered, bisected, retried, dead letters, two batches
 * per shard) with exactly the table actions it uses, and the routes' functions:
 * public ones without the authorizer, the workbook export with room to build it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { streamConsumers } from '../../infra/definitions/events.ts';
import { routes } from '../../shared/http/routes.ts';
import { type CfnTemplate, methodPath, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const text = (value: unknown) => JSON.stringify(value);

function statementsOf(template: CfnTemplate, fn: { Properties: any }) {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray(policy.Properties.Roles).some((role: any) => role.Ref === roleId))
    .flatMap(([, policy]) => asArray<any>(policy.Properties.PolicyDocument.Statement));
}

const MY_ROUTES = [
  'createReview',
  'listReviews',
  'getReview',
  'getStats',
  'exportStatsCsv',
  'exportStatsXlsx',
  'getKpis',
  'getRanking',
  'createForerunnerList',
  'getForerunnerList',
  'listPublicResults',
  'listPublicForerunners',
];

describe.each<Stage>(['dev', 'prod'])('reviews, aggregates and publication on AWS (%s)', (stage) => {
  const config = stages[stage];
  let synth: Synthesized;
  let events: CfnTemplate;
  let api: CfnTemplate;

  beforeAll(() => {
    synth = synthStage(stage);
    events = synth.json.events;
    api = synth.json.api;
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('folds the table stream into aggregates: filtered to declarations and schemes, batched over a window, bisected, retried, then dead letters', () => {
    const consumer = streamConsumers.find((c) => c.handler === 'stats/aggregate-stream')!;
    expect(consumer.kinds?.sort()).toEqual(['declaration', 'scheme']);
    const [fnId, fn] = resourcesOf(events, 'AWS::Lambda::Function').find(
      ([, f]) => f.Properties.Description === `Stream consumer ${consumer.id}: functions/${consumer.handler}.ts`,
    )!;
    expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(60);
    const [, mapping] = resourcesOf(events, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName?.Ref === fnId)!;
    expect(mapping.Properties).toMatchObject({
      BatchSize: consumer.batchSize,
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 2,
      StartingPosition: 'TRIM_HORIZON',
      // Declarations sent one by one are folded several at a time.
      MaximumBatchingWindowInSeconds: consumer.batchingWindowSeconds,
    });
    expect(consumer.batchingWindowSeconds).toBeGreaterThan(0);
    expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(text(mapping.Properties.EventSourceArn)).toContain('Stream');
    const filters = text(mapping.Properties.FilterCriteria);
    expect(filters).toContain('declaration');
    expect(filters).toContain('scheme');
    const destination = text(mapping.Properties.DestinationConfig?.OnFailure?.Destination);
    const queues = resourcesOf(events, 'AWS::SQS::Queue').map(([id]) => id);
    expect(queues.some((id) => destination.includes(id))).toBe(true);
  });

  it('lets the aggregator read and write items of the Main table, never Scan, BatchWriteItem or an index', () => {
    const consumer = streamConsumers.find((c) => c.handler === 'stats/aggregate-stream')!;
    const [, fn] = resourcesOf(events, 'AWS::Lambda::Function').find(
      ([, f]) => f.Properties.Description === `Stream consumer ${consumer.id}: functions/${consumer.handler}.ts`,
    )!;
    const statements = statementsOf(events, fn);
    const table = statements.filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:') && !/Stream|Shard|GetRecords/.test(a)));
    expect(table.flatMap((s) => asArray<string>(s.Action)).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const resources = text(table.flatMap((s) => asArray(s.Resource)));
    expect(resources).toContain(`table/${config.prefix}-main`);
    expect(resources).not.toContain('index');
    expect(resources).not.toContain('*');
  });

  it('serves the new routes: the public ones without the authorizer, the others with it', () => {
    const methods = resourcesOf(api, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    for (const operationId of MY_ROUTES) {
      const route = routes.find((r) => r.operationId === operationId)!;
      const method = methods.find(([, m]) => m.Properties.OperationName === operationId);
      expect(method, operationId).toBeDefined();
      expect(methodPath(api, method![1])).toBe(route.path);
      expect(method![1].Properties.AuthorizationType).toBe(route.path.startsWith('/v1/public/') ? 'NONE' : 'CUSTOM');
    }
  });

  it('gives the workbook export the memory to build it and the API the spreadsheet as a binary type', () => {
    const xlsx = routes.find((r) => r.operationId === 'exportStatsXlsx')!;
    const fn = resourcesOf(api, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === `${xlsx.method} ${xlsx.path}`);
    expect(fn?.[1].Properties.MemorySize).toBe(1024);
    synth.templates.api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      BinaryMediaTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    });
  });
});
