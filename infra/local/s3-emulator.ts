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
 *
 * Object-created events reach listeners in the emulator's own process and, through
 * `subscribeObjectCreated`, any other process (vitest workers share one emulator
 * started by the global setup in the main process).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { localCorsRules } from './bootstrap.ts';

export interface S3EmulatorOptions {
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Where objects are stored (kept across restarts). */
  directory: string;
  /** Buckets created at start, with the permissive local CORS configuration. */
  buckets: string[];
  /** Told of every request served (the cost model counts them by S3's price classes). */
  onRequest?: (request: { method: string; path: string; query: Record<string, unknown>; headers: Record<string, unknown> }) => void;
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
interface StoredObject {
  key: string;
  size: number;
  metadata: Record<string, string>;
  lastModifiedDate: Date;
}

interface S3NotificationRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

interface KoaContext {
  method: string;
  path: string;
  headers: Record<string, unknown>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  store: {
    listObjects(
      bucket: string,
      options: { prefix: string; startAfter: string; maxKeys: number },
    ): Promise<{ objects: StoredObject[] }>;
  };
  status: number;
  type: string;
  req: { socket: { setTimeout(ms: number): void } };
  res: { once(event: 'close', listener: () => void): void };
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
  DUMMY_ACCOUNT: { id: number; displayName: string };
}

type S3ErrorConstructor = new (code: string, message: string, detail?: Record<string, string>) => Error;

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;
const S3Error = require('s3rver/lib/models/error.js') as S3ErrorConstructor;
const accounts = require('s3rver/lib/models/account.js') as AccountModule;

interface StoredContent {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredContent): Promise<{ size: number; md5: string }>;
}

const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as { prototype: FilesystemStore };

/**
 * s3rver answers a PUT or POST (and emits its object-created event) as soon as
 * the body has been read, not once the file is written: a reader woken by the
 * event could find the object truncated, as it never is on S3. Resolved here
 * only when the file is complete, and the object replaced only then.
 */
FilesystemStore.prototype.putObject = async function putObject(this: FilesystemStore, object: StoredContent) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const md5 = createHash('md5');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  // Into a file of its own, renamed when complete: an aborted upload leaves the old object whole.
  const partial = `${objectPath}.${randomUUID()}.partial`;
  try {
    await pipeline(content, measure, createWriteStream(partial));
    await rename(partial, objectPath);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

// Every access key maps to s3rver's dummy account (SigV4 is not verified anyway).
const knownAccount = accounts.registry.get.bind(accounts.registry);
accounts.registry.get = (accessKeyId: string) => knownAccount(accessKeyId) ?? accounts.DUMMY_ACCOUNT;

interface ListBucketResultV1 {
  '@': unknown;
}

interface PagePosition {
  key: string;
  /** The page ended on a common prefix: skip every key under it. */
  isPrefix: boolean;
}

function encodeToken(bucket: string, position: PagePosition): string {
  return Buffer.from(JSON.stringify({ b: bucket, k: position.key, p: position.isPrefix }), 'utf8').toString('base64');
}

function decodeToken(bucket: string, token: string): PagePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { b?: unknown; k?: unknown; p?: unknown };
    if (parsed.b === bucket && typeof parsed.k === 'string') return { key: parsed.k, isPrefix: parsed.p === true };
  } catch {
    // Fall through to the S3 error.
  }
  throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
    ArgumentName: 'continuation-token',
  });
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function maxKeysOf(value: string | undefined): number {
  if (value === undefined || value === '') return 1000;
  if (!/^\d+$/.test(value) || Number(value) > 2147483647) {
    throw new S3Error('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647', {
      ArgumentName: 'maxKeys',
      ArgumentValue: value,
    });
  }
  return Math.min(1000, Number(value));
}

/**
 * ListObjectsV2 without DES (see top of file), and in key order. s3rver walks its
 * directory tree in file-name order, which differs from key order when a key is
 * a prefix of another followed by a character below "." ("x" and "x-1"), and it
 * counts MaxKeys without the common prefixes; across pages that loses keys and
 * repeats prefixes. So s3rver only checks the request (bucket, CORS, access key)
 * through a V1 listing of zero keys, and the page is built here from the store:
 * every key after the position, sorted, grouped by delimiter. Each page reads all
 * metadata after the position: fine for local bucket sizes.
 */
const listObjectsV2: KoaMiddleware = async (ctx, next) => {
  const segments = ctx.path.split('/').filter(Boolean);
  if (ctx.method !== 'GET' || single(ctx.query['list-type']) !== '2' || segments.length !== 1) {
    return next();
  }
  const bucket = decodeURIComponent(segments[0]!);
  if ('marker' in ctx.query) {
    throw new S3Error('InvalidArgument', 'Marker unsupported with REST.GET.BUCKET in list-type=2', {
      ArgumentName: 'marker',
    });
  }
  const token = single(ctx.query['continuation-token']) || undefined;
  const startAfter = single(ctx.query['start-after']) || undefined;
  const prefix = single(ctx.query.prefix) ?? '';
  const delimiter = single(ctx.query.delimiter) ?? '';
  const fetchOwner = single(ctx.query['fetch-owner']) === 'true';
  const maxKeysParam = single(ctx.query['max-keys']);
  const maxKeys = maxKeysOf(maxKeysParam);
  let after = startAfter ?? '';
  if (token !== undefined) {
    const position = decodeToken(bucket, token);
    // U+FFFF sorts after any other character of a key: skips the whole prefix.
    after = position.isPrefix ? `${position.key}\uffff` : position.key;
  }

  ctx.query = { 'max-keys': '0' };
  await next();
  const v1 = (ctx.body as { ListBucketResult?: ListBucketResultV1 } | undefined)?.ListBucketResult;
  if (!v1) return;

  const { objects } =
    maxKeys === 0 ? { objects: [] } : await ctx.store.listObjects(bucket, { prefix, startAfter: after, maxKeys: Infinity });
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page: { key: string; object?: StoredObject }[] = [];
  let isTruncated = false;
  for (const object of objects) {
    const cut = delimiter ? object.key.indexOf(delimiter, prefix.length) : -1;
    const entry = cut === -1 ? { key: object.key, object } : { key: object.key.slice(0, cut + delimiter.length) };
    if (entry.object === undefined && page.at(-1)?.key === entry.key) continue;
    if (page.length === maxKeys) {
      isTruncated = true;
      break;
    }
    page.push(entry);
  }
  const last = page.at(-1);
  ctx.body = {
    ListBucketResult: {
      '@': v1['@'],
      Name: bucket,
      Prefix: prefix,
      StartAfter: token === undefined ? startAfter : undefined,
      ContinuationToken: token,
      NextContinuationToken:
        isTruncated && last ? encodeToken(bucket, { key: last.key, isPrefix: !last.object }) : undefined,
      KeyCount: page.length,
      MaxKeys: maxKeysParam ?? 1000, // echoed like S3, even above 1000
      Delimiter: delimiter || undefined,
      IsTruncated: isTruncated,
      Contents: page.flatMap(({ object }) =>
        object
          ? [
              {
                Key: object.key,
                LastModified: object.lastModifiedDate.toISOString(),
                ETag: object.metadata.etag,
                Size: object.size,
                Owner: fetchOwner
                  ? { ID: accounts.DUMMY_ACCOUNT.id, DisplayName: accounts.DUMMY_ACCOUNT.displayName }
                  : undefined,
                StorageClass: 'STANDARD',
              },
            ]
          : [],
      ),
      CommonPrefixes: page.flatMap(({ key, object }) => (object ? [] : [{ Prefix: key }])),
    },
  };
};

/** Not a valid bucket name, so it cannot shadow one. */
const SUBSCRIBE_PATH = '/__emulator/object-created';

/** Streams object-created records as NDJSON to remote subscribers. */
function subscriptionMiddleware(subscribers: Map<PassThrough, Promise<void>>): KoaMiddleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== SUBSCRIBE_PATH) return next();
    const stream = new PassThrough();
    // The response closes when the subscriber disconnects or the stream ends.
    const closed = new Promise<void>((resolveClosed) =>
      ctx.res.once('close', () => {
        subscribers.delete(stream);
        stream.end();
        resolveClosed();
      }),
    );
    subscribers.set(stream, closed);
    ctx.req.socket.setTimeout(0);
    ctx.status = 200;
    ctx.type = 'application/x-ndjson';
    ctx.body = stream;
    // First line flushes the headers, so the subscriber knows it is registered.
    stream.write(`${JSON.stringify({ subscribed: true })}\n`);
  };
}

export interface ObjectCreatedSubscription {
  close(): void;
}

/**
 * Receives the object-created records of an emulator running in another process
 * (by its endpoint). Resolves once the emulator has registered the subscription.
 */
export async function subscribeObjectCreated(
  endpoint: string,
  listener: ObjectCreatedListener,
): Promise<ObjectCreatedSubscription> {
  const controller = new AbortController();
  const response = await fetch(new URL(SUBSCRIBE_PATH, endpoint), { signal: controller.signal });
  if (!response.ok || !response.body) {
    controller.abort();
    throw new Error(`S3 emulator at ${endpoint} refused the subscription: HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const nextLines = async (): Promise<string[] | undefined> => {
    for (;;) {
      const newline = buffer.lastIndexOf('\n');
      if (newline !== -1) {
        const lines = buffer.slice(0, newline).split('\n');
        buffer = buffer.slice(newline + 1);
        return lines;
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffer += value;
    }
  };
  const first = await nextLines();
  if (!first?.some((line) => line.includes('"subscribed"'))) {
    controller.abort();
    throw new Error(`S3 emulator at ${endpoint} did not confirm the subscription`);
  }
  void (async () => {
    try {
      for (let lines = await nextLines(); lines; lines = await nextLines()) {
        for (const line of lines) {
          if (!line) continue;
          Promise.resolve()
            .then(() => listener(JSON.parse(line) as ObjectCreatedRecord))
            .catch((error: unknown) => console.error('s3 emulator subscription: listener failed', error));
        }
      }
    } catch {
      // Aborted by close() or the emulator stopped.
    }
  })();
  return { close: () => controller.abort() };
}

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
  const subscribers = new Map<PassThrough, Promise<void>>();
  instance.middleware.splice(routerIndex, 0, subscriptionMiddleware(subscribers), listObjectsV2);
  const onRequest = options.onRequest;
  if (onRequest) {
    // First, so it sees each request as the client sent it (before listObjectsV2 rewrites the query).
    instance.middleware.unshift(async (ctx, next) => {
      if (ctx.path !== SUBSCRIBE_PATH) onRequest({ method: ctx.method, path: ctx.path, query: { ...ctx.query }, headers: ctx.headers });
      return next();
    });
  }

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
        const line = `${JSON.stringify(mapped)}\n`;
        for (const subscriber of subscribers.keys()) subscriber.write(line);
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
      // Let open subscriptions finish while s3rver's logger can still record them.
      const closing = [...subscribers.values()];
      for (const subscriber of subscribers.keys()) subscriber.end();
      await Promise.race([Promise.all(closing), sleep(1_000, undefined, { ref: false })]);
      const serverClosed = instance.close();
      // SDK clients keep sockets alive; do not wait for their idle timeout.
      instance.httpServer?.closeAllConnections();
      await serverClosed;
    },
  };
}
