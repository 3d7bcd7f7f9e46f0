/**
 * Batch submission on AWS: the Standard state machine with its Distributed
 * Map (Express children), its task functions and their grants, the upload
 * trigger in the events stack, the bucket, and the API routes' S3 grants.
 */
import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { BATCH_TASK_SETTINGS, CHUNK_CONCURRENCY, MAP_CONCURRENCY, SPLIT_EPHEMERAL_MB } from '../../infra/stacks/batch-stack.ts';
import { definitionPath } from '../../infra/workflows/definitions.ts';
import { batchWorkflow } from '../../infra/workflows/index.ts';
import type { NodeFunction } from '../../infra/constructs/node-function.ts';
import { acknowledgementsOf, type CfnTemplate, constructByLogicalId, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const actionsOf = (statements: any[]) => statements.flatMap((s) => asArray<string>(s.Action));

/** The ASL file as written: placeholders still in. */
const asl = JSON.parse(readFileSync(definitionPath(batchWorkflow.file), 'utf8'));

/** Allow statements of the policies attached to a role. */
function roleStatements(template: CfnTemplate, roleId: string): any[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray<any>(policy.Properties.Roles).some((role) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as any[]);
}

/** A function's template, logical id and grants other than its own log group and X-Ray. */
function functionOf(fn: NodeFunction) {
  const stack = Stack.of(fn.fn);
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const logicalId = stack.getLogicalId(fn.fn.node.defaultChild as CfnFunction);
  const resource = template.Resources[logicalId]!;
  const grants = roleStatements(template, resource.Properties.Role['Fn::GetAtt'][0]).filter(
    (s) => !actionsOf([s]).every((a) => a.startsWith('logs:') || a.startsWith('xray:')),
  );
  return { template, logicalId, resource, grants };
}

/** `uploads/*` for a statement on the Batches bucket. */
function batchPrefixes(statements: any[]): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of statements) {
    const actions = actionsOf([statement]).filter((a) => a.startsWith('s3:'));
    if (actions.length === 0) continue;
    const match = /:s3:::benchmarking-\w+-batches-.*?\/([\w/]*\*)/.exec(JSON.stringify(statement.Resource));
    const prefix = match ? match[1]! : `other: ${JSON.stringify(statement.Resource)}`;
    grants[prefix] = [...(grants[prefix] ?? []), ...actions].sort();
  }
  return grants;
}

describe.each<Stage>(['dev', 'prod'])('batch submission on AWS (%s)', (stage) => {
  const config = stages[stage];
  const machineName = `${config.prefix}-batch`;
  /**
   * The definition as text, references as `<LogicalId>` / `<LogicalId.Attr>`.
   * (flattenCfnReference turns the JSON's own closing braces into `>` too.)
   */
  const definitionText = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (!join) throw new Error(`unexpected definition ${JSON.stringify(value)}`);
    return join[1]
      .map((part) => {
        if (typeof part === 'string') return part;
        const ref = (part as { Ref?: string }).Ref;
        const attribute = (part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
        return ref ? `<${ref}>` : attribute ? `<${attribute.join('.')}>` : `<${JSON.stringify(part)}>`;
      })
      .join(join[0]);
  };
  let synth: Synthesized;
  let batches: CfnTemplate;
  let machine: { Properties: any; DependsOn?: string[] };
  let definition: any;

  beforeAll(() => {
    synth = synthStage(stage);
    batches = JSON.parse(readFileSync(synth.assembly.getStackArtifact(synth.batches.artifactId).templateFullPath, 'utf8'));
    const machines = resourcesOf(batches, 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(1);
    machine = machines[0]![1];
    const text = definitionText(machine.Properties.DefinitionString);
    definition = JSON.parse(text.replace(/<([\w.]+)>/g, (_, ref: string) => `ref:${ref}`));
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('is a Standard state machine of its own stack, between the stateful and the events stacks, exporting nothing', () => {
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.StateMachineName).toBe(machineName);
    expect(synth.batches.dependencies).toContain(synth.stateful);
    expect(synth.events.dependencies).toContain(synth.batches);
    expect(batches.Outputs ?? {}).toEqual({});
    // The comparison workflow stack keeps only its own state machine.
    expect(resourcesOf(synth.json.workflows, 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
  });

  it('runs the ASL file with each task placeholder replaced by its own function', () => {
    expect(Object.keys(definition.States).sort()).toEqual(Object.keys(asl.States).sort());
    const resources: string[] = [];
    const collect = (states: Record<string, any>) => {
      for (const state of Object.values(states)) {
        if (state.Type === 'Task') resources.push(state.Resource);
        if (state.ItemProcessor) collect(state.ItemProcessor.States);
      }
    };
    collect(definition.States);
    const expected = Object.values(batchWorkflow.tasks).map(
      (handler) => `ref:${synth.batches.getLogicalId(synth.batches.taskFunctions[handler]!.fn.node.defaultChild as CfnFunction)}.Arn`,
    );
    expect(resources.sort()).toEqual(expected.sort());
  });

  it('fans out over the chunks as a Distributed Map with Express children and bounded concurrency', () => {
    const map = definition.States.ProcessChunks;
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(map.ItemsPath).toBe('$.chunks');
    // Chunks of a batch at once come from the split, configured per stage.
    expect(map.MaxConcurrencyPath).toBe('$.maxConcurrency');
    const split = functionOf(synth.batches.taskFunctions['batches/split-batch']!).resource;
    expect(split.Properties.Environment.Variables.BATCH_MAP_CONCURRENCY).toBe(String(MAP_CONCURRENCY[stage]));
    expect(MAP_CONCURRENCY[stage]).toBeLessThanOrEqual(4);
    expect(map.Label).toBe('Chunks');
    // Waits for a throttled chunk fit in an Express child's 5 minutes.
    const throttled = map.ItemProcessor.States.ProcessChunk.Retry.find((r: any) => r.ErrorEquals.includes('Lambda.TooManyRequestsException'));
    let wait = 0;
    for (let attempt = 0; attempt < throttled.MaxAttempts; attempt++) {
      wait += Math.min(throttled.MaxDelaySeconds, throttled.IntervalSeconds * throttled.BackoffRate ** attempt);
    }
    expect(wait + map.ItemProcessor.States.ProcessChunk.TimeoutSeconds).toBeLessThan(300);
  });

  it('gives every task a timeout, the function the same one, and catches failures into RecordFailure', () => {
    const written = { ...asl.States, ...asl.States.ProcessChunks.ItemProcessor.States };
    for (const [name, state] of Object.entries<any>({ ...definition.States, ...definition.States.ProcessChunks.ItemProcessor.States })) {
      if (state.Type !== 'Task') continue;
      const placeholder = /^\$\{(\w+)\}$/.exec(written[name].Resource)![1]!;
      const handler = batchWorkflow.tasks[placeholder]!;
      const { resource } = functionOf(synth.batches.taskFunctions[handler]!);
      expect(resource.Properties.Timeout, name).toBe(state.TimeoutSeconds);
      expect(resource.Properties.Timeout, name).toBe(BATCH_TASK_SETTINGS[handler]!.timeoutSeconds);
      expect(state.Retry?.length, name).toBeGreaterThan(0);
    }
    for (const name of ['Split', 'ProcessChunks', 'Finish']) {
      expect(definition.States[name].Catch, name).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' })]);
    }
    expect(definition.States[definition.States.RecordFailure.Next].Type).toBe('Fail');
  });

  it('lets its role invoke exactly its task functions and run its own children, and log and trace', () => {
    const statements = roleStatements(batches, machine.Properties.RoleArn['Fn::GetAtt'][0]);
    const invoke = statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(1);
    expect(asArray(invoke[0].Resource)).toHaveLength(Object.keys(BATCH_TASK_SETTINGS).length);
    const states = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    const byAction = Object.fromEntries(states.flatMap((s) => actionsOf([s]).map((a) => [a, flattenCfnReference(s.Resource)])));
    expect(byAction['states:StartExecution']).toMatch(new RegExp(`:stateMachine:${machineName}$`));
    expect(byAction['states:DescribeExecution']).toMatch(new RegExp(`:execution:${machineName}:\\*$`));
    expect(byAction['states:StopExecution']).toMatch(new RegExp(`:execution:${machineName}:\\*$`));
    expect(byAction['states:RedriveExecution']).toMatch(new RegExp(`:execution:${machineName}/Chunks:\\*$`));
    const others = actionsOf(statements).filter((a) => !a.startsWith('states:') && a !== 'lambda:InvokeFunction');
    expect(others.every((a) => a.startsWith('logs:') || a.startsWith('xray:')), others.join()).toBe(true);
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ERROR', IncludeExecutionData: true });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('reserves the chunk function’s concurrency where the stage says so, and gives the split room for unpacked workbooks', () => {
    const { resource } = functionOf(synth.batches.taskFunctions['batches/process-chunk']!);
    expect(resource.Properties.ReservedConcurrentExecutions).toBe(CHUNK_CONCURRENCY[stage]);
    const split = functionOf(synth.batches.taskFunctions['batches/split-batch']!).resource;
    expect(split.Properties.EphemeralStorage).toEqual({ Size: SPLIT_EPHEMERAL_MB });
  });

  it('grants each task only its prefixes of the Batches bucket and, but for the chunks, only BATCH# (and SCHEME#) items', () => {
    const tasks = synth.batches.taskFunctions;
    const grants = (handler: string) => functionOf(tasks[handler]!).grants;
    expect(batchPrefixes(grants('batches/split-batch'))).toEqual({ 'uploads/*': ['s3:GetObject'], 'work/*': ['s3:PutObject'] });
    expect(batchPrefixes(grants('batches/process-chunk'))).toEqual({ 'work/*': ['s3:GetObject', 's3:PutObject'] });
    expect(batchPrefixes(grants('batches/finish-batch'))).toEqual({
      'work/*': ['s3:DeleteObject', 's3:GetObject'],
      'errors/*': ['s3:PutObject'],
    });
    expect(batchPrefixes(grants('batches/record-batch-failure'))).toEqual({});
    const leadingKeys = (handler: string) =>
      grants(handler)
        .filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')))
        .map((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']);
    expect(leadingKeys('batches/split-batch')).toEqual([['BATCH#*', 'SCHEME#*']]);
    expect(leadingKeys('batches/finish-batch')).toEqual([['BATCH#*']]);
    expect(leadingKeys('batches/record-batch-failure')).toEqual([['BATCH#*']]);
    for (const handler of Object.keys(tasks)) {
      const text = JSON.stringify(grants(handler));
      expect(text, handler).not.toContain('/index/');
      expect(text, handler).not.toContain('-idempotency');
      expect(actionsOf(grants(handler)).filter((a) => /^(kms|states|lambda):/.test(a)), handler).toEqual([]);
      expect(actionsOf(grants(handler)).filter((a) => a.includes('*')), handler).toEqual([]);
    }
  });

  it('acknowledges every IAM wildcard of the stack', () => {
    const missing: string[] = [];
    for (const [logicalId, policy] of resourcesOf(batches, 'AWS::IAM::Policy')) {
      const acknowledged = acknowledgementsOf(constructByLogicalId(synth.batches, logicalId));
      for (const statement of asArray<any>(policy.Properties.PolicyDocument.Statement)) {
        for (const resource of asArray(statement.Resource)) {
          const flat = flattenCfnReference(resource);
          if (flat.includes('*') && !acknowledged.has(`AwsSolutions-IAM5[Resource::${flat}]`)) missing.push(`${logicalId}: ${flat}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('alarms on failed and timed-out executions', () => {
    const alarms = resourcesOf(batches, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(alarms).toContainEqual(expect.objectContaining({ Namespace: 'AWS/States', MetricName: metric, Threshold: 1 }));
    }
  });

  it('starts the workflow from the upload’s EventBridge event, with retries and a dead-letter queue', () => {
    const trigger = synth.events.triggerFunctions['batches/start-ingestion']!;
    const { template, logicalId, grants } = functionOf(trigger);
    const [, rule] = resourcesOf(template, 'AWS::Events::Rule').find(([, r]) =>
      asArray<any>(r.Properties.Targets).some((t) => JSON.stringify(t.Arn).includes(logicalId)),
    )!;
    expect(rule.Properties.EventPattern.detail.object.key).toEqual([{ prefix: 'uploads/' }]);
    expect(JSON.stringify(rule.Properties.EventPattern.detail.bucket.name)).toContain(`${config.prefix}-batches-`);
    expect(rule.Properties.Targets[0].DeadLetterConfig).toBeDefined();
    const starts = grants.filter((s) => actionsOf([s]).includes('states:StartExecution'));
    expect(starts).toHaveLength(1);
    expect(flattenCfnReference(starts[0].Resource)).toMatch(new RegExp(`:stateMachine:${machineName}$`));
    expect(batchPrefixes(grants)).toEqual({});
    const dynamo = grants.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.map((s) => s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'])).toEqual([['BATCH#*']]);
  });

  it('sends the Batches bucket’s events to EventBridge and expires work and errors files', () => {
    const [, bucket] = resourcesOf(synth.json.stateful, 'AWS::S3::Bucket').find(([id]) => id.startsWith('BatchesBucket'))!;
    expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'work/', ExpirationInDays: 7, Status: 'Enabled' }));
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'errors/', ExpirationInDays: 30, Status: 'Enabled' }));
  });

  it('lets create-batch sign uploads and get-batch sign error files, nothing else of the bucket', () => {
    const create = functionOf(synth.api.functions.createBatch!);
    const get = functionOf(synth.api.functions.getBatch!);
    expect(batchPrefixes(create.grants)).toEqual({ 'uploads/*': ['s3:PutObject'] });
    expect(batchPrefixes(get.grants)).toEqual({ 'errors/*': ['s3:GetObject'] });
    for (const fn of [create, get, functionOf(synth.api.functions.getSchemeTemplateXlsx!)]) {
      expect(actionsOf(fn.grants).filter((a) => a.startsWith('states:'))).toEqual([]);
    }
  });
});
