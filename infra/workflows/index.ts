/** The platform's workflows: ASL files and the functions their tasks run. */
import type { WorkflowDefinition } from './definitions.ts';

export const comparisonWorkflow: WorkflowDefinition = {
  name: 'comparison',
  file: 'comparison.asl.json',
  tasks: {
    LoadComparisonInputFunctionArn: 'comparisons/load-comparison-input',
    CompareFunctionArn: 'comparisons/compare',
    RenderReportFunctionArn: 'comparisons/render-report',
    PersistComparisonFunctionArn: 'comparisons/persist-comparison',
    RecordComparisonFailureFunctionArn: 'comparisons/record-comparison-failure',
  },
};

/** Ingests one batch upload (Standard, with a Distributed Map over its chunks). */
export const batchWorkflow: WorkflowDefinition = {
  name: 'batch',
  file: 'batch.asl.json',
  tasks: {
    SplitBatchFunctionArn: 'batches/split-batch',
    ProcessChunkFunctionArn: 'batches/process-chunk',
    FinishBatchFunctionArn: 'batches/finish-batch',
    RecordBatchFailureFunctionArn: 'batches/record-batch-failure',
  },
};

export const workflows: WorkflowDefinition[] = [comparisonWorkflow, batchWorkflow];

/** Environment variable through which functions learn each state machine's ARN. */
export const stateMachineArnEnv: Record<string, string> = {
  comparison: 'COMPARISON_STATE_MACHINE_ARN',
  batch: 'BATCH_STATE_MACHINE_ARN',
};
