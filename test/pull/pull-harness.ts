import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/build-api.js';
import { sha256Hex } from '../../src/api/auth.js';
import { testConfig, type Config } from '../../src/config.js';
import { loadSecretBox } from '../../src/server/encryption-key.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * A real API (buildApi) on 127.0.0.1, over a real store (SQLite file in a temp dir, or a
 * PostgreSQL database), that can be stopped and started again on the same port and data —
 * what the pull tests need to show nothing is lost or repeated across a restart.
 */
export interface PullApi {
  url: string;
  token: string;
  store: Store;
  config: Config;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPullApi(
  options: { databaseUrl?: string; overrides?: Partial<Config> } = {},
): Promise<PullApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hr-pull-'));
  const token = 'hr_admin_test_' + Math.random().toString(36).slice(2);
  const config = testConfig({
    dataDir,
    databaseUrl: options.databaseUrl ?? null,
    adminToken: token,
    port: 0,
    allowNetworks: ['127.0.0.0/8'],
    ...options.overrides,
  });
  let app: FastifyInstance | null = null;
  let store: Store | null = null;
  let port = 0;

  const harness: PullApi = {
    url: '',
    token,
    get store() {
      return store!;
    },
    config,
    async start() {
      store = await openStore(config, loadSecretBox(config));
      app = await buildApi({ store, config, adminTokenHash: sha256Hex(token) });
      await app.listen({ port, host: '127.0.0.1' });
      const address = app.server.address();
      port = typeof address === 'object' && address ? address.port : port;
      harness.url = `http://127.0.0.1:${port}`;
    },
    async stop() {
      await app?.close();
      await store?.close();
      app = null;
      store = null;
    },
    async restart() {
      await harness.stop();
      await harness.start();
    },
    async close() {
      await harness.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await harness.start();
  return harness;
}

/** One JSON API call with the admin token; throws on a status other than `expect`. */
export async function call<T = any>(
  api: Pick<PullApi, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  expect?: number,
): Promise<{ status: number; body: T }> {
  const res = await fetch(api.url + path, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (expect !== undefined && res.status !== expect)
    throw new Error(`${method} ${path} → ${res.status} (expected ${expect}): ${text}`);
  return { status: res.status, body: parsed };
}

/** An app with one poll endpoint (and the ids of both). */
export async function pollSetup(
  api: PullApi,
  endpoint: Record<string, unknown> = {},
): Promise<{ appId: string; sinkId: string }> {
  const app = await call(api, 'POST', '/api/v1/app', { name: 'pull test' }, 201);
  // Filters may only name event types in the catalog.
  for (const name of (endpoint.filterTypes as string[] | undefined) ?? [])
    await call(api, 'POST', '/api/v1/event-type', { name, description: name });
  const ep = await call(api, 'POST', `/api/v1/app/${app.body.id}/endpoint`, { kind: 'poll', ...endpoint }, 201);
  return { appId: app.body.id, sinkId: ep.body.id };
}

export async function send(
  api: PullApi,
  appId: string,
  n: number,
  eventType = 'user.registered',
  extra: Record<string, unknown> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call(api, 'POST', `/api/v1/app/${appId}/msg`, { eventType, payload: { i }, ...extra }, 202);
    ids.push(res.body.id);
  }
  return ids;
}

/** Resolve when `check()` holds; fail after `timeoutMs` with `what` in the message. */
export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Read every page of a poller until `done`; returns the message IDs and the last iterator. */
export async function pollAll(
  api: PullApi,
  path: string,
  limit: number,
  iterator?: string,
): Promise<{ ids: string[]; iterator: string }> {
  const ids: string[] = [];
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), ...(iterator ? { iterator } : {}) });
    const page = await call(api, 'GET', `${path}?${q}`, undefined, 200);
    ids.push(...page.body.data.map((m: { id: string }) => m.id));
    iterator = page.body.iterator as string;
    if (page.body.done) return { ids, iterator };
  }
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  at: number;
}

/** A real HTTP receiver on 127.0.0.1:0 that records every request and answers `status`. */
export async function startReceiver(
  status = 200,
): Promise<{ url: string; port: number; requests: ReceivedRequest[]; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
