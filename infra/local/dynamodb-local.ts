import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertPortFree, freePort } from './free-port.ts';

export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Directory of the persistent database (npm start). */
  dbPath?: string;
  /** Keep everything in memory (tests). The default when no dbPath is given. */
  inMemory?: boolean;
  /** How long to wait for the first successful ListTables. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The official jar ships inside amplify-dynamodb-simulator; its JS launcher is broken. */
function emulatorDirectory(): string {
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/**
 * Runs the command given as arguments in the background and kills it as soon as
 * stdin reaches EOF. Node holds the only writer of that pipe, and the kernel closes
 * it whenever Node dies, even on SIGKILL, so Java can never outlive Node. The shell
 * exits only after Java has exited, so the child's 'exit' event means Java is gone.
 * Background jobs of a non-interactive shell get /dev/null as stdin, hence fd 3.
 * The watcher's output goes to /dev/null so a leftover `sleep` does not hold
 * Node's stdout/stderr pipes open (that would keep Node alive after stop).
 */
const GUARD_SCRIPT = `
exec 3<&0
"$@" 3<&- &
child=$!
(
  while read -r _ <&3; do :; done
  kill "$child"
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$child" || exit 0; sleep 0.5; done
  kill -9 "$child"
) >/dev/null 2>&1 &
watcher=$!
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

type GuardedChild = ChildProcessByStdio<Writable, Readable, Readable>;

/** Live instances, so process exit and signals can take them down synchronously. */
const running = new Set<GuardedChild>();
let processHooksInstalled = false;

function killGroup(child: GuardedChild, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the detached shell leads its own group, which holds Java too.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function installProcessHooks(): void {
  if (processHooksInstalled) return;
  processHooksInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      // An application with its own handler (npm start) shuts down gracefully and
      // calls stop(); Java must keep serving until then.
      if (process.listenerCount(signal) > 1) return;
      for (const child of running) killGroup(child, 'SIGTERM');
      // Our listener cancelled Node's default "exit on signal": restore it.
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Keeps the tail of the child's output for error messages. */
function outputTail(limit = 8_000): { append(chunk: Buffer): void; text(): string } {
  let buffer = '';
  return {
    append(chunk) {
      buffer = (buffer + chunk.toString('utf8')).slice(-limit);
    },
    text() {
      return buffer.trim();
    },
  };
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (options.dbPath !== undefined && options.inMemory === true) {
    throw new Error('startDynamoDbLocal: dbPath and inMemory are mutually exclusive');
  }
  let port: number;
  if (options.port === undefined) {
    port = await freePort();
  } else {
    // Otherwise a stale instance on that port would answer the readiness probe.
    await assertPortFree(options.port);
    port = options.port;
  }
  const directory = emulatorDirectory();
  const storage: string[] = [];
  if (options.dbPath !== undefined) {
    const dbPath = resolve(options.dbPath);
    mkdirSync(dbPath, { recursive: true });
    storage.push('-dbPath', dbPath);
  } else {
    storage.push('-inMemory');
  }
  const javaArgs = [
    'java',
    // C1 only and serial GC: ~250 ms faster start and, measured on 2 cores, equal
    // or better PutItem throughput than the defaults (C2 competes with the client).
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(directory, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ];

  const child: GuardedChild = spawn('sh', ['-c', GUARD_SCRIPT, 'sh', ...javaArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const stdout = outputTail();
  const stderr = outputTail();
  child.stdout.on('data', stdout.append);
  child.stderr.on('data', stderr.append);
  // EPIPE when the guard is already gone must not crash Node.
  child.stdin.on('error', () => {});

  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      running.delete(child);
      resolveExit();
    });
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => {}); // only relevant while starting
  running.add(child);
  installProcessHooks();

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const timedOut = await Promise.race([exited.then(() => false), sleep(10_000, true, { ref: false })]);
    if (timedOut) {
      killGroup(child, 'SIGKILL');
      await exited;
    }
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const describeFailure = (reason: string): Error =>
    new Error(
      `DynamoDB Local ${reason} (port ${port}, java ${javaArgs.slice(1).join(' ')}).\n` +
        `stderr:\n${stderr.text() || '(empty)'}\nstdout:\n${stdout.text() || '(empty)'}`,
    );

  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    const ready = (async (): Promise<void> => {
      for (;;) {
        try {
          await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
          return;
        } catch {
          // A failed bind leaves the JVM running, so look for the fatal trace instead.
          if (stderr.text().includes('Exception in thread "main"')) {
            throw describeFailure('failed to start');
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            throw describeFailure(`exited during start (code ${child.exitCode ?? child.signalCode})`);
          }
          if (Date.now() > deadline) throw describeFailure('did not answer ListTables in time');
          await sleep(100);
        }
      }
    })();
    await Promise.race([ready, spawnError]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }

  return { endpoint, port, stop };
}
