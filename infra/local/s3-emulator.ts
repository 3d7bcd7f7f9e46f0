/**
 * S3 emulator for npm start, tests and benchmarks: s3rver 3.7.1 in-process, so its
 * object events can call the same handlers S3 notifications call on AWS.
 *
 * ListObjectsV2 pagination: s3rver builds continuation tokens with DES, which
 * OpenSSL 3 (Node 17+, checked on Node 22.23 / OpenSSL 3.5) only offers with
 * `--openssl-legacy-provider`. Without it the first truncated ListObjectsV2 page
 * already fails with 500 InternalError ("digital envelope routines::unsupported").
 * Rather than requiring that flag in every process that hosts the emulator, a
 * middleware below serves list-type=2 through s3rver's V1 listing (marker based,
 * no crypto) and issues its own opaque tokens. No NODE_OPTIONS flag is needed.
 *
 * s3rver also rejects access key ids it does not know (only "S3RVER") while it never
 * verifies SigV4 signatures; any key is accepted here, like DynamoDB Local does.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { localCorsRules } from './bootstrap.ts';

export interface S3EmulatorOptions {
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Where objects are stored (kept across restarts). */
  directory: string;
  /** Buckets created at start, with the permissive local CORS configuration. */
  buckets: string[];
}

export interface ObjectCreatedRecord {
  bucket: string;
  /** The object key as stored, NOT URL-encoded (unlike s3.object.key in a real S3 event). */
  key: string;
  size: number;
  /** As in S3 notifications, e.g. "ObjectCreated:Post" or "ObjectCreated:Put". */
  eventName: string;
}

export type ObjectCreatedListener = (record: ObjectCreatedRecord) => void | Promise<void>;

export interface S3Emulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  onObjectCreated(listener: ObjectCreatedListener): void;
}

function corsXml(): string {
  const rules = localCorsRules
    .map((rule) =>
      [
        '<CORSRule>',
        ...rule.AllowedOrigins.map((value) => `<AllowedOrigin>${value}</AllowedOrigin>`),
        ...rule.AllowedMethods.map((value) => `<AllowedMethod>${value}</AllowedMethod>`),
        ...rule.AllowedHeaders.map((value) => `<AllowedHeader>${value}</AllowedHeader>`),
        ...rule.ExposeHeaders.map((value) => `<ExposeHeader>${value}</ExposeHeader>`),
        `<MaxAgeSeconds>${rule.MaxAgeSeconds}</MaxAgeSeconds>`,
        '</CORSRule>',
      ].join(''),
    )
    .join('');
  return `<CORSConfiguration>${rules}</CORSConfiguration>`;
}

// s3rver is CommonJS without type declarations: type the few parts used here.
interface S3NotificationRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
}

type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

interface S3rverInstance {
  middleware: KoaMiddleware[];
  httpServer?: Server;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3NotificationRecord[] }) => void): void;
  removeAllListeners(event: 'event'): void;
}

interface S3rverConstructor {
  new (options: {
    port: number;
    address: string;
    silent: boolean;
    directory: string;
    allowMismatchedSignatures: boolean;
    vhostBuckets: boolean;
    configureBuckets: { name: string; configs: string[] }[];
  }): S3rverInstance;
}

interface AccountModule {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: unknown;
}

type S3ErrorConstructor = new (code: string, message: string, detail?: Record<string, string>) => Error;

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;
const S3Error = require('s3rver/lib/models/error.js') as S3ErrorConstructor;
const accounts = require('s3rver/lib/models/account.js') as AccountModule;

// Every access key maps to s3rver's dummy account (SigV4 is not verified anyway).
const knownAccount = accounts.registry.get.bind(accounts.registry);
accounts.registry.get = (accessKeyId: string) => knownAccount(accessKeyId) ?? accounts.DUMMY_ACCOUNT;

interface ListBucketResultV1 {
  '@': unknown;
  Name: string;
  Prefix: string;
  Marker?: string;
  NextMarker?: string;
  MaxKeys: string | number;
  Delimiter?: string;
  IsTruncated: boolean;
  Contents: { Key: string; Owner?: unknown }[];
  CommonPrefixes: { Prefix: string }[];
}

function encodeToken(bucket: string, key: string): string {
  return Buffer.from(JSON.stringify({ b: bucket, k: key }), 'utf8').toString('base64');
}

function decodeToken(bucket: string, token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { b?: unknown; k?: unknown };
    if (parsed.b === bucket && typeof parsed.k === 'string') return parsed.k;
  } catch {
    // Fall through to the S3 error.
  }
  throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
    ArgumentName: 'continuation-token',
  });
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** ListObjectsV2 on top of s3rver's V1 listing: same results, no DES (see top of file). */
const listObjectsV2: KoaMiddleware = async (ctx, next) => {
  const segments = ctx.path.split('/').filter(Boolean);
  if (ctx.method !== 'GET' || single(ctx.query['list-type']) !== '2' || segments.length !== 1) {
    return next();
  }
  const bucket = decodeURIComponent(segments[0]!);
  const { 'list-type': _listType, 'continuation-token': tokenParam, 'start-after': startAfterParam, ...rest } =
    ctx.query;
  if ('marker' in rest) {
    throw new S3Error('InvalidArgument', 'Marker unsupported with REST.GET.BUCKET in list-type=2', {
      ArgumentName: 'marker',
    });
  }
  const token = single(tokenParam) || undefined;
  const startAfter = single(startAfterParam);
  const fetchOwner = single(rest['fetch-owner']) === 'true';
  delete rest['fetch-owner'];
  const marker = token !== undefined ? decodeToken(bucket, token) : startAfter;
  ctx.query = marker ? { ...rest, marker } : rest;

  await next();

  const v1 = (ctx.body as { ListBucketResult?: ListBucketResultV1 } | undefined)?.ListBucketResult;
  if (!v1) return;
  const contents = v1.Contents.map(({ Owner, ...object }) => (fetchOwner ? { ...object, Owner } : object));
  const lastKey = v1.Contents.at(-1)?.Key ?? v1.CommonPrefixes.at(-1)?.Prefix;
  ctx.body = {
    ListBucketResult: {
      '@': v1['@'],
      Name: v1.Name,
      Prefix: v1.Prefix,
      StartAfter: token === undefined ? startAfter : undefined,
      ContinuationToken: token,
      NextContinuationToken: v1.IsTruncated && lastKey !== undefined ? encodeToken(bucket, lastKey) : undefined,
      KeyCount: v1.Contents.length,
      MaxKeys: v1.MaxKeys,
      Delimiter: v1.Delimiter,
      IsTruncated: v1.IsTruncated,
      Contents: contents,
      CommonPrefixes: v1.CommonPrefixes,
    },
  };
};

export async function startS3Emulator(options: S3EmulatorOptions): Promise<S3Emulator> {
  const directory = resolve(options.directory);
  mkdirSync(directory, { recursive: true });
  const cors = corsXml();
  const instance = new S3rver({
    // Port 0 lets the OS pick, with no window for another process to take it.
    port: options.port ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [cors] })),
  });

  // Koa composes app.middleware when the server starts; the router is last.
  const routerIndex = instance.middleware.findIndex((middleware) => middleware.name === 'dispatch');
  if (routerIndex === -1) throw new Error('s3rver internals changed: router middleware not found');
  instance.middleware.splice(routerIndex, 0, listObjectsV2);

  const listeners = new Set<ObjectCreatedListener>();
  instance.on('event', (event) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const mapped: ObjectCreatedRecord = {
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        size: record.s3.object.size ?? 0,
        eventName: record.eventName,
      };
      // After the response, as S3 delivers notifications; a failing listener must
      // not fail the upload.
      setImmediate(() => {
        for (const listener of listeners) {
          Promise.resolve()
            .then(() => listener(mapped))
            .catch((error: unknown) => {
              console.error(`s3 emulator: object-created listener failed for ${mapped.bucket}/${mapped.key}`, error);
            });
        }
      });
    }
  });

  const { port } = await instance.run();
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    onObjectCreated(listener) {
      listeners.add(listener);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      listeners.clear();
      instance.removeAllListeners('event');
      const closing = instance.close();
      // SDK clients keep sockets alive; do not wait for their idle timeout.
      instance.httpServer?.closeAllConnections();
      await closing;
    },
  };
}
