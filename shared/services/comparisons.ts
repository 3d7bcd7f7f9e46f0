/**
 * Starting comparisons. The comparison item is written with the declaration (or
 * the re-run request) first, then the workflow starts, named after it. Express
 * workflows do not deduplicate by name, so a repeated start may run twice; every
 * step is idempotent and a finished comparison is never changed, so a second
 * run changes nothing.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ulid } from 'ulid';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, stepFunctions } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import { logger } from '../observability.ts';
import type { Principal } from '../domain/territory.ts';
import { type ComparisonRecord, newComparisonPut, recordComparisonFailure } from '../store/comparisons.ts';
import { declarationKey } from '../store/keys.ts';
import type { DeclarationRecord } from '../store/declarations.ts';
import { mainTableName, nowIso } from '../store/table.ts';

export interface ComparisonInput {
  comparisonId: string;
  declarationId: string;
}

export function newComparison(declaration: DeclarationRecord, requestedBy: Principal): ComparisonRecord {
  return {
    id: ulid(),
    declarationId: declaration.id,
    creditCode: declaration.creditCode,
    divisionCode: declaration.divisionCode,
    schemeId: declaration.schemeId,
    schemeVersion: null,
    status: 'running',
    createdAt: nowIso(),
    createdBy: requestedBy.clientId,
  };
}

/**
 * Starts the workflow. A start that fails for good marks the comparison failed
 * with the reason, so nothing stays running; the client can re-run it.
 */
export async function startComparison(comparison: Pick<ComparisonRecord, 'id' | 'declarationId'>): Promise<void> {
  const input: ComparisonInput = { comparisonId: comparison.id, declarationId: comparison.declarationId };
  try {
    await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn: config().comparisonStateMachineArn,
        name: comparison.id,
        input: JSON.stringify(input),
      }),
    );
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return;
    logger.error('comparison not started', { comparisonId: comparison.id, error: error as Error });
    await recordComparisonFailure(
      comparison.id,
      { code: 'not_started', message: 'The comparison could not be started; request a re-run' },
      nowIso(),
    );
  }
}

/**
 * A re-run: a new comparison, and the declaration pointing at it, in one
 * transaction; the review status is not touched.
 */
export async function requestRerun(declaration: DeclarationRecord, principal: Principal): Promise<ComparisonRecord> {
  const comparison = newComparison(declaration, principal);
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        newComparisonPut(comparison),
        {
          Update: {
            TableName: mainTableName(),
            Key: declarationKey(declaration.id),
            UpdateExpression: 'SET comparisonId = :comparisonId',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':comparisonId': comparison.id },
          },
        },
      ],
    }),
  );
  await startComparison(comparison);
  return comparison;
}
