import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ApiClient } from '../support/api-client.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';
import { startReceiver, type ReceivedRequest, type Receiver } from '../delivery/receiver.js';
import { waitFor } from './ui-wait.js';

/** The browser suite's servers: a Hookrelay child process, a switchable receiver, a page that embeds the portal. */

export const UI_ADMIN_TOKEN = 'hr_admin_browser_suite_0123456789abcdef';

export interface HookrelayProcess {
  url: string;
  admin: ApiClient;
  proc: ServerProcess;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startHookrelay(env: Record<string, string> = {}): Promise<HookrelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-ui-'));
  const proc = await spawnServer({
    env: {
      HOOKRELAY_DATA_DIR: dataDir,
      HOOKRELAY_PORT: '0',
      HOOKRELAY_HOST: '127.0.0.1',
      HOOKRELAY_ADMIN_TOKEN: UI_ADMIN_TOKEN,
      HOOKRELAY_ALLOW_NETWORKS: '127.0.0.0/8',
      HOOKRELAY_RETRY_SCHEDULE: '0,1,1',
      HOOKRELAY_LOG_LEVEL: 'warn',
      HOOKRELAY_POLL_INTERVAL_MS: '100',
      ...env,
    },
  });
  const url = proc.url!;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`server is not on loopback: ${url}`);
  return {
    url,
    proc,
    dataDir,
    admin: new ApiClient(url, UI_ADMIN_TOKEN),
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A receiver whose answer can be switched; it records every request (headers + body). */
export interface SwitchableReceiver extends Receiver {
  answer: { status: number; body: string };
  /** Wait until at least n requests arrived; returns the n-th (1-based). */
  nth(n: number, timeoutMs?: number): Promise<ReceivedRequest>;
}

export async function startSwitchableReceiver(): Promise<SwitchableReceiver> {
  const answer = { status: 200, body: 'ok' };
  const r = await startReceiver((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'text/plain' });
    res.end(answer.body);
  });
  return Object.assign(r, {
    answer,
    nth: (n: number, timeoutMs = 15_000) =>
      waitFor(`request #${n} at the receiver (${r.requests.length} so far)`, () => r.requests[n - 1], timeoutMs),
  });
}

/** Verify a delivery with one secret against ONE of its signatures; returns the index that verified. */
export function signaturesVerifiedBy(req: ReceivedRequest, secret: string): number[] {
  const id = String(req.headers['webhook-id']);
  const ts = String(req.headers['webhook-timestamp']);
  const sigs = String(req.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter(Boolean);
  const ok: number[] = [];
  sigs.forEach((sig, i) => {
    try {
      new Webhook(secret).verify(req.body, { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig });
      ok.push(i);
    } catch {
      // not this one
    }
  });
  return ok;
}

/** A tiny page server on a loopback origin that embeds a URL in an <iframe> (GET /?src=…). */
export interface HostPage {
  origin: string;
  pageUrl(src: string): string;
  close(): Promise<void>;
}

export async function startHostPage(host = '127.0.0.1'): Promise<HostPage> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const src = u.searchParams.get('src') ?? 'about:blank';
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // The host records what the portal posts (its height) so a test can read it.
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>
<h1>Customer settings</h1>
<iframe id="portal" title="Webhooks portal" src="${esc(src)}" style="width:100%;height:600px;border:0"></iframe>
<script>window.__messages=[];window.addEventListener('message',function(e){window.__messages.push({origin:e.origin,data:e.data});});</script>
</body></html>`);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    pageUrl: (src) => `${origin}/?src=${encodeURIComponent(src)}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
