import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.js';
import { startServer } from '../server/hookrelay-server.js';
import { ApiCallError, apiCall } from './cli-client.js';
import { DEMO_EVENT_TYPES } from './demo-catalogue.js';
import { verifyCaptured } from './verify-captured.js';

/**
 * `hookrelay demo`: one process shows both halves over one event log. It starts a server on a
 * temp data dir, a local receiver for pushes and a long-polling reader for pulls, sends a
 * burst, and reports each message's push and pull latency (ingest → receipt) side by side.
 */
export interface DemoOptions {
  /** Messages in the burst. (Default: 50) */
  count?: number;
  /** Give up waiting for deliveries after this long. (Default: 60000 ms) */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface DemoReport {
  sent: number;
  pushed: number;
  pulled: number;
  signaturesValid: number;
  push: { p50: number; p95: number };
  pull: { p50: number; p95: number };
  ok: boolean;
}

interface Sent {
  id: string;
  eventType: string;
  createdAt: number;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const count = options.count ?? 50;
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-demo-'));
  const token = 'hr_admin_demo_' + randomBytes(12).toString('base64url');
  // The environment is ignored on purpose: the demo always runs on its own throwaway SQLite file.
  const config = loadConfig(
    {},
    {
      dataDir,
      port: 0,
      host: '127.0.0.1',
      adminToken: token,
      allowNetworks: ['127.0.0.0/8'],
      retrySchedule: [0, 1, 2, 5],
      logLevel: 'silent',
      pollIntervalMs: 100,
    },
  );
  const pushes = new Map<string, { at: number; headers: Record<string, string>; body: Buffer }>();
  const receiver = await startDemoReceiver(pushes);
  const server = await startServer(config);
  const stopPull = new AbortController();
  try {
    const url = server.url!;
    const call = <T>(method: string, path: string, body?: unknown) => apiCall<T>(url, token, method, path, body);
    log(`Hookrelay demo: server ${url}, receiver ${receiver.url}, data ${dataDir}`);

    for (const t of DEMO_EVENT_TYPES) {
      await call('POST', '/api/v1/event-type', { name: t.name, description: t.description }).catch((err) => {
        if (!(err instanceof ApiCallError && err.status === 409)) throw err;
      });
    }
    await call('POST', '/api/v1/app', { name: 'Demo', uid: 'demo' });
    const push = await call<{ id: string }>('POST', '/api/v1/app/demo/endpoint', {
      url: `${receiver.url}/webhook`,
      description: 'push: local receiver',
    });
    const { key: secret } = await call<{ key: string }>('GET', `/api/v1/app/demo/endpoint/${push.id}/secret`);
    await call('POST', '/api/v1/app/demo/endpoint', {
      kind: 'poll',
      uid: 'demo-poll',
      description: 'pull: long-polling reader',
    });
    log(`Registered ${DEMO_EVENT_TYPES.length} event types, app "demo", one URL endpoint and one poll endpoint.`);

    const pulls = new Map<string, number>();
    const pullOrder: string[] = [];
    let pullError: unknown = null;
    const reader = pullLoop(call, pulls, pullOrder, stopPull.signal).catch((err) => {
      pullError = err;
    });

    const started = Date.now();
    const sent: Sent[] = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const type = DEMO_EVENT_TYPES[i % DEMO_EVENT_TYPES.length];
        const msg = await call<{ id: string; timestamp: string }>('POST', '/api/v1/app/demo/msg', {
          eventType: type.name,
          payload: type.sample(i),
        });
        return { id: msg.id, eventType: type.name, createdAt: Date.parse(msg.timestamp) };
      }),
    );
    log(`Sent ${count} messages in ${Date.now() - started} ms; waiting for pushes and pulls...`);

    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    while ((pushes.size < count || pulls.size < count) && Date.now() < deadline && pullError === null) await sleep(20);
    stopPull.abort();
    await reader;
    if (pullError) log(`pull reader failed: ${(pullError as Error).message}`);

    const byId = new Map(sent.map((s) => [s.id, s]));
    const pushLat: number[] = [];
    const pullLat: number[] = [];
    let signaturesValid = 0;
    log('');
    log(`${'message'.padEnd(31)} ${'event type'.padEnd(22)} ${'push'.padStart(8)} ${'pull'.padStart(8)}`);
    for (const id of pullOrder.length === count ? pullOrder : sent.map((s) => s.id)) {
      const s = byId.get(id);
      if (!s) continue;
      const p = pushes.get(id);
      const q = pulls.get(id);
      if (p) {
        pushLat.push(p.at - s.createdAt);
        if (verifyCaptured(secret, { headers: p.headers, body: p.body }).ok) signaturesValid++;
      }
      if (q !== undefined) pullLat.push(q - s.createdAt);
      log(
        `${id.padEnd(31)} ${s.eventType.padEnd(22)} ${fmt(p && p.at - s.createdAt)} ${fmt(q === undefined ? undefined : q - s.createdAt)}`,
      );
    }
    const report: DemoReport = {
      sent: count,
      pushed: sent.filter((s) => pushes.has(s.id)).length,
      pulled: sent.filter((s) => pulls.has(s.id)).length,
      signaturesValid,
      push: { p50: percentile(pushLat, 50), p95: percentile(pushLat, 95) },
      pull: { p50: percentile(pullLat, 50), p95: percentile(pullLat, 95) },
      ok: false,
    };
    report.ok = report.pushed === count && report.pulled === count && signaturesValid === count;
    log('');
    log(
      `push: ${report.pushed}/${count} delivered, ${signaturesValid}/${report.pushed} signatures valid, ingest→receipt p50 ${report.push.p50} ms, p95 ${report.push.p95} ms`,
    );
    log(
      `pull: ${report.pulled}/${count} read in log order, ingest→receipt p50 ${report.pull.p50} ms, p95 ${report.pull.p95} ms`,
    );
    log(report.ok ? 'Both halves saw every message with the same IDs.' : 'Not every message arrived in time.');
    return report;
  } finally {
    stopPull.abort();
    await server.close();
    await new Promise<void>((resolve) => {
      receiver.server.closeAllConnections();
      receiver.server.close(() => resolve());
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The pull reader: long-polls the poll endpoint and notes when each message arrived. */
async function pullLoop(
  call: <T>(m: string, p: string) => Promise<T>,
  pulls: Map<string, number>,
  order: string[],
  signal: AbortSignal,
): Promise<void> {
  let iterator = '';
  while (!signal.aborted) {
    try {
      const q = `limit=250&wait=1${iterator ? `&iterator=${iterator}` : ''}`;
      const page = await call<{ data: Array<{ id: string }>; iterator: string }>(
        'GET',
        `/api/v1/app/demo/poller/demo-poll?${q}`,
      );
      const now = Date.now();
      for (const m of page.data) {
        if (!pulls.has(m.id)) order.push(m.id);
        pulls.set(m.id, now);
      }
      iterator = page.iterator;
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
  }
}

async function startDemoReceiver(
  pushes: Map<string, { at: number; headers: Record<string, string>; body: Buffer }>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      if (id && !pushes.has(id))
        pushes.set(id, { at: Date.now(), headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${ms} ms`).padStart(8);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
