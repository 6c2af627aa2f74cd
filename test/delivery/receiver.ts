import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP receiver on a loopback port 0, scripted per request (undici's test style):
 * each request is recorded (method, headers, body, arrival time) and answered by `handler`.
 */

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Handler = (req: ReceivedRequest, res: ServerResponse, index: number) => unknown;

export interface Receiver {
  url: string;
  port: number;
  host: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(
  handler: Handler = (_r, res) => res.end('ok'),
  host = '127.0.0.1',
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(rec);
      Promise.resolve(handler(rec, res, requests.length - 1)).catch(() => res.destroy());
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hook`,
    port,
    host,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answer a scripted reset: drop the connection without a response. */
export function reset(res: ServerResponse): void {
  res.socket?.resetAndDestroy?.() ?? res.destroy();
}
