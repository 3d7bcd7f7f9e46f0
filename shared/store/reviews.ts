/**
 * Review decisions. A decision and the declaration's status change are one
 * transaction, conditional on the status (and version) the reviewer decided
 * on, so two reviewers deciding at once make one step, never two.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws/clients.ts';
import type { Decision, ReviewStatus } from '../domain/review.ts';
import type { Role } from '../domain/territory.ts';
import { declarationKey, reviewKey } from './keys.ts';
import { mainTableName, type Page, queryPage, withoutKeys } from './table.ts';

export interface ReviewRecord {
  id: string;
  declarationId: string;
  /** The declaration's enterprise and division: whose territory the decision lies in (webhooks). */
  creditCode: string;
  divisionCode: string;
  decision: Decision;
  from: ReviewStatus;
  to: ReviewStatus;
  comment: string | null;
  reviewer: { clientId: string; role: Role; territory: string };
  decidedAt: string;
}

/**
 * Writes the decision and moves the declaration from `review.from` to
 * `review.to`, only if it is still at that status, still the latest and at
 * `version`. 'stale' when any of that changed meanwhile.
 */
export async function recordDecision(review: ReviewRecord, version: number): Promise<'done' | 'stale'> {
  const table = mainTableName();
  const sets = ['#status = :to', 'version = version + :one', 'updatedAt = :now'];
  const values: Record<string, unknown> = {
    ':to': review.to,
    ':from': review.from,
    ':version': version,
    ':true': true,
    ':one': 1,
    ':now': review.decidedAt,
  };
  // Public results show when a declaration was accepted.
  if (review.to === 'accepted') sets.push('acceptedAt = :now');
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: declarationKey(review.declarationId),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: '#status = :from AND version = :version AND latest = :true',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: values,
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...reviewKey(review.declarationId, review.id), kind: 'review', ...review },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'done';
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'stale';
    }
    throw error;
  }
}

/** Decisions on a declaration, oldest first. */
export async function listReviews(declarationId: string, limit: number, cursor?: string): Promise<Page<ReviewRecord>> {
  const page = await queryPage({
    partitions: [declarationKey(declarationId).pk],
    sortKeyPrefix: 'REVIEW#',
    limit,
    cursor,
  });
  return { items: page.items.map((item) => withoutKeys<ReviewRecord>(item)), nextCursor: page.nextCursor };
}

export async function getReview(declarationId: string, reviewId: string): Promise<ReviewRecord | undefined> {
  const { Item: item } = await dynamo().send(
    new GetCommand({ TableName: mainTableName(), Key: reviewKey(declarationId, reviewId) }),
  );
  return item ? withoutKeys<ReviewRecord>(item) : undefined;
}
