/**
 * What CDK configures for each function and state machine, read from the same
 * settings the stacks deploy from, so the cost model bills the memory AWS would.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_MEMORY_MB } from '../constructs/node-function.ts';
import { BATCH_TASK_SETTINGS } from '../stacks/batch-stack.ts';
import { S3_TRIGGER_SETTINGS } from '../stacks/events-stack.ts';
import { QUEUE_CONSUMER_SETTINGS } from '../stacks/queue-consumers.ts';
import { STREAM_CONSUMER_SETTINGS } from '../stacks/stream-consumers.ts';
import { TASK_SETTINGS } from '../stacks/workflow-stack.ts';
import { definitionPath, type WorkflowDefinition } from '../workflows/definitions.ts';
import { authorizerHandler, routes } from '../../shared/http/routes.ts';
import { queueConsumers } from '../definitions/queues.ts';

export type FunctionKind = 'api' | 'authorizer' | 'workflow task' | 'stream consumer' | 'queue consumer' | 'S3 trigger';

export interface FunctionConfig {
  handler: string;
  kind: FunctionKind;
  memoryMb: number;
}

/** Every function the stacks deploy, by handler path (`comparisons/compare`). */
export function functionConfigs(): Map<string, FunctionConfig> {
  const configs = new Map<string, FunctionConfig>();
  const add = (handler: string, kind: FunctionKind, memoryMb: number | undefined) =>
    configs.set(handler, { handler, kind, memoryMb: memoryMb ?? DEFAULT_MEMORY_MB });
  // api-stack.ts: one NodeFunction per route with route.memoryMb; the authorizer with the default.
  for (const route of routes) add(route.handler, 'api', route.memoryMb);
  add(authorizerHandler, 'authorizer', undefined);
  for (const [handler, settings] of Object.entries(TASK_SETTINGS)) add(handler, 'workflow task', settings.memoryMb);
  for (const [handler, settings] of Object.entries(BATCH_TASK_SETTINGS)) add(handler, 'workflow task', settings.memoryMb);
  for (const [handler, settings] of Object.entries(STREAM_CONSUMER_SETTINGS)) add(handler, 'stream consumer', settings.memoryMb);
  for (const [handler, settings] of Object.entries(QUEUE_CONSUMER_SETTINGS)) add(handler, 'queue consumer', settings.memoryMb);
  for (const [handler, settings] of Object.entries(S3_TRIGGER_SETTINGS)) add(handler, 'S3 trigger', settings.memoryMb);
  return configs;
}

/** Handlers behind SQS event source mappings (each batch they get is a ReceiveMessage and a DeleteMessageBatch). */
export const queueConsumerHandlers = new Set(queueConsumers.map((queue) => queue.handler));

/**
 * The type of each state machine. Written inline in the stacks
 * (infra/stacks/workflow-stack.ts: EXPRESS; infra/stacks/batch-stack.ts: STANDARD),
 * so repeated here; test/unit/cost-model.test.ts reads the stacks' source to keep them equal.
 */
export const STATE_MACHINE_TYPES: Record<string, 'EXPRESS' | 'STANDARD'> = {
  comparison: 'EXPRESS',
  batch: 'STANDARD',
};

export interface WorkflowShape {
  name: string;
  type: 'EXPRESS' | 'STANDARD';
  /** Bytes of the ASL definition (Express memory estimate). */
  definitionBytes: number;
  /** Map states whose iterations are child executions: Distributed, with Express children. */
  expressChildMaps: Set<string>;
  /** Whether any Map runs its iterations inline (their states are the parent's transitions). */
  hasInlineMap: boolean;
}

type StateNode = { Type?: string; ItemProcessor?: MachineNode; Iterator?: MachineNode; Branches?: MachineNode[] } & Record<string, unknown>;
type MachineNode = { States: Record<string, StateNode>; ProcessorConfig?: { Mode?: string; ExecutionType?: string } };

export function workflowShape(workflow: WorkflowDefinition): WorkflowShape {
  const text = readFileSync(definitionPath(workflow.file), 'utf8');
  const definition = JSON.parse(text) as MachineNode;
  const expressChildMaps = new Set<string>();
  let hasInlineMap = false;
  const visit = (machine: MachineNode) => {
    for (const [name, state] of Object.entries(machine.States)) {
      if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? state.Iterator;
        const config = processor?.ProcessorConfig;
        if (config?.Mode === 'DISTRIBUTED' && config.ExecutionType === 'EXPRESS') expressChildMaps.add(name);
        else hasInlineMap = true;
        if (processor) visit(processor);
      }
      for (const branch of state.Branches ?? []) visit(branch);
    }
  };
  visit(definition);
  const type = STATE_MACHINE_TYPES[workflow.name];
  if (!type) throw new Error(`no state machine type for workflow ${workflow.name} in STATE_MACHINE_TYPES`);
  return { name: workflow.name, type, definitionBytes: Buffer.byteLength(text), expressChildMaps, hasInlineMap };
}
