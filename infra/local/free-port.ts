import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on the loopback interface. The port is released
 * before returning, so a concurrent process could in theory take it first; callers
 * that spawn a server on it should surface bind errors clearly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with a clear message when something already listens on the port (any interface). */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is already in use (a previous emulator still running?)`)
          : error,
      );
    });
    server.listen(port, () => server.close(() => resolve()));
  });
}
