import { readFileSync } from 'node:fs';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/http/routes.ts';
import { stages, type Stage } from '../../infra/config/stages.ts';
import { COMPARISON_STARTERS } from '../../infra/stacks/api-stack.ts';
import { TASK_TIMEOUT_SECONDS } from '../../infra/stacks/workflow-stack.ts';
import { definitionPath } from '../../infra/workflows/definitions.ts';
import { comparisonWorkflow } from '../../infra/workflows/index.ts';
import { type CfnTemplate, resourcesOf, SYNTH_TIMEOUT_MS, type Synthesized, synthStage } from './synth.ts';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** All Allow statements of the policies attached to a role. */
function roleStatements(template: CfnTemplate, roleId: string) {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => asArray<any>(policy.Properties.Roles).some((role) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as any[]);
}

const functionStatements = (template: CfnTemplate, fn: { Properties: any }) =>
  roleStatements(template, fn.Properties.Role['Fn::GetAtt'][0]);

/** Statements other than the NodeFunction defaults (own log group, X-Ray). */
const grantStatements = (template: CfnTemplate, fn: { Properties: any }) =>
  functionStatements(template, fn).filter(
    (s) => !asArray<string>(s.Action).every((a) => a.startsWith('logs:') || a.startsWith('xray:')),
  );

const actionsOf = (statements: any[]) => statements.flatMap((s) => asArray<string>(s.Action));

/** An Fn::Join as text: `<AWS::Region>` for a Ref, `arn:getatt:<logicalId>` for a function ARN. */
function joined(value: any): string {
  if (typeof value === 'string') return value;
  const [delimiter, parts] = value['Fn::Join'] as [string, any[]];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if (part.Ref) return `<${part.Ref}>`;
      const [logicalId, attribute] = part['Fn::GetAtt'];
      expect(attribute).toBe('Arn');
      return `arn:getatt:${logicalId}`;
    })
    .join(delimiter);
}

/** The ASL file as written: placeholders still in. */
const aslFile = JSON.parse(readFileSync(definitionPath(comparisonWorkflow.file), 'utf8'));

describe.each<Stage>(['dev', 'prod'])('workflow stack (%s)', (stage) => {
  const config = stages[stage];
  const machineName = `${config.prefix}-comparison`;
  let synth: Synthesized;
  let workflows: CfnTemplate;
  let machine: { Properties: any; DependsOn?: string[] };
  let definition: any;
  let definitionText: string;

  const logicalIdOf = (handler: string) =>
    synth.workflows.getLogicalId(synth.workflows.taskFunctions[handler]!.fn.node.defaultChild as CfnFunction);
  const taskFunction = (handler: string) => workflows.Resources[logicalIdOf(handler)]!;
  const apiFunction = (handler: string) => {
    const route = routes.find((r) => r.handler === handler)!;
    const fn = synth.api.functions[route.operationId]!;
    return synth.json.api.Resources[synth.api.getLogicalId(fn.fn.node.defaultChild as CfnFunction)]!;
  };

  beforeAll(() => {
    synth = synthStage(stage);
    workflows = synth.json.workflows;
    const machines = resourcesOf(workflows, 'AWS::StepFunctions::StateMachine');
    expect(machines).toHaveLength(1);
    machine = machines[0]![1];
    definitionText = joined(machine.Properties.DefinitionString);
    definition = JSON.parse(definitionText);
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => synth?.cleanup());

  it('runs between the stateful and the API stack, with no exports to the API', () => {
    expect(synth.workflows.stackName).toBe(`${config.prefix}-workflows`);
    expect(synth.workflows.dependencies).toContain(synth.stateful);
    expect(synth.api.dependencies).toContain(synth.workflows);
    expect(workflows.Outputs ?? {}).toEqual({});
  });

  it('is an Express state machine named after the stage prefix', () => {
    expect(machine.Properties.StateMachineType).toBe('EXPRESS');
    expect(machine.Properties.StateMachineName).toBe(machineName);
    expect(machine.Properties.DefinitionSubstitutions).toBeUndefined();
    expect(machine.Properties.DefinitionS3Location).toBeUndefined();
  });

  it('has exactly the states of the ASL file', () => {
    expect(Object.keys(definition.States).sort()).toEqual(
      ['LoadInput', 'Compare', 'RenderReport', 'Persist', 'RecordFailure', 'Failed'].sort(),
    );
    expect(Object.keys(definition.States).sort()).toEqual(Object.keys(aslFile.States).sort());
    expect(definition.StartAt).toBe(aslFile.StartAt);
  });

  it('is the ASL file with each placeholder replaced by the ARN of its own function', () => {
    expect(definitionText).not.toContain('${');
    const expected = structuredClone(aslFile);
    for (const state of Object.values<any>(expected.States)) {
      if (state.Type !== 'Task') continue;
      const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource)![1]!;
      const handler = comparisonWorkflow.tasks[placeholder];
      expect(handler, placeholder).toBeDefined();
      state.Resource = `arn:getatt:${logicalIdOf(handler!)}`;
    }
    expect(definition).toEqual(expected);
    // Each task's function is the one bundled from its handler file.
    for (const handler of Object.values(comparisonWorkflow.tasks)) {
      expect(taskFunction(handler).Properties.Description).toBe(`Workflow task: functions/${handler}.ts`);
    }
    expect(new Set(Object.values(comparisonWorkflow.tasks)).size).toBe(Object.keys(comparisonWorkflow.tasks).length);
  });

  it('retries every task, and catches every task but the failure recorder into it', () => {
    const tasks = Object.entries<any>(definition.States).filter(([, state]) => state.Type === 'Task');
    expect(tasks).toHaveLength(5);
    for (const [name, state] of tasks) {
      expect(state.Retry?.length, name).toBeGreaterThan(0);
      if (name === 'RecordFailure') {
        // The Catch target itself: it retries everything, then fails the execution.
        expect(state.Catch).toBeUndefined();
        expect(state.Retry[0].ErrorEquals).toEqual(['States.ALL']);
        expect(definition.States[state.Next].Type).toBe('Fail');
      } else {
        expect(state.Catch, name).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' })]);
      }
    }
  });

  it('logs errors with their data to its own log group and traces', () => {
    const logging = machine.Properties.LoggingConfiguration;
    expect(logging).toMatchObject({ Level: 'ERROR', IncludeExecutionData: true });
    expect(logging.Destinations).toHaveLength(1);
    const logGroupId = logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    const logGroup = workflows.Resources[logGroupId]!;
    expect(logGroup.Properties.LogGroupName).toBe(`/aws/vendedlogs/states/${machineName}`);
    expect(logGroup.Properties.RetentionInDays).toBe(config.logRetention);
    expect(logGroup.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('lets its role invoke exactly the task functions, and log and trace', () => {
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0];
    const statements = roleStatements(workflows, roleId);
    const invoke = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Action).toBe('lambda:InvokeFunction');
    const expected = Object.values(comparisonWorkflow.tasks).map((handler) => ({ 'Fn::GetAtt': [logicalIdOf(handler), 'Arn'] }));
    expect(asArray(invoke[0].Resource)).toEqual(expect.arrayContaining(expected));
    expect(asArray(invoke[0].Resource)).toHaveLength(expected.length);
    const others = actionsOf(statements).filter((a) => a !== 'lambda:InvokeFunction');
    expect(others.every((a) => a.startsWith('logs:') || a.startsWith('xray:')), others.join()).toBe(true);
    // The policies exist before the state machine (creation checks the log destination).
    const policyIds = resourcesOf(workflows, 'AWS::IAM::Policy')
      .filter(([, p]) => asArray<any>(p.Properties.Roles).some((r) => r.Ref === roleId))
      .map(([id]) => id);
    expect(policyIds).toHaveLength(3);
    expect(machine.DependsOn).toEqual(expect.arrayContaining(policyIds));
  });

  it('gives task functions 30 s, 512-1024 MB and the shared environment', () => {
    const functions = resourcesOf(workflows, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(Object.keys(comparisonWorkflow.tasks).length);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: TASK_TIMEOUT_SECONDS,
        TracingConfig: { Mode: 'Active' },
      });
      expect(TASK_TIMEOUT_SECONDS).toBe(30);
      expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(512);
      expect(fn.Properties.MemorySize).toBeLessThanOrEqual(1024);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        STAGE: stage,
        TABLE_NAME: `${config.prefix}-main`,
        IDEMPOTENCY_TABLE_NAME: `${config.prefix}-idempotency`,
        TOKEN_ISSUER: config.token.issuer,
        TOKEN_AUDIENCE: config.token.audience,
        REPORTS_BUCKET: expect.anything(),
        SIGNING_KEY_ID: expect.anything(),
      });
    }
    expect(taskFunction('comparisons/render-report').Properties.MemorySize).toBe(1024);
  });

  it('grants each task only what its handler touches', () => {
    const mainTable = `:table/${config.prefix}-main"`;
    const grants = (handler: string) => grantStatements(workflows, taskFunction(handler));

    // Statements may be split or merged (minimizePolicies): check every one.
    const onMainOnly = (statements: any[]) =>
      statements.length > 0 &&
      statements.every((st) => asArray(st.Resource).every((r) => JSON.stringify(r).endsWith(`${mainTable}]]}`)));

    const load = grants('comparisons/load-comparison-input');
    expect(onMainOnly(load)).toBe(true);
    expect(actionsOf(load).every((a) => a.startsWith('dynamodb:') && !/Put|Update|Delete|Write/.test(a))).toBe(true);
    expect(actionsOf(load)).toContain('dynamodb:GetItem');

    expect(grants('comparisons/compare')).toEqual([]);

    for (const handler of ['comparisons/persist-comparison', 'comparisons/record-comparison-failure']) {
      const statements = grants(handler);
      expect(onMainOnly(statements), handler).toBe(true);
      expect(actionsOf(statements).every((a) => a.startsWith('dynamodb:')), handler).toBe(true);
      expect(actionsOf(statements), handler).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']),
      );
    }

    // Nothing else reaches the table's indexes, another table, the key or the state machine.
    for (const [, fn] of resourcesOf(workflows, 'AWS::Lambda::Function')) {
      const statements = grantStatements(workflows, fn);
      expect(JSON.stringify(statements)).not.toContain('/index/');
      expect(JSON.stringify(statements)).not.toContain('-idempotency');
      expect(actionsOf(statements).filter((a) => /^(kms|states|lambda):/.test(a))).toEqual([]);
    }
  });

  it('limits render-report to PutObject under comparisons/ in the Reports bucket', () => {
    const statements = grantStatements(workflows, taskFunction('comparisons/render-report'));
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('s3:PutObject');
    expect(joined(statements[0].Resource)).toMatch(
      new RegExp(`^arn:.*:s3:::${config.prefix}-reports-.*/comparisons/\\*$`),
    );
    // No other task writes to S3.
    for (const [, fn] of resourcesOf(workflows, 'AWS::Lambda::Function')) {
      if (fn === taskFunction('comparisons/render-report')) continue;
      expect(actionsOf(grantStatements(workflows, fn)).filter((a) => a.startsWith('s3:'))).toEqual([]);
    }
  });

  it('gives every API function the state machine ARN, derived from its name', () => {
    for (const [id, fn] of resourcesOf(synth.json.api, 'AWS::Lambda::Function')) {
      const arn = joined(fn.Properties.Environment.Variables.COMPARISON_STATE_MACHINE_ARN);
      expect(arn, id).toMatch(new RegExp(`^arn:.*:states:.*:stateMachine:${machineName}$`));
    }
  });

  it('grants StartExecution on that state machine to the two starting functions only', () => {
    expect([...COMPARISON_STARTERS].sort()).toEqual(['declarations/create-declaration', 'declarations/rerun-comparison']);
    for (const handler of COMPARISON_STARTERS) {
      const statements = functionStatements(synth.json.api, apiFunction(handler)).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('states:')),
      );
      expect(statements, handler).toHaveLength(1);
      expect(statements[0].Action).toBe('states:StartExecution');
      expect(joined(statements[0].Resource)).toMatch(new RegExp(`^arn:.*:states:.*:stateMachine:${machineName}$`));
    }
    const starters = new Set(COMPARISON_STARTERS.map((handler) => apiFunction(handler)));
    for (const template of [synth.json.api, synth.json.workflows]) {
      for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
        if (starters.has(fn)) continue;
        expect(actionsOf(functionStatements(template, fn)).filter((a) => a.startsWith('states:')), id).toEqual([]);
      }
    }
  });

  it('lets get-comparison read reports (for presigned links), write them (rendered on first request) and list under their prefix, and no other API function touch reports', () => {
    const getComparison = apiFunction('comparisons/get-comparison');
    const s3 = functionStatements(synth.json.api, getComparison).filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
    expect(s3).toHaveLength(2);
    const objects = s3.find((s) => asArray(s.Action).includes('s3:GetObject'))!;
    expect(asArray(objects.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(joined(objects.Resource)).toMatch(new RegExp(`^arn:.*:s3:::${config.prefix}-reports-.*/comparisons/\\*$`));
    // So that a report not rendered yet is a 404 to HeadObject, not a 403: listing under the prefix only.
    const listing = s3.find((s) => asArray(s.Action).includes('s3:ListBucket'))!;
    expect(asArray(listing.Action)).toEqual(['s3:ListBucket']);
    expect(joined(listing.Resource)).toMatch(new RegExp(`^arn:.*:s3:::${config.prefix}-reports-[^/]*$`));
    expect(listing.Condition).toEqual({ StringLike: { 's3:prefix': 'comparisons/*' } });
    for (const [id, fn] of resourcesOf(synth.json.api, 'AWS::Lambda::Function')) {
      if (fn === getComparison) continue;
      expect(JSON.stringify(functionStatements(synth.json.api, fn)), id).not.toContain(`${config.prefix}-reports-`);
    }
  });

  it('alarms on timed-out executions and on failures to record a failure', () => {
    const alarms = resourcesOf(workflows, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({ Namespace: 'AWS/States', MetricName: 'ExecutionsTimedOut', Threshold: 1 }),
    );
    const recorder = logicalIdOf('comparisons/record-comparison-failure');
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: recorder } }],
      }),
    );
  });
});
