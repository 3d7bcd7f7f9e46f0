/**
 * Information services on AWS: their routes (public ones without the
 * authorizer, reads with read-only grants), and the search index's stream
 * consumer (filtered on item kinds, bisecting retries, dead letters, alarms,
 * BatchWriteItem on the table and nothing else).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestedStack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamConsumers } from '../../infra/definitions/events.ts';
import { STREAM_CONSUMER_SETTINGS } from '../../infra/stacks/stream-consumers.ts';
import { directoryRoutes } from '../../shared/http/routes/directory.ts';
import { noticeRoutes } from '../../shared/http/routes/notices.ts';
import { searchRoutes } from '../../shared/http/routes/search.ts';
import { showcaseRoutes } from '../../shared/http/routes/showcase.ts';
import { threadRoutes } from '../../shared/http/routes/threads.ts';
import { type CfnTemplate, methodPath, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statementsOfRole(template: CfnTemplate, roleId: string): any[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray<any>(policy.Properties.Roles).some((role) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as any[]);
}

const informationRoutes = [...noticeRoutes, ...threadRoutes, ...directoryRoutes, ...searchRoutes, ...showcaseRoutes];

describe('information services on AWS (dev)', () => {
  let synth: Synthesized;
  let api: CfnTemplate;
  let information: CfnTemplate;
  let events: CfnTemplate;

  beforeAll(() => {
    synth = synthStage('dev');
    api = synth.json.api;
    events = synth.json.events;
    const nested = synth.api.node.findChild('InformationRoutes') as NestedStack;
    information = JSON.parse(readFileSync(join(synth.assembly.directory, nested.templateFile), 'utf8'));
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('serves every route, public ones without the authorizer', () => {
    const methods = resourcesOf(api, 'AWS::ApiGateway::Method');
    for (const route of informationRoutes) {
      const found = methods.find(([, m]) => m.Properties.HttpMethod === route.method && methodPath(api, m) === route.path);
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      const authorization = found![1].Properties.AuthorizationType;
      expect(authorization, route.path).toBe(route.path.startsWith('/v1/public/') ? 'NONE' : 'CUSTOM');
    }
  });

  it('builds their functions in a nested stack, keeping the API stack under 500 resources', () => {
    const functions = resourcesOf(information, 'AWS::Lambda::Function').map(([, f]) => f.Properties.Description);
    expect(functions.sort()).toEqual(informationRoutes.map((r) => `${r.method} ${r.path}`).sort());
    // json.api includes the nested stacks' resources; the limit is per template.
    expect(Object.keys(synth.stacks.find((s) => s.stack === synth.api)!.json.Resources).length).toBeLessThan(500);
    expect(Object.keys(information.Resources).length).toBeLessThan(500);
  });

  it('gives the search and list functions read access only', () => {
    for (const route of informationRoutes.filter((r) => r.method === 'GET')) {
      const fn = resourcesOf(information, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === `${route.method} ${route.path}`);
      expect(fn, route.path).toBeDefined();
      const actions = statementsOfRole(information, fn![1].Properties.Role['Fn::GetAtt'][0]).flatMap((s) => asArray<string>(s.Action));
      expect(actions, route.path).toContain('dynamodb:Query');
      expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)), route.path).toEqual([]);
    }
    // Only search reads the Search table, with Query and BatchGetItem.
    for (const [, fn] of resourcesOf(information, 'AWS::Lambda::Function')) {
      const onSearch = statementsOfRole(information, fn.Properties.Role['Fn::GetAtt'][0]).filter((s) =>
        JSON.stringify(s.Resource).includes('table/benchmarking-dev-search'),
      );
      if (fn.Properties.Description === 'GET /v1/search') {
        expect(onSearch.flatMap((s) => asArray<string>(s.Action)).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
      } else {
        expect(onSearch, fn.Properties.Description).toEqual([]);
      }
    }
  });

  it('runs the search index consumer from the table stream, filtered on the searched kinds', () => {
    const consumer = streamConsumers.find((c) => c.handler === 'search/index-documents')!;
    expect(STREAM_CONSUMER_SETTINGS[consumer.handler]).toBeDefined();
    // Stream mappings (queue consumers have mappings too, without a starting position).
    const mappings = resourcesOf(events, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.StartingPosition);
    expect(mappings).toHaveLength(streamConsumers.filter((c) => STREAM_CONSUMER_SETTINGS[c.handler]).length);
    const [, mapping] = mappings.find(([id]) => id.startsWith(consumer.id))!;
    const props = mapping.Properties;
    // The stream ARN is the stateful stack's export.
    expect(JSON.stringify(props.EventSourceArn)).toContain('Fn::ImportValue');
    expect(props).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: consumer.batchSize,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86_400,
    });
    expect(props.DestinationConfig.OnFailure.Destination).toBeDefined();
    const patterns = props.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { kind: { S: consumer.kinds } } } },
      { dynamodb: { OldImage: { kind: { S: consumer.kinds } } } },
    ]);
  });

  it('lets the consumer write postings with BatchWriteItem on the Search table, read the Main stream, and nothing else', () => {
    const [, fn] = resourcesOf(events, 'AWS::Lambda::Function').find(([, f]) =>
      String(f.Properties.Description).includes('search/index-documents'),
    )!;
    const statements = statementsOfRole(events, fn.Properties.Role['Fn::GetAtt'][0]);
    const dynamo = statements.filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:')));
    const byAction = new Map<string, string>();
    for (const s of dynamo) for (const a of asArray<string>(s.Action)) byAction.set(a, JSON.stringify(s.Resource));
    expect([...byAction.keys()].sort()).toEqual(
      ['dynamodb:BatchWriteItem', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'].sort(),
    );
    // Postings live in the Search table; the Main table is only read through its stream.
    expect(byAction.get('dynamodb:BatchWriteItem')).toMatch(/table\/benchmarking-dev-search"/);
    expect(byAction.get('dynamodb:GetRecords')).toContain('Fn::ImportValue');
    expect(byAction.get('dynamodb:ListStreams')).toBe('"*"');
    const sqs = statements.flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith('sqs:'));
    expect(sqs.length).toBeGreaterThan(0);
  });

  it('alarms on dead letters, errors, throttles and a consumer falling behind', () => {
    const descriptions = resourcesOf(events, 'AWS::CloudWatch::Alarm').map(([, a]) => String(a.Properties.AlarmDescription));
    for (const text of ['could not handle', 'errors in', 'throttles of', 'falling behind']) {
      expect(descriptions.filter((d) => d.includes('search/index-documents') && d.includes(text)), text).toHaveLength(1);
    }
  });
});
