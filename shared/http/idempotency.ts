/**
 * Idempotency-Key (api.md): scoped to the client, method and path; a retry with
 * the same key and body within 24 h returns the first response and creates
 * nothing; another body is 422; while the first still runs, 409. Records live in
 * their own table, written with conditional puts so two concurrent requests
 * with one key run the handler once.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type middy from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { dynamo } from '../aws/clients.ts';
import { config } from '../config/env.ts';
import { AppError, invalidField } from './errors.ts';
import type { ParsedEvent } from './handler.ts';
import { header, principalOf } from './request.ts';

const RETENTION_SECONDS = 24 * 60 * 60;
/** A first attempt that died mid-way stops blocking retries after this long. */
const IN_PROGRESS_SECONDS = 60;

/** JSON with sorted keys, so that key order does not change the body's identity. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface StoredResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export function idempotency(): middy.MiddlewareObj<ParsedEvent, APIGatewayProxyResult> {
  // The record this invocation owns, if any.
  const owned = new WeakMap<object, string>();

  return {
    before: async (request) => {
      const key = header(request.event, 'idempotency-key');
      if (key === undefined) return;
      if (key.length < 1 || key.length > 255) throw invalidField(['Idempotency-Key'], 'invalid_format');
      const { clientId } = principalOf(request.event);
      const { httpMethod, resource, path } = request.event;
      const id = sha256([clientId, httpMethod, resource ?? path, key].join('\n'));
      const bodyHash = sha256(canonicalJson(request.event.parsedBody ?? null));
      const now = Math.floor(Date.now() / 1000);
      try {
        await dynamo().send(
          new PutCommand({
            TableName: config().idempotencyTableName,
            Item: {
              id,
              status: 'in_progress',
              bodyHash,
              expiration: now + RETENTION_SECONDS,
              inProgressUntil: now + IN_PROGRESS_SECONDS,
            },
            ConditionExpression:
              'attribute_not_exists(id) OR expiration < :now OR (#status = :running AND inProgressUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':now': now, ':running': 'in_progress' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        owned.set(request, id);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const existing = (error.Item ? unmarshallStored(error.Item) : {}) as {
          bodyHash?: string;
          status?: string;
          response?: StoredResponse;
        };
        if (existing.bodyHash !== bodyHash) throw new AppError(422, 'idempotency-key-reused');
        if (existing.status !== 'completed' || !existing.response) {
          throw new AppError(409, 'idempotency-in-progress', undefined, {}, [], { 'Retry-After': '1' });
        }
        return {
          ...existing.response,
          headers: { ...existing.response.headers, 'Idempotent-Replayed': 'true' },
        };
      }
      return undefined;
    },
    after: async (request) => {
      const id = owned.get(request);
      const response = request.response;
      if (!id || !response) return;
      await dynamo().send(
        new UpdateCommand({
          TableName: config().idempotencyTableName,
          Key: { id },
          UpdateExpression: 'SET #status = :completed, #response = :response REMOVE inProgressUntil',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':response': {
              statusCode: response.statusCode,
              headers: response.headers ?? {},
              body: response.body,
            },
          },
        }),
      );
    },
    onError: async (request) => {
      // Nothing was created: let the client retry with the same key.
      const id = owned.get(request);
      if (!id) return;
      await dynamo().send(new DeleteCommand({ TableName: config().idempotencyTableName, Key: { id } }));
    },
  };
}

function unmarshallStored(item: Record<string, unknown>): Record<string, unknown> {
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
}
