import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback receiver (127.0.0.1, port 0) that counts deliveries per `webhook-id`, for the
 * crash and chaos tests: `distinct` is what arrived at least once, `total - distinct` the
 * duplicates. `respond` decides each answer (Default: 200 "ok"); it may delay or misbehave.
 */

export type Respond = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

export interface WebhookRecorder {
  url: string;
  port: number;
  /** webhook-id → number of times it arrived. */
  counts: Map<string, number>;
  /** webhook-id → the parsed payload of its first arrival. */
  payloads: Map<string, unknown>;
  /** Every request in arrival order, raw (kept only with `keepRequests`). */
  requests: Array<{ url: string; headers: IncomingMessage['headers']; body: string; at: number }>;
  total(): number;
  distinct(): number;
  duplicates(): number;
  close(): Promise<void>;
}

export async function startRecorder(
  respond: Respond = (_q, res) => res.end('ok'),
  host = '127.0.0.1',
  keepRequests = false,
): Promise<WebhookRecorder> {
  const requests: WebhookRecorder['requests'] = [];
  const counts = new Map<string, number>();
  const payloads = new Map<string, unknown>();
  let total = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (keepRequests)
        requests.push({ url: req.url ?? '', headers: req.headers, body: body.toString('utf8'), at: Date.now() });
      const id = String(req.headers['webhook-id'] ?? '');
      if (id !== '') {
        total++;
        counts.set(id, (counts.get(id) ?? 0) + 1);
        if (!payloads.has(id)) {
          try {
            payloads.set(id, JSON.parse(body.toString('utf8')));
          } catch {
            payloads.set(id, null);
          }
        }
      }
      Promise.resolve(respond(req, res, body)).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hook`,
    port,
    counts,
    payloads,
    requests,
    total: () => total,
    distinct: () => counts.size,
    duplicates: () => total - counts.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
