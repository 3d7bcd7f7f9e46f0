/**
 * The HTTP plumbing of the local stand-ins for AWS control planes (API Gateway,
 * SQS, Step Functions): a server on 127.0.0.1 that hands each request over
 * with its whole body read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServeWithBody = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** Listens on 127.0.0.1 (port 0: the OS picks one, with no window for another process). */
export async function startLoopbackServer(serve: ServeWithBody, port = 0): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => serve(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
