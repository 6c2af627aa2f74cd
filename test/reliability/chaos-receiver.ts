import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The misbehaving receivers of receiver-chaos.test.ts, one per URL path on one loopback server.
 * Each answers every request the same way, except `random-500` (a coin per request) and
 * `429-then-ok` (429 with Retry-After twice per message, then 200).
 */

export type Behaviour =
  'random-500' | 'reset' | 'hang' | 'slowloris' | 'slow-body' | 'big-body' | 'redirect' | 'gone' | '429-then-ok';

export const BEHAVIOURS: Behaviour[] = [
  'random-500',
  'reset',
  'hang',
  'slowloris',
  'slow-body',
  'big-body',
  'redirect',
  'gone',
  '429-then-ok',
];

const MB = Buffer.alloc(1024 * 1024, 'x');
export const BIG_BODY_BYTES = 50 * 1024 * 1024;

/** Byte by byte, one every `everyMs`, until the socket closes. */
function trickle(res: ServerResponse, text: string, everyMs: number, raw: boolean): void {
  let i = 0;
  const socket = res.socket;
  const timer = setInterval(() => {
    if (!socket || socket.destroyed || i >= text.length) return clearInterval(timer);
    if (raw) socket.write(text[i++]);
    else res.write(text[i++]);
  }, everyMs);
  socket?.on('close', () => clearInterval(timer));
}

export function chaosHandler(redirectTo: string) {
  const seen429 = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const behaviour = (req.url ?? '').split('/')[1] as Behaviour;
    const id = String(req.headers['webhook-id'] ?? '');
    switch (behaviour) {
      case 'random-500':
        res.statusCode = Math.random() < 0.5 ? 500 : 200;
        return res.end(res.statusCode === 500 ? 'random failure' : 'ok');
      case 'reset':
        return req.socket.resetAndDestroy();
      case 'hang':
        hanging.add(res); // never answered; the sender's timeout must end it
        return;
      case 'slowloris':
        // The status line and headers, one byte every 400 ms: never complete within the timeout.
        return trickle(res, 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok', 400, true);
      case 'slow-body':
        // Headers at once, then the body one byte every 400 ms (Content-Length promises 100 bytes).
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
        return trickle(res, 'y'.repeat(100), 400, false);
      case 'big-body': {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG_BODY_BYTES) });
        let sent = 0;
        const pump = () => {
          while (sent < BIG_BODY_BYTES && !res.destroyed) {
            sent += MB.length;
            if (!res.write(MB)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        res.on('error', () => {});
        return pump();
      }
      case 'redirect':
        res.writeHead(302, { location: redirectTo });
        return res.end();
      case 'gone':
        res.statusCode = 410;
        return res.end('gone');
      case '429-then-ok': {
        const n = (seen429.get(id) ?? 0) + 1;
        seen429.set(id, n);
        if (n <= 2) {
          res.writeHead(429, { 'retry-after': '1' });
          return res.end('slow down');
        }
        return res.end('ok');
      }
      default:
        res.statusCode = 404;
        return res.end();
    }
  };
  return { handle, hanging };
}
