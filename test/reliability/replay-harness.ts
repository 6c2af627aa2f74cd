import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../support/api-client.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ADMIN_TOKEN, spawnServer, type ServerProcess } from '../support/server-process.js';
import { startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

/**
 * Servers, receivers and waits for the replay acceptance tests: a Hookrelay in child processes
 * (SQLite: one; PostgreSQL: an API process and `workers` worker processes on a fresh database),
 * loopback receivers that can be taken down, and bounded polling of the API.
 */

/** Compressed timings: two attempts 50 ms apart, leases (and task leases) of 2 s, replays uncapped enough to be quick. */
export const REPLAY_ENV = {
  HOOKRELAY_ALLOW_NETWORKS: '127.0.0.0/8',
  HOOKRELAY_REQUEST_TIMEOUT_MS: '1000',
  HOOKRELAY_LEASE_MS: '2000',
  HOOKRELAY_RETRY_SCHEDULE: '0.05',
  HOOKRELAY_POLL_INTERVAL_MS: '100',
  HOOKRELAY_REPLAY_RATE: '5000',
};

export type StoreKind = 'sqlite' | 'postgres';

export interface Cluster {
  client: ApiClient;
  /** The processes that run workers (SQLite: the one server). */
  workers: ServerProcess[];
  /** kill -9 a worker process and start another in its place (same data dir or database). */
  replaceWorker(i: number): Promise<void>;
  close(): Promise<void>;
}

export async function startCluster(
  store: StoreKind,
  workers = 1,
  extraEnv: Record<string, string> = {},
): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), `hookrelay-replay-${store}-`));
  const db = store === 'postgres' ? await createTestDatabase('hr_replay') : null;
  const env = {
    ...REPLAY_ENV,
    ...extraEnv,
    HOOKRELAY_DATA_DIR: dir,
    ...(db ? { HOOKRELAY_DATABASE_URL: db.url } : {}),
  };
  const workerEnv = db ? { ...env, HOOKRELAY_ROLE: 'worker' } : env;
  const api = db ? await spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'api' } }) : null;
  const procs = await Promise.all(Array.from({ length: db ? workers : 1 }, () => spawnServer({ env: workerEnv })));
  const client = new ApiClient((api ?? procs[0]).url!, CHILD_ADMIN_TOKEN);
  return {
    client,
    workers: procs,
    async replaceWorker(i) {
      await procs[i].kill9();
      procs[i] = await spawnServer({ env: workerEnv });
      if (!api) client.baseUrl = procs[i].url!;
    },
    async close() {
      await Promise.all([...(api ? [api] : []), ...procs].map((p) => p.kill9()));
      await client.close();
      await db?.drop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether this store's tests run here (PostgreSQL may be absent outside CI; CI fails instead). */
export async function storeAvailable(store: StoreKind): Promise<boolean> {
  return store === 'sqlite' || (await postgresAvailable());
}

/** A receiver that answers 503 while `down`, and counts per webhook-id only what it accepted. */
export interface SwitchableReceiver {
  recorder: WebhookRecorder;
  url: string;
  down: boolean;
  /** webhook-id → times accepted (2xx) since the last `reset`. */
  accepted: Map<string, number>;
  reset(): void;
}

export async function switchableReceiver(down = false): Promise<SwitchableReceiver> {
  const r: SwitchableReceiver = {
    recorder: null as unknown as WebhookRecorder,
    url: '',
    down,
    accepted: new Map(),
    reset: () => r.accepted.clear(),
  };
  r.recorder = await startRecorder((req, res) => {
    if (r.down) {
      res.statusCode = 503;
      return res.end('down');
    }
    const id = String(req.headers['webhook-id']);
    r.accepted.set(id, (r.accepted.get(id) ?? 0) + 1);
    res.end('ok');
  });
  r.url = r.recorder.url;
  return r;
}

/** Poll `cond` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POST `count` messages (`shape(i)` gives each one's fields) with 32 in flight; their IDs in order. */
export async function sendMessages(
  client: ApiClient,
  app: string,
  count: number,
  shape: (i: number) => { eventType: string; channels?: string[]; orderingKey?: string },
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const m = await client.expect(202, 'POST', `/api/v1/app/${app}/msg`, { ...shape(i), payload: { i } });
      ids[i] = m.id as string;
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  return ids;
}

/** The endpoint's delivery counts (GET …/stats). */
export async function endpointStats(
  client: ApiClient,
  app: string,
  endpoint: string,
): Promise<{ success: number; pending: number; sending: number; fail: number }> {
  return client.expect(200, 'GET', `/api/v1/app/${app}/endpoint/${endpoint}/stats`);
}

/** Wait until a background task ends; returns it. */
export async function taskEnded(client: ApiClient, id: string, timeoutMs = 60_000): Promise<any> {
  let task: any;
  await until(
    `task ${id} to end`,
    async () => {
      task = await client.expect(200, 'GET', `/api/v1/background-task/${id}`);
      return task.status !== 'running';
    },
    timeoutMs,
  );
  return task;
}
