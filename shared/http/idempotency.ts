/**
 * Idempotency-Key (api.md): scoped to the client, method and path; a retry with
 * the same key and body within 24 h returns the first response and creates
 * nothing; another body is 422; while the first still runs, 409. Records live in
 * their own table, written with conditional puts so two concurrent requests
 * with one key run the handler once. Stored response bodies are encrypted with
 * a key derived from the Idempotency-Key itself: some responses carry secrets
 * shown once (client and webhook secrets), which the table alone must not reveal.
 * They are gzip'd first and stored as bytes: a declaration's response then
 * stays under the kilobyte a write unit covers.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
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
  /**
   * IV (12 bytes), GCM tag (16 bytes) and the encrypted gzip'd body; records
   * written before bodies were compressed hold the same, uncompressed, in base64.
   */
  sealedBody: Uint8Array | string;
}

interface Scope {
  id: string;
  /** AES-256 key of the stored body; derived from the same inputs as the id, but not from it. */
  key: Buffer;
}

function scopeOf(event: ParsedEvent, idempotencyKey: string): Scope {
  const { clientId } = principalOf(event);
  // The resource template and its path parameters: one key on two resources is two scopes.
  const material = [clientId, event.httpMethod, event.resource ?? event.path, canonicalJson(event.pathParameters ?? {}), idempotencyKey].join('\n');
  return {
    id: sha256(`record\n${material}`),
    key: createHash('sha256').update(`response\n${material}`).digest(),
  };
}

function seal(key: Buffer, body: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const encrypted = Buffer.concat([cipher.update(gzipSync(body)), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
}

function unseal(key: Buffer, sealed: Uint8Array | string): string {
  const bytes = typeof sealed === 'string' ? Buffer.from(sealed, 'base64') : Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  return (typeof sealed === 'string' ? plain : gunzipSync(plain)).toString('utf8');
}

export function idempotency(): middy.MiddlewareObj<ParsedEvent, APIGatewayProxyResult> {
  // The record this invocation owns, if any.
  const owned = new WeakMap<object, Scope>();

  return {
    before: async (request) => {
      const key = header(request.event, 'idempotency-key');
      if (key === undefined) return;
      if (key.length < 1 || key.length > 255) throw invalidField(['Idempotency-Key'], 'invalid_format');
      const scope = scopeOf(request.event, key);
      const { id } = scope;
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
        owned.set(request, scope);
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
          statusCode: existing.response.statusCode,
          headers: { ...existing.response.headers, 'Idempotent-Replayed': 'true' },
          body: unseal(scope.key, existing.response.sealedBody),
        };
      }
      return undefined;
    },
    after: async (request) => {
      const scope = owned.get(request);
      const response = request.response;
      if (!scope || !response) return;
      await dynamo().send(
        new UpdateCommand({
          TableName: config().idempotencyTableName,
          Key: { id: scope.id },
          UpdateExpression: 'SET #status = :completed, #response = :response REMOVE inProgressUntil',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':response': {
              statusCode: response.statusCode,
              headers: response.headers ?? {},
              sealedBody: seal(scope.key, response.body ?? ''),
            },
          },
        }),
      );
    },
    onError: async (request) => {
      // Nothing was created: let the client retry with the same key.
      const scope = owned.get(request);
      if (!scope) return;
      await dynamo().send(new DeleteCommand({ TableName: config().idempotencyTableName, Key: { id: scope.id } }));
    },
  };
}

function unmarshallStored(item: Record<string, unknown>): Record<string, unknown> {
  return unmarshall(item as Parameters<typeof unmarshall>[0]);
}
